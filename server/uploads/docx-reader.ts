import { unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { buildStructuredChapter, importFinding } from '../../schema/index.ts';
import type { ImportFinding, ImportResult, SourceBlock, SourceInline, SourceNote } from '../../schema/index.ts';

/**
 * A Word document (.docx) → a chapter, read with mammoth: paragraphs in heading styles (Title,
 * Heading 1…) become the title and section headings, other paragraphs paragraphs, italic runs
 * italics, and Word's footnotes (and endnotes) footnotes at their references. Lists and tables
 * become plain paragraphs and images are left out, each reported. Findings name the paragraph
 * (counted through the document) instead of a line.
 */

/** The most a .docx may unpack to: a few megabytes of text; a zip bomb is refused before reading. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

// The parts of mammoth's document model read here (mammoth/lib/documents.js).
interface MammothElement {
  type: string;
  children?: MammothElement[];
  value?: string;
  isItalic?: boolean;
  styleName?: string | null;
  styleId?: string | null;
  numbering?: unknown;
  noteType?: string;
  noteId?: string;
  body?: MammothElement[];
  altText?: string;
}

interface MammothDocument extends MammothElement {
  notes: { _notes?: Record<string, MammothElement> };
}

/** The heading level of a paragraph style (Title and Heading 1 → 1, Heading N → N), or 0. */
function headingLevel(paragraph: MammothElement): number {
  const style = `${paragraph.styleName ?? paragraph.styleId ?? ''}`.trim();
  if (/^(title|subtitle)$/i.test(style)) return /^title$/i.test(style) ? 1 : 2;
  const match = /^heading\s*([1-9])$/i.exec(style);
  return match ? Number(match[1]) : 0;
}

/** Walks a document's runs into inline pieces, with the paragraph number for findings. */
class DocxWalker {
  readonly blocks: SourceBlock[] = [];
  readonly notes: SourceNote[] = [];
  readonly findings: ImportFinding[] = [];
  paragraphs = 0;
  #inList = false;

  inlinesOf(elements: readonly MammothElement[], italic: boolean, into: SourceInline[]): SourceInline[] {
    for (const element of elements) {
      if (element.type === 'text') into.push({ kind: 'text', text: element.value ?? '', italic });
      else if (element.type === 'tab' || element.type === 'break') into.push({ kind: 'text', text: ' ', italic });
      else if (element.type === 'noteReference') into.push({ kind: 'note-ref', label: `${element.noteType}-${element.noteId}`, line: this.paragraphs });
      else if (element.type === 'image') this.findings.push(importFinding('left-out', this.paragraphs, `an image${element.altText ? ` ("${element.altText.slice(0, 40)}")` : ''} was left out`));
      else if (element.children) this.inlinesOf(element.children, element.type === 'run' ? element.isItalic === true : italic, into);
    }
    return into;
  }

  /** Reads the body: paragraphs, and the paragraphs inside tables. */
  body(elements: readonly MammothElement[], inTable = false): void {
    for (const element of elements) {
      if (element.type === 'paragraph') this.#paragraph(element, inTable);
      else if (element.type === 'table') {
        this.findings.push(importFinding('flattened', this.paragraphs + 1, 'a table became paragraphs, cell by cell'));
        this.body(this.#cells(element), true);
      } else if (element.children) this.body(element.children, inTable);
    }
  }

  #cells(table: MammothElement): MammothElement[] {
    return (table.children ?? []).flatMap((row) => (row.children ?? []).flatMap((cell) => cell.children ?? []));
  }

  #paragraph(paragraph: MammothElement, inTable: boolean): void {
    this.paragraphs++;
    const listed = paragraph.numbering !== null && paragraph.numbering !== undefined && !inTable;
    if (listed && !this.#inList) this.findings.push(importFinding('flattened', this.paragraphs, 'a list became paragraphs, one per item'));
    this.#inList = listed;
    const level = inTable ? 0 : headingLevel(paragraph);
    const inlines = this.inlinesOf(paragraph.children ?? [], false, []);
    this.blocks.push({ kind: level > 0 ? 'heading' : 'paragraph', level, inlines, line: this.paragraphs });
  }

  /** Reads the footnotes and endnotes: each note's paragraphs joined into one. */
  notesOf(document: MammothDocument): void {
    for (const [key, note] of Object.entries(document.notes._notes ?? {})) {
      const inlines: SourceInline[] = [];
      for (const paragraph of note.body ?? []) {
        if (inlines.length > 0) inlines.push({ kind: 'text', text: ' ' });
        this.inlinesOf(paragraph.children ?? [], false, inlines);
      }
      this.notes.push({ label: key, inlines, line: this.paragraphs });
    }
  }
}

/** Refuses what is not a zip, or unpacks to more than MAX_UNPACKED_BYTES, before mammoth reads it. */
function zipProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return 'This is not a Word document (.docx). Save it as .docx (Word 2007 or later) and try again.';
  let unpacked = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        return false;
      },
    });
  } catch {
    return 'This Word document is damaged (its zip container cannot be read).';
  }
  return unpacked > MAX_UNPACKED_BYTES ? `This Word document unpacks to ${Math.round(unpacked / 1048576)} MB; a chapter is at most ${MAX_UNPACKED_BYTES / 1048576} MB of text.` : null;
}

/** Imports a chapter from the bytes of a .docx file. */
export async function importDocxChapter(bytes: Uint8Array): Promise<ImportResult> {
  const problem = zipProblem(bytes);
  if (problem) return { ok: false, error: problem };
  let captured: MammothDocument | null = null;
  try {
    await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        transformDocument: (document: MammothDocument) => {
          captured = document;
          return document;
        },
      },
    );
  } catch (error) {
    return { ok: false, error: `This Word document cannot be read (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'}).` };
  }
  const document = captured as MammothDocument | null;
  if (!document) return { ok: false, error: 'This Word document has no body.' };
  const walker = new DocxWalker();
  walker.body(document.children ?? []);
  walker.notesOf(document);
  return buildStructuredChapter({ blocks: walker.blocks, notes: walker.notes, lines: walker.paragraphs, findings: walker.findings });
}
