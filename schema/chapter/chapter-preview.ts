import type { ChapterJSON } from './chapter-json.ts';
import type { ImportFinding, ImportStats } from './import-report.ts';
import type { ImportResult } from './importer.ts';

/**
 * What a person sees of an uploaded chapter file before the chapter is created: how it was
 * read, what the importer built, and every finding. The server makes it; the upload page shows it.
 */

/** The formats a chapter file can be read as: typeset book text, plain text or Markdown, Word. */
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

function blockText(block: ChapterJSON['content'][number]): string {
  return (block.content ?? []).map((node) => (node.type === 'text' ? node.text : '')).join('');
}

/** The preview of a successful import read as `format`. */
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
