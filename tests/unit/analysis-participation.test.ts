import { describe, expect, it } from 'vitest';
import { chapterHeat, chapterOverview, combinePeople, krippendorffAlpha, openingWords, participationRows, seminarOverview, sortPeople } from '../../schema/index.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';
import { minute, readAnnotationOf } from '../helpers/overview-builders.ts';

describe('the people table', () => {
  const records = [
    readAnnotationOf({ by: 'ann', name: 'Ann', status: 'sourced', footnotes: [130], at: 1, replies: [{ by: 'ben', name: 'Ben', at: 9 }] }),
    readAnnotationOf({ by: 'ann', name: 'Ann', status: 'contested', at: 5 }),
    readAnnotationOf({ by: 'ann', name: 'Ann Smith', kind: 'problem', at: 7, review: { status: 'resolved', by: 'lee', name: 'Lee', at: 20 } }),
    readAnnotationOf({ by: 'ben', name: 'Ben', kind: 'problem', at: 3, review: { status: 'rejected', by: 'lee', name: 'Lee', at: 21 } }),
    readAnnotationOf({ by: 'ben', name: 'Ben', kind: 'comment', at: 4 }),
  ];

  it('counts per person annotations by kind and claim status, problems raised and accepted, linked claims, replies and decisions', () => {
    const rows = participationRows(records);
    expect(rows.map((r) => r.name)).toEqual(['Ann Smith', 'Ben', 'Lee']);
    expect(rows[0]).toMatchObject({ userId: 'ann', annotations: 3, claims: 2, sourced: 1, contested: 1, interpretive: 0, problems: 1, problemsAccepted: 1, comments: 0, claimsLinked: 1, replies: 0 });
    expect(rows[1]).toMatchObject({ userId: 'ben', annotations: 2, problems: 1, problemsAccepted: 0, comments: 1, replies: 1, decisions: 0 });
    expect(rows[2]).toMatchObject({ userId: 'lee', annotations: 0, decisions: 2 });
  });

  it('gives each person the first and last time they were active', () => {
    const [ann, ben, lee] = participationRows(records);
    expect([ann!.firstActivity, ann!.lastActivity]).toEqual([minute(1), minute(7)]);
    expect([ben!.firstActivity, ben!.lastActivity]).toEqual([minute(3), minute(9)]);
    expect([lee!.firstActivity, lee!.lastActivity]).toEqual([minute(20), minute(21)]);
  });

  it('counts only what was written in the date range ("since last session")', () => {
    const rows = participationRows(records, { since: minute(4), until: minute(10) });
    expect(rows.map((r) => [r.userId, r.annotations, r.replies])).toEqual([['ann', 2, 0], ['ben', 1, 1]]);
    expect(rows[0]!.firstActivity).toBe(minute(5));
  });

  it('refuses a range that is not made of dates', () => {
    expect(() => participationRows(records, { since: 'last tuesday' })).toThrow(RangeError);
  });

  it('sorts by any column, names and empty times last-resort', () => {
    const rows = participationRows(records);
    expect(sortPeople(rows, 'annotations', 'descending').map((r) => r.userId)).toEqual(['ann', 'ben', 'lee']);
    expect(sortPeople(rows, 'decisions', 'descending').map((r) => r.userId)).toEqual(['lee', 'ann', 'ben']);
    expect(sortPeople(rows, 'lastActivity').map((r) => r.userId)).toEqual(['ann', 'ben', 'lee']);
    expect(sortPeople(rows, 'name', 'descending').map((r) => r.userId)).toEqual(['lee', 'ben', 'ann']);
  });

  it('adds up the tables of several chapters per person', () => {
    const second = participationRows([readAnnotationOf({ by: 'ann', name: 'Ann', at: 40 }), readAnnotationOf({ by: 'zed', name: 'Zed', at: 2 })]);
    const combined = combinePeople([participationRows(records), second]);
    const ann = combined.find((r) => r.userId === 'ann')!;
    expect(ann).toMatchObject({ annotations: 4, claims: 3, name: 'Ann', firstActivity: minute(1), lastActivity: minute(40) });
    expect(combined.map((r) => r.userId)).toEqual(['ann', 'ben', 'lee', 'zed']);
  });
});

