import { describe, expect, it } from 'vitest';
import { apparatusLabel, buildPrintModel } from '../../schema/exchange/export/print/apparatus-model.ts';
import { exportPrintHtml, renderPrintArticle } from '../../schema/exchange/export/print/print-html.ts';
import type { ExportSelection } from '../../schema/exchange/export/export-selection.ts';
import { heading, note, para } from '../helpers/chapter-doc-builder.ts';
import { annotate, EXPORT_OPTIONS, reply, sampleRoom, snapshotOf, testRoom } from '../helpers/export-builders.ts';

const EVERYTHING: ExportSelection = { kinds: new Set(['claim', 'problem', 'comment']), includeResolved: true };
const HEADER = { room: 'sample-room', printedAt: '2024-06-01T12:00:00.000Z', filterNote: null };

/** A chapter of two sections with overlapping passages, a passage in a footnote and a page break. */
function sectionsRoom() {
  const room = testRoom([
    heading('The Title', 1),
    para('An opening paragraph before any section.'),
    heading('First Section'),
    para('Alpha beta gamma delta epsilon |8|zeta eta theta.^1'),
    heading('Second Section'),
    para('Iota kappa lambda mu.'),
    note(1, 'Note one, with a Khlevnjuk in it.'),
  ]);
  const wide = annotate(room, { quote: 'beta gamma delta', kind: 'claim', claimStatus: 'contested', note: 'Wide.' });
  annotate(room, { quote: 'gamma delta epsilon zeta', kind: 'problem', problemType: 'grammar', correction: 'gamma, delta' });
  annotate(room, { quote: 'opening', kind: 'comment', note: 'First of all.' });
  annotate(room, { quote: 'kappa', kind: 'claim', claimStatus: 'sourced', footnotes: [1] });
  annotate(room, { quote: 'Khlevnjuk', kind: 'problem', problemType: 'transliteration', correction: 'Khlevniuk' });
  reply(room, wide.id, 'A reply\nover two lines.');
  return room;
}

/** The HTML of each `<p>` or `<li>` must close every span it opens. */
function expectBalancedSpans(html: string): void {
  for (const block of html.match(/<(p|li|h1|h2)[ >][\s\S]*?<\/\1>/g) ?? []) {
    expect((block.match(/<span\b/g) ?? []).length, block).toBe((block.match(/<\/span>/g) ?? []).length);
  }
}

describe('printed apparatus: the model', () => {
  it('letters annotations a … z, aa … in reading order', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(apparatusLabel)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba', 'zz', 'aaa']);
  });

  it('cuts the chapter at its section headings and lists each passage after the section it starts in, the notes last', () => {
    const model = buildPrintModel(snapshotOf(sectionsRoom()), EVERYTHING);
    expect(model.title).toBe('The Title');
    expect(model.sections.map((s) => [s.kind, s.blocks.length, s.entries.map((e) => [e.label, e.passage, e.page])])).toEqual([
      ['body', 2, [['a', 'opening', 7]]],
      ['body', 2, [['b', 'beta gamma delta', 7], ['c', 'gamma delta epsilon zeta', 7]]],
      ['body', 2, [['d', 'kappa', 8]]],
      ['notes', 1, [['e', 'Khlevnjuk', 8]]],
    ]);
    expect(model.count).toBe(5);
  });

  it('prints what the filters and choices select, and passages that are gone in an appendix', () => {
    const snapshot = snapshotOf(sampleRoom());
    const all = buildPrintModel(snapshot, EVERYTHING);
    expect(all.displaced.map((e) => [e.passage, e.range])).toEqual([['that will be deleted entirely', null]]);
    const ids = new Set(snapshot.annotations.filter((e) => e.annotation.kind === 'comment').map((e) => e.annotation.id));
    const filtered = buildPrintModel(snapshot, { ...EVERYTHING, ids });
    expect(filtered.count).toBe(ids.size);
    expect(filtered.sections.flatMap((s) => s.entries).every((e) => e.entry.annotation.kind === 'comment')).toBe(true);
    const open = buildPrintModel(snapshot, { ...EVERYTHING, includeResolved: false });
    expect(open.sections.flatMap((s) => s.entries).some((e) => e.entry.annotation.status === 'applied')).toBe(false);
  });
});

describe('printed apparatus: the HTML', () => {
  it('underlines each passage in its tag’s style with its letter after its last word, overlapping passages split into balanced spans', () => {
    const html = renderPrintArticle(buildPrintModel(snapshotOf(sectionsRoom()), EVERYTHING), HEADER);
    expectBalancedSpans(html);
    expect(html).toContain('Alpha <span class="ap-pm ap-pm--contested ap-pm--d1">beta <span class="ap-pm ap-pm--problem ap-pm--d2">gamma delta</span></span><sup class="ap-print__mark">b</sup><span class="ap-pm ap-pm--problem ap-pm--d1"> epsilon ');
    // The book's page break stays where it was, its number in the margin, inside the passage.
    expect(html).toContain(' epsilon <span class="ap-print__pb" role="note" aria-label="page 8"><span class="ap-print__page">8</span></span>zeta</span><sup class="ap-print__mark">c</sup> eta theta.<sup class="ap-print__fn">1</sup></p>');
    expect(html).toContain('<li class="ap-print__note"><span class="ap-print__note-n">1</span> Note one, with a <span class="ap-pm ap-pm--problem ap-pm--d1">Khlevnjuk</span><sup class="ap-print__mark">e</sup> in it.</li>');
  });

  it('gives each entry its tag, author, date, page, notes, note, correction and replies, and the footnotes after the sections', () => {
    const html = renderPrintArticle(buildPrintModel(snapshotOf(sectionsRoom()), EVERYTHING), HEADER);
    const entry = (label: string) => html.match(new RegExp(`<li class="ap-print__entry" id="ap-entry-${label}">[\\s\\S]*?</div></li>`))![0];
    expect(entry('b')).toContain('Contested claim</span> · Alice, 1 May 2024 · p. 7</p>');
    expect(entry('b')).toContain('<p class="ap-print__note-text">Wide.</p>');
    expect(entry('b')).toContain('<li><strong>Bob</strong>, 2 May 2024: A reply<br>over two lines.</li>');
    expect(entry('c')).toContain('<p class="ap-print__correction">Proposed: “gamma, delta”</p>');
    expect(entry('d')).toContain('Sourced claim</span> · Alice, 1 May 2024 · p. 8 · note 1</p>');
    const order = ['Apparatus to “First Section”', 'Apparatus to “Second Section”', '<h2>Notes</h2>', 'Apparatus to the notes'].map((s) => html.indexOf(s));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('shows hostile notes, names and text as text', () => {
    const room = testRoom([heading('T', 1), para('Some <b>bold</b> claim & more.')]);
    const made = annotate(room, { quote: '<b>bold</b> claim', kind: 'comment', note: '<script>alert(1)</script> "onmouseover=x"', authorName: '<img src=x onerror=alert(1)>' });
    reply(room, made.id, '</li></ol><script>alert(2)</script>');
    const html = exportPrintHtml(snapshotOf(room), { ...EXPORT_OPTIONS, selection: EVERYTHING });
    expect(html).not.toMatch(/<script|<img|<b>|"onmouseover/);
    expect(html).toContain('Some <span class="ap-pm ap-pm--comment ap-pm--d1">&lt;b&gt;bold&lt;/b&gt; claim</span>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=x&quot;');
    expect(html).toContain('&lt;/li&gt;&lt;/ol&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });
});
