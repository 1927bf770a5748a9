import { importChapter, importMarkdownChapter } from '../../schema/index.ts';
import type { ChapterJSON, ImportFinding, ImportResult, ImportStats } from '../../schema/index.ts';
import { importDocxChapter } from './docx-reader.ts';

/**
 * A chapter file as uploaded from the browser: the typeset plain-text format of the fixture
 * (the chapter importer), plain text or Markdown, or a Word document. The format is the one
 * asked for, or else guessed from the file name and content; the preview tells the person what
 * the importer found before anything is created.
 */

/** The formats a chapter file can be read as. */
export type UploadFormat = 'typeset' | 'markdown' | 'docx';

/** Every format, for validation. */
export const UPLOAD_FORMATS: readonly UploadFormat[] = ['typeset', 'markdown', 'docx'];

/** What the preview shows: how the file was read, what it holds, and every finding. */
export interface ChapterPreview {
  format: UploadFormat;
  title: string;
  stats: ImportStats;
  /** Whether findings give lines (text files) or paragraphs (Word). */
  findingsAt: 'line' | 'paragraph';
  findings: ImportFinding[];
  headings: string[];
  /** The first words of the first paragraphs. */
  opening: string[];
  /** The lowest and highest footnote numbers, or null without footnotes. */
  footnoteRange: [number, number] | null;
}

/** Guesses the format: .docx (or a zip) is Word; .md, or Markdown headings and notes in a text, Markdown; else typeset text. */
export function guessFormat(fileName: string, bytes: Uint8Array): UploadFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.docx') || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return 'docx';
  if (/\.(md|markdown|mdown|mkd)$/.test(name)) return 'markdown';
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 65536));
  return /^#{1,6}\s+\S/m.test(head) || /\[\^[^\]\s]+\]/.test(head) ? 'markdown' : 'typeset';
}

/** Reads an uploaded file as a chapter in the given format. */
export async function importUpload(bytes: Uint8Array, format: UploadFormat): Promise<ImportResult> {
  if (bytes.length === 0) return { ok: false, error: 'The file is empty.' };
  if (format === 'docx') return importDocxChapter(bytes);
  // Not fatal: undecodable bytes become U+FFFD, which the importers refuse with their line.
  const text = new TextDecoder('utf-8').decode(bytes);
  return format === 'markdown' ? importMarkdownChapter(text) : importChapter(text);
}

function blockText(block: ChapterJSON['content'][number]): string {
  return (block.content ?? []).map((node) => (node.type === 'text' ? node.text : '')).join('');
}

/** The preview of a successful import. */
export function previewOf(result: Extract<ImportResult, { ok: true }>, format: UploadFormat): ChapterPreview {
  const blocks = result.doc.content;
  const numbers = blocks.flatMap((block) => (block.type === 'footnote' ? [block.attrs.n] : []));
  return {
    format,
    title: result.title,
    stats: result.report.stats,
    findingsAt: format === 'docx' ? 'paragraph' : 'line',
    findings: result.report.findings,
    headings: blocks.filter((block) => block.type === 'heading').map(blockText).slice(0, 50),
    opening: blocks.filter((block) => block.type === 'paragraph').slice(0, 3).map((block) => {
      const text = blockText(block);
      return text.length > 240 ? `${text.slice(0, 240).replace(/\s+\S*$/, '')} …` : text;
    }),
    footnoteRange: numbers.length > 0 ? [numbers.reduce((a, b) => Math.min(a, b)), numbers.reduce((a, b) => Math.max(a, b))] : null,
  };
}
