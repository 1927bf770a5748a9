import { importChapter, importMarkdownChapter } from '../../schema/index.ts';
import type { ImportResult, UploadFormat } from '../../schema/index.ts';
import { importDocxChapter } from './docx-reader.ts';

/**
 * A chapter file as uploaded from the browser: the typeset plain-text format of the fixture
 * (the chapter importer), plain text or Markdown, or a Word document. The format is the one
 * asked for, or else guessed from the file name and content; the preview
 * (`schema/chapter/chapter-preview.ts`) tells the person what the importer found before
 * anything is created.
 */

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