describe('the heat strip', () => {
  const doc = chapterDoc(heading('Title', 1), para('One short paragraph about the soft course of the 1930s.'), para('Another one.^1'), note(1, 'Source of it.'));
  const projection = projectChapter(doc);
  const offsetOf = (text: string) => projection.text.indexOf(text);

  it('counts per body block the annotations that start in it, with their tags; orphans apart', () => {
    const heat = chapterHeat(projection, [
      readAnnotationOf({ by: 'a', status: 'sourced', start: offsetOf('short') }),
      readAnnotationOf({ by: 'b', status: 'contested', start: offsetOf('soft course') }),
      readAnnotationOf({ by: 'c', kind: 'problem', start: offsetOf('Another') }),
      readAnnotationOf({ by: 'c', kind: 'comment', start: offsetOf('Source of') }),
      readAnnotationOf({ by: 'd', start: null }),
    ]);
    expect(heat.blocks.map((b) => [b.blockId, b.type, b.count])).toEqual([['h-1', 'heading', 0], ['p-1', 'paragraph', 2], ['p-2', 'paragraph', 1]]);
    expect(heat.blocks[1]!.tags).toEqual({ sourced: 1, contested: 1, interpretive: 0, problem: 0, comment: 0 });
    expect(heat.blocks[2]!.tags.problem).toBe(1);
    expect(heat.orphaned).toBe(1);
    expect(heat.max).toBe(2);
    expect(heat.blocks[1]!.label).toBe('One short paragraph about the soft course of the 1930s.');
  });

  it('labels a block with its opening words, cut at a word', () => {
    expect(openingWords('Stalin’s soft course was, in the view of many historians, a turn of policy rather than of principle', 40)).toBe('Stalin’s soft course was, in the view of…');
  });
});

describe('the chapter overview', () => {
  it('computes people, heat and agreement for the same date range in one call', () => {
    const doc = chapterDoc(para('Only sentence here. And a second one.'));
    const projection = projectChapter(doc);
    const first = { start: 0, end: 'Only sentence here.'.length };
    const annotations = [
      readAnnotationOf({ by: 'ann', name: 'Ann', status: 'sourced', ...first, at: 1 }),
      readAnnotationOf({ by: 'ben', name: 'Ben', status: 'contested', ...first, at: 2 }),
      readAnnotationOf({ by: 'cy', name: 'Cy', status: 'sourced', ...first, at: 30 }),
    ];
    const overview = chapterOverview({ chapter: { id: 'c', title: 'C' }, projection, annotations }, { range: { until: minute(10) } });
    expect(overview.people.map((p) => p.userId)).toEqual(['ann', 'ben']);
    expect(overview.heat.blocks[0]!.count).toBe(2);
    expect(overview.agreement.readers.map((r) => r.name)).toEqual(['Ann', 'Ben']);
    expect(overview.agreement.disagreements[0]!.said.map((s) => s.status)).toEqual(['sourced', 'contested']);
    expect(overview.range).toEqual({ since: null, until: minute(10) });
  });
});

describe('times with a zone other than UTC', () => {
  it('orders activity and filters ranges by the instant, not the text', () => {
    // 09:30-01:00 is 10:30Z, after 10:20Z, although as text it sorts first.
    const zoned = readAnnotationOf({ by: 'ann', at: 0 });
    zoned.annotation.created = zoned.annotation.modified = '2025-03-01T09:30:00.000-01:00';
    const utc = readAnnotationOf({ by: 'ann', at: 20 });
    const [row] = participationRows([zoned, utc]);
    expect(row!.firstActivity).toBe(minute(20));
    expect(row!.lastActivity).toBe('2025-03-01T09:30:00.000-01:00');
    expect(participationRows([zoned, utc], { since: minute(25) })[0]!.firstActivity).toBe('2025-03-01T09:30:00.000-01:00');
    expect(participationRows([zoned, utc], { until: minute(25) })[0]!.lastActivity).toBe(minute(20));
  });
});

