import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import type { ChapterBlock } from '../chapter-pieces.ts';

/**
 * Footnote numbers as the book has them. Word numbers footnotes itself, from 1 unless the
 * section says where to start; the docx package writes no `w:footnotePr`, so the packed file is
 * edited: opened, one part changed as text, zipped again (a few milliseconds).
 */

/** How Word should number the chapter's footnotes. */
export type FootnoteNumbering =
  /** Consecutive numbers (130, 131, …): Word's own numbering, started at `start`. */
  | { kind: 'sequence'; start: number }
  /** Gaps, repeats or disorder (the importer reports them): each reference carries its number as a custom mark. */
  | { kind: 'custom' };

/** The chapter's footnotes as Word will hold them. */
export interface FootnotePlan {
  /** Word footnote id of each referenced footnote number, in order of first reference (Word's order). */
  ids: Map<number, number>;
  /** The note of each number (the first, when a number repeats). */
  notes: Map<number, ChapterBlock>;
  numbering: FootnoteNumbering;
  /** Footnotes no marker in the body refers to, and second notes of a repeated number (the importer reports both); Word cannot show them as notes. */
  unreferenced: ChapterBlock[];
}

/**
 * Plans the footnotes: each number gets a Word footnote at its first marker (a note can be
 * referred to once in Word; later markers stay plain superscript). Word's own numbering is kept
 * when it reproduces the book's numbers, that is when the notes are referred to in a run of
 * consecutive numbers.
 */
export function planFootnotes(blocks: readonly ChapterBlock[]): FootnotePlan {
  const notes = new Map<number, ChapterBlock>();
  const repeated: ChapterBlock[] = [];
  for (const block of blocks) {
    if (block.type !== 'footnote') continue;
    if (notes.has(block.n!)) repeated.push(block);
    else notes.set(block.n!, block);
  }
  const ids = new Map<number, number>();
  for (const block of blocks) {
    if (block.type === 'footnote') continue;
    for (const piece of block.pieces) if (piece.kind === 'footnote-ref' && notes.has(piece.n) && !ids.has(piece.n)) ids.set(piece.n, ids.size + 1);
  }
  const order = [...ids.keys()];
  const start = order[0] ?? 1;
  const sequence = order.every((n, i) => n === start + i);
  return { ids, notes, numbering: sequence ? { kind: 'sequence', start } : { kind: 'custom' }, unreferenced: [...[...notes.values()].filter((b) => !ids.has(b.n!)), ...repeated] };
}

/** Applies `edits` (part name → text transform) to a packed .docx and packs it again. */
function editParts(bytes: Uint8Array, edits: Record<string, (xml: string) => string>): Uint8Array {
  const parts = unzipSync(bytes);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(parts)) {
    if (name.endsWith('/')) continue;
    const edit = edits[name];
    out[name] = edit ? strToU8(edit(strFromU8(data))) : data;
  }
  return zipSync(out, { level: 6 });
}

/** Puts `<w:footnotePr><w:numStart/></w:footnotePr>` into the section, where CT_SectPr wants it (before the page size). */
function withNumberStart(documentXml: string, start: number): string {
  const footnotePr = `<w:footnotePr><w:numStart w:val="${start}"/></w:footnotePr>`;
  const at = documentXml.lastIndexOf('<w:pgSz');
  if (at < 0) throw new RangeError('the document has no section page size to place the footnote numbering before');
  return documentXml.slice(0, at) + footnotePr + documentXml.slice(at);
}

/** Replaces the automatic number at the head of each footnote by the footnote's own number. */
function withCustomMarks(footnotesXml: string, numbers: ReadonlyMap<number, number>): string {
  return footnotesXml.replace(/<w:footnote w:id="(\d+)">([\s\S]*?)<\/w:footnote>/g, (whole, id: string, body: string) => {
    const n = numbers.get(Number(id));
    return n === undefined ? whole : `<w:footnote w:id="${id}">${body.replace('<w:footnoteRef/>', `<w:t xml:space="preserve">${n}</w:t>`)}</w:footnote>`;
  });
}

/**
 * Finishes a packed .docx so Word shows the book's footnote numbers: a start number for a
 * sequence, or, when the references carry custom marks, each footnote's own number in front
 * of its text.
 */
export function applyFootnoteNumbering(bytes: Uint8Array, plan: FootnotePlan): Uint8Array {
  const { numbering, ids } = plan;
  if (ids.size === 0) return bytes;
  if (numbering.kind === 'sequence') return numbering.start === 1 ? bytes : editParts(bytes, { 'word/document.xml': (xml) => withNumberStart(xml, numbering.start) });
  const numbers = new Map([...ids].map(([n, id]) => [id, n]));
  return editParts(bytes, { 'word/footnotes.xml': (xml) => withCustomMarks(xml, numbers) });
}
