import { describe, expect, it } from 'vitest';
import { importChapter } from '../../schema/chapter/importer.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { chapterFromJSON } from '../../schema/chapter/chapter-schema.ts';
import { ERRATA_CSV_COLUMNS, errataOf, exportErrataCsv, exportErrataMarkdown, markdownCell } from '../../schema/exchange/export/errata.ts';
import { exportPlainText } from '../../schema/exchange/export/plain-text.ts';
import { heading, note, para } from '../helpers/chapter-doc-builder.ts';
import { parseCsv } from '../helpers/csv-readers.ts';
import { annotate, EXPORT_OPTIONS, fixtureRoom, replaceText, sampleRoom, snapshotOf, testRoom } from '../helpers/export-builders.ts';

const decidedBy = (name: string, at = '2024-05-06T09:00:00.000Z') => ({ statusBy: `u-${name.toLowerCase()}`, statusByName: name, statusAt: at });

describe('plain-text export', () => {
  it('reads as the chapter: title, headings, one paragraph per line, markers as printed, the footnotes 130–165 at the end', () => {
    const snapshot = snapshotOf(fixtureRoom());
    const text = exportPlainText(snapshot);
    const blocks = text.trimEnd().split('\n\n');
    expect(blocks[0]).toBe('5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon');
    expect(blocks[1]).toBe("The Stalin's new Soviet Society");
    expect(blocks[2]).toMatch(/^The new phase in internal party development .* a 'moderate turn'\.¹³⁰ This entailed/);
    expect(blocks.every((b) => !b.includes('\n'))).toBe(true);
    const notes = blocks.filter((b) => /^\d{3} /.test(b));
    expect(notes.map((b) => Number(b.slice(0, 3)))).toEqual(Array.from({ length: 36 }, (_, i) => 130 + i));
    expect(blocks.slice(-36)).toEqual(notes);
    expect(notes[0]).toBe('130 A.Khlevniuk O., *Chozjajin: Stalin i utverzhenije stalinskoj diktatury*, p. 177.');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('can start a new room: the importer reads it back into the same paragraphs, headings and footnotes', () => {
    const snapshot = snapshotOf(fixtureRoom());
    const reimported = importChapter(exportPlainText(snapshot));
    expect(reimported.ok).toBe(true);
    if (!reimported.ok) return;
    expect(reimported.report.findings).toEqual([]);
    expect(projectChapter(chapterFromJSON(reimported.doc)).text).toBe(snapshot.projection.text);
  });

  it('gives the text as it reads now, and the original page numbers only when asked', () => {
    const room = testRoom([heading('T', 1), para('It also |2|opened the way, said the *Pravda* editor.^1'), note(1, 'A note that runs on |3|to the next page.')]);
    replaceText(room, 'the way', 'the road');
    const snapshot = snapshotOf(room);
    expect(exportPlainText(snapshot)).toBe('T\n\nIt also opened the road, said the *Pravda* editor.¹\n\n1 A note that runs on to the next page.\n');
    expect(exportPlainText(snapshot, { pages: true })).toBe('T\n\nIt also [p. 2] opened the road, said the *Pravda* editor.¹\n\n1 A note that runs on [p. 3] to the next page.\n');
  });
});

/** A room whose problems cover every status, on two original pages, one in a footnote. */
function errataRoom() {
  const room = testRoom([
    heading('Errata Test', 1),
    para('On page one a mispelled word sits. The text |2|goes on with a doubled doubled word.^1'),
    note(1, 'Khlevnjuk O., p. 12.'),
  ]);
  annotate(room, { quote: 'doubled doubled', kind: 'problem', problemType: 'duplication', correction: 'doubled', authorName: 'Ann', created: '2024-05-02T10:00:00.000Z' });
  annotate(room, { quote: 'mispelled', kind: 'problem', problemType: 'typo', correction: 'misspelled', status: 'resolved', ...decidedBy('Owner'), authorName: 'Ben' });
  annotate(room, { quote: 'Khlevnjuk', kind: 'problem', problemType: 'transliteration', correction: 'Khlevniuk', status: 'rejected', ...decidedBy('Rita', '2024-05-07T12:00:00.000Z') });
  annotate(room, { quote: 'On page one', kind: 'problem', problemType: 'other', note: 'Needs a look.' });
  annotate(room, { quote: 'sits', kind: 'problem', problemType: 'omission', correction: '' });
  annotate(room, { quote: 'goes on', kind: 'claim', claimStatus: 'sourced' });
  return room;
}

describe('errata export', () => {
  it('lists every textual problem in the order of the text with page, paragraph, original, correction, type, status and decision', () => {
    const errata = errataOf(snapshotOf(errataRoom()));
    expect(errata.map((e) => [e.page, e.paragraph, e.original, e.correction, e.action, e.type, e.status, e.proposedBy, e.decidedBy, e.decidedAt])).toEqual([
      [1, '¶ 1', 'On page one', null, 'none', 'Other', 'open', 'Alice', null, null],
      [1, '¶ 1', 'mispelled', 'misspelled', 'replace', 'Typo', 'accepted', 'Ben', 'Owner', '2024-05-06T09:00:00.000Z'],
      [1, '¶ 1', 'sits', '', 'delete', 'Omission', 'open', 'Alice', null, null],
      [2, '¶ 1', 'doubled doubled', 'doubled', 'replace', 'Duplication', 'open', 'Ann', null, null],
      [2, 'note 1', 'Khlevnjuk', 'Khlevniuk', 'replace', 'Transliteration', 'rejected', 'Alice', 'Rita', '2024-05-07T12:00:00.000Z'],
    ]);
  });

  it('shows an applied correction with the text it replaced, and a problem whose passage is gone at the end', () => {
    const errata = errataOf(snapshotOf(sampleRoom()));
    const applied = errata.find((e) => e.status === 'applied')!;
    expect([applied.original, applied.correction, applied.decidedBy]).toEqual(['congres', 'congress', 'Owner']);
    expect(errata.map((e) => e.status)).toEqual(['applied', 'accepted', 'open', 'open']);
  });

  it('writes the errata as CSV a strict reader reads back, formulas neutralised', () => {
    const room = errataRoom();
    annotate(room, { quote: 'word sits', kind: 'problem', problemType: 'grammar', correction: '=HYPERLINK("http://evil")', note: '+1, "quoted"\nsecond line' });
    const rows = parseCsv(exportErrataCsv(snapshotOf(room)));
    expect(rows[0]).toEqual([...ERRATA_CSV_COLUMNS]);
    expect(rows).toHaveLength(7);
    const evil = rows.find((r) => r[ERRATA_CSV_COLUMNS.indexOf('type')] === 'Grammar')!;
    expect(evil[ERRATA_CSV_COLUMNS.indexOf('correction')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(evil[ERRATA_CSV_COLUMNS.indexOf('note')]).toBe(`'+1, "quoted"\nsecond line`);
    expect(rows.slice(1).map((r) => r[ERRATA_CSV_COLUMNS.indexOf('status')])).toEqual(['open', 'accepted', 'open', 'open', 'open', 'rejected']);
  });

  it('writes a Markdown table with one row per problem whose cells hold hostile text as text', () => {
    const room = errataRoom();
    annotate(room, { quote: 'page one a', kind: 'problem', problemType: 'other', correction: 'a | b <script>alert(1)</script> [x](javascript:alert(1)) *bold*\nnext', authorName: 'Mal|lory' });
    const markdown = exportErrataMarkdown(snapshotOf(room), EXPORT_OPTIONS);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Page'));
    expect(rows).toHaveLength(6);
    // Every row has the header's eight cells: no unescaped pipe inside a cell.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(8);
    const hostile = rows.find((r) => r.includes('script'))!;
    // No tag and no link survive: `<` is an entity, and every bracket is escaped.
    expect(hostile).not.toMatch(/<script|(?<!\\)\]\(/);
    expect(hostile).toContain('&lt;script>alert(1)&lt;/script> \\[x\\](javascript:alert(1))');
    expect(markdown).toContain('6 textual problems (4 open, 1 accepted, 0 applied, 1 rejected)');
    expect(markdown.startsWith('# Errata: A Test Chapter\n')).toBe(true);
  });

  it('escapes Markdown and HTML in a cell and shows control characters', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('<b>&amp;</b>')).toBe('&lt;b>&amp;amp;&lt;/b>');
    expect(markdownCell('[link](x) *em* _u_ `code` ~s~ \\')).toBe('\\[link\\](x) \\*em\\* \\_u\\_ \\`code\\` \\~s\\~ \\\\');
    expect(markdownCell('one\ntwo\u0001')).toBe('one two\\u0001');
  });
});