describe('the seminar overview over several chapters', () => {
  it('adds up the people of every chapter and pools agreement over all their sentences', () => {
    const one = projectChapter(chapterDoc(para('First claim here. Second claim there.')));
    const two = projectChapter(chapterDoc(para('Another chapter speaks.')));
    const span = (projection: typeof one, text: string) => ({ start: projection.text.indexOf(text), end: projection.text.indexOf(text) + text.length });
    const chapters = [
      { chapter: { id: 'c1', title: 'One' }, projection: one, annotations: [
        readAnnotationOf({ by: 'ann', name: 'Ann', status: 'sourced', ...span(one, 'First claim here.') }),
        readAnnotationOf({ by: 'ben', name: 'Ben', status: 'sourced', ...span(one, 'First claim here.') }),
      ] },
      { chapter: { id: 'c2', title: 'Two' }, projection: two, annotations: [
        readAnnotationOf({ by: 'ann', name: 'Ann', status: 'contested', ...span(two, 'Another chapter speaks.') }),
        readAnnotationOf({ by: 'ben', name: 'Ben', status: 'interpretive', ...span(two, 'Another chapter speaks.') }),
      ] },
    ];
    const seminar = seminarOverview(chapters);
    expect(seminar.people.map((p) => [p.userId, p.claims])).toEqual([['ann', 2], ['ben', 2]]);
    // Alone, the first chapter has no variation (not computable) and the second one pair that disagrees (0).
    expect(seminar.chapters.map((c) => [c.chapter.id, c.claims, c.alpha.computable && c.alpha.alpha])).toEqual([['c1', 2, false], ['c2', 2, 0]]);
    expect(seminar.alpha).toEqual(krippendorffAlpha([['sourced', 'sourced'], ['contested', 'interpretive']]));
    expect(seminar.alpha.computable).toBe(true);
  });

  it("keeps each chapter's people table beside the sum, and merges the chapters' disagreement lists with where each sentence is", () => {
    const one = projectChapter(chapterDoc(heading('One', 1), para('A quiet opening.'), para('First claim here. Second claim there.')));
    const two = projectChapter(chapterDoc(para('Another chapter speaks. It argues.')));
    const span = (projection: typeof one, text: string) => ({ start: projection.text.indexOf(text), end: projection.text.indexOf(text) + text.length });
    const chapters = [
      { chapter: { id: 'c1', title: 'One' }, projection: one, annotations: [
        readAnnotationOf({ by: 'ann', name: 'Ann', status: 'sourced', at: 1, ...span(one, 'Second claim there.') }),
        readAnnotationOf({ by: 'ben', name: 'Ben', status: 'contested', at: 2, ...span(one, 'Second claim there.') }),
        readAnnotationOf({ by: 'cy', name: 'Cy', status: 'contested', at: 3, ...span(one, 'Second claim there.') }),
      ] },
      { chapter: { id: 'c2', title: 'Two' }, projection: two, annotations: [
        readAnnotationOf({ by: 'ann', name: 'Ann B.', status: 'contested', at: 4, ...span(two, 'It argues.') }),
        readAnnotationOf({ by: 'ben', name: 'Ben', status: 'interpretive', at: 5, ...span(two, 'It argues.') }),
        readAnnotationOf({ by: 'ben', name: 'Ben', kind: 'comment', at: 6, ...span(two, 'Another chapter speaks.') }),
      ] },
    ];
    const seminar = seminarOverview(chapters);
    expect(seminar.chapters.map((c) => [c.chapter.id, c.sentences, c.rows.map((r) => [r.userId, r.annotations])])).toEqual([
      ['c1', 3, [['ann', 1], ['ben', 1], ['cy', 1]]],
      ['c2', 2, [['ann', 1], ['ben', 2]]],
    ]);
    expect(seminar.people.map((p) => [p.name, p.annotations])).toEqual([['Ann B.', 2], ['Ben', 3], ['Cy', 1]]);
    // Chapter two's pair disagrees wholly; chapter one's three readers in two of three pairs.
    const agenda = seminar.agreement.disagreements;
    expect(agenda.map((d) => [d.chapter.id, d.sentence.text, d.paragraph, Math.round(d.disagreement * 100)])).toEqual([
      ['c2', 'It argues.', 1, 100],
      ['c1', 'Second claim there.', 2, 67],
    ]);
    const [first, second] = agenda;
    expect(two.text.slice(two.blocks[0]!.start + first!.inParagraph.start, two.blocks[0]!.start + first!.inParagraph.end)).toBe('It argues.');
    expect(second!.inParagraph).toEqual({ start: 'First claim here. '.length, end: 'First claim here. Second claim there.'.length });
    // The seminar's names: Ann's latest.
    expect(first!.said.map((s) => `${s.name}: ${s.status}`)).toEqual(['Ann B.: contested', 'Ben: interpretive']);
    expect(seminar.agreement.readers.map((r) => r.name)).toEqual(['Ann B.', 'Ben', 'Cy']);
    expect(seminar.agreement.sentences).toBe(5);
    expect(seminar.agreement.tagged).toEqual({ ann: 2, ben: 2, cy: 1 });
    expect(seminar.agreement.coverage.find((p) => p.a === 'ann' && p.b === 'ben')).toMatchObject({ both: 2, share: 2 / 5 });
    expect(seminarOverview(chapters, {}, { disagreements: 1 }).agreement.disagreements).toHaveLength(1);
  });

  it('counts only what was written in the range, in every chapter', () => {
    const one = projectChapter(chapterDoc(para('First claim here.')));
    const chapters = [
      { chapter: { id: 'c1', title: 'One' }, projection: one, annotations: [readAnnotationOf({ by: 'ann', at: 1, start: 0, end: 17 }), readAnnotationOf({ by: 'ben', at: 30, start: 0, end: 17 })] },
      { chapter: { id: 'c2', title: 'Two' }, projection: one, annotations: [readAnnotationOf({ by: 'ann', at: 40, start: 0, end: 17 })] },
    ];
    const seminar = seminarOverview(chapters, { since: minute(20) });
    expect(seminar.range).toEqual({ since: minute(20), until: null });
    expect(seminar.people.map((p) => [p.userId, p.annotations])).toEqual([['ann', 1], ['ben', 1]]);
    expect(seminar.chapters.map((c) => c.annotations)).toEqual([1, 1]);
  });
});
