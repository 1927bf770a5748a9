import { Document, FootnoteReferenceRun, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';

/**
 * Builds real .docx files for the Word reader's tests with the `docx` package: a title,
 * headings, paragraphs with italics and Word footnotes, and optionally a table and an image.
 */

/** One paragraph of a test document: `[^n]` marks a footnote reference, `*x*` italics. */
export interface DocxSpec {
  title?: string;
  sections?: Array<{ heading?: string; paragraphs: string[] }>;
  footnotes?: Record<number, string>;
  table?: string[][];
  image?: boolean;
}

/** Runs of one paragraph's text: italics between asterisks, footnote references as `[^n]`. */
function runsOf(text: string): Array<TextRun | FootnoteReferenceRun> {
  const runs: Array<TextRun | FootnoteReferenceRun> = [];
  for (const part of text.split(/(\[\^\d+\]|\*[^*]+\*)/)) {
    if (part === '') continue;
    const note = /^\[\^(\d+)\]$/.exec(part);
    if (note) runs.push(new FootnoteReferenceRun(Number(note[1])));
    else if (/^\*[^*]+\*$/.test(part)) runs.push(new TextRun({ text: part.slice(1, -1), italics: true }));
    else runs.push(new TextRun(part));
  }
  return runs;
}

/** A 1×1 PNG, for an image the reader must leave out. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Returns the bytes of a .docx built from the spec. */
export async function buildDocx(spec: DocxSpec): Promise<Uint8Array> {
  const children: Array<Paragraph | Table> = [];
  if (spec.title) children.push(new Paragraph({ text: spec.title, heading: HeadingLevel.TITLE }));
  for (const section of spec.sections ?? []) {
    if (section.heading) children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_1 }));
    for (const text of section.paragraphs) children.push(new Paragraph({ children: runsOf(text) }));
  }
  if (spec.table) {
    children.push(new Table({ rows: spec.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })) }));
  }
  if (spec.image) children.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: PIXEL, transformation: { width: 10, height: 10 }, altText: { name: 'Map', description: 'Map of the region', title: 'Map' } })] }));
  const footnotes = Object.fromEntries(Object.entries(spec.footnotes ?? {}).map(([n, text]) => [n, { children: [new Paragraph({ children: runsOf(text) })] }]));
  const document = new Document({ footnotes, sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(document));
}
