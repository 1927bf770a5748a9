import { describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { exportDocx } from '../../schema/exchange/export/docx/docx-export.ts';
import type { ExportSelection } from '../../schema/exchange/export/export-selection.ts';
import type { RoomSnapshot, SnapshotAnnotation } from '../../schema/exchange/export/snapshot.ts';
import { acceptedText, commentSpans, readDocx, trackedChanges } from '../helpers/docx-reader.ts';
import { annotate, EXPORT_OPTIONS, fixtureRoom, reply, sampleRoom, snapshotOf, testRoom } from '../helpers/export-builders.ts';
import { heading, note, para } from '../helpers/chapter-doc-builder.ts';

const EVERYTHING: ExportSelection = { kinds: new Set(['claim', 'problem', 'comment']), includeResolved: true };

const docx = (snapshot: RoomSnapshot, selection: ExportSelection = EVERYTHING) => exportDocx(snapshot, { ...EXPORT_OPTIONS, selection });

/** Word's revision time: the annotation's creation, to the second, in UTC. */
const revisionTime = (iso: string) => `${iso.slice(0, 19)}Z`;

/** The text an annotation covers now (its quote when it has no place in the text). */
function passage(snapshot: RoomSnapshot, entry: SnapshotAnnotation): string {
  const { start, end } = entry.resolved;
  return start !== null && end !== null && start < end ? snapshot.projection.text.slice(start, end) : snapshot.projection.text.slice(0, snapshot.projection.blocks[0]!.end);
}

const isTracked = ({ annotation: a, resolved }: SnapshotAnnotation) =>
  a.kind === 'problem' && a.correction !== null && (a.status === 'open' || a.status === 'resolved') && (resolved.state === 'anchored' || resolved.state === 'relocated');

/** The status stamps a decision writes (without them a status reads open). */
const decidedBy = (name: string) => ({ statusBy: `u-${name.toLowerCase()}`, statusByName: name, statusAt: '2024-05-06T09:00:00.000Z' });

/** A room with a proposed deletion, a correction across two paragraphs, a correction inside that one, and one in a footnote. */
function reviewRoom() {
  const room = testRoom([
    heading('A Chapter', 1),
    para('First paragraph ends here with a stray stray word.^1'),
    para('Second paragraph goes on, and a clause to cut goes too.'),
    note(1, 'A note with a transliteration: Khlevnjuk.'),
  ]);
  annotate(room, { quote: 'stray stray', kind: 'problem', problemType: 'duplication', correction: 'stray', authorName: 'Dana', created: '2024-05-03T08:15:30.250Z' });
  annotate(room, { quote: ', and a clause to cut', kind: 'problem', problemType: 'omission', correction: '', note: 'Cut it.' });
  annotate(room, { quote: 'here with a stray stray word.\n\nSecond paragraph', kind: 'problem', problemType: 'grammar', correction: 'here. Second paragraph', note: 'Runs into the next paragraph.' });
  annotate(room, { quote: 'ends here with a stray', kind: 'problem', problemType: 'other', correction: 'x', status: 'rejected', ...decidedBy('Owner') });
  annotate(room, { quote: 'Khlevnjuk', kind: 'problem', problemType: 'transliteration', correction: 'Khlevniuk', authorName: 'Petr' });
  annotate(room, { quote: 'goes on', kind: 'claim', claimStatus: 'interpretive', footnotes: [1] });
  return room;
}

describe('Word export: tracked changes', () => {
  it('makes every open or accepted problem with a correction a tracked change that replaces exactly its quote, by its author at its time', async () => {
    const snapshot = snapshotOf(sampleRoom());
    const read = readDocx(await docx(snapshot));
    const expected = snapshot.annotations.filter(isTracked).map(({ annotation: a }) => ({ deleted: a.anchor.quote.exact, inserted: a.correction, author: a.authorName, date: revisionTime(a.created) }));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(trackedChanges(read.body)).toEqual(expect.arrayContaining(expected));
    expect(trackedChanges(read.body)).toHaveLength(expected.length);
    expect(read.trackRevisions).toBe(true);
  });

  it('tracks a proposed deletion as a deletion alone, a correction in a footnote there, and the first of two overlapping ones', async () => {
    const read = readDocx(await docx(snapshotOf(reviewRoom())));
    const changes = [...trackedChanges(read.body), ...read.footnotes.flatMap((f) => trackedChanges(f.tokens))];
    expect(changes).toEqual([
      { deleted: 'here with a stray stray word.\n\nSecond paragraph', inserted: 'here. Second paragraph', author: 'Alice', date: '2024-05-01T10:00:00Z' },
      { deleted: ', and a clause to cut', inserted: '', author: 'Alice', date: '2024-05-01T10:00:00Z' },
      { deleted: 'Khlevnjuk', inserted: 'Khlevniuk', author: 'Petr', date: '2024-05-01T10:00:00Z' },
    ]);
    // Word cannot delete the same words twice: the duplication inside the grammar change, and
    // the rejected problem, stay comments. The footnote marker stays out of the deletion.
    expect(acceptedText(read.body)).toBe('A Chapter\n\nFirst paragraph ends here. Second paragraph goes on goes too.');
    expect(read.body.filter((t) => t.kind === 'footnote-reference')).toHaveLength(1);
  });

  it('deletes the paragraph mark of a change that runs into the next paragraph, so accepting it joins them', async () => {
    const room = testRoom([heading('T', 1), para('One ends badly'), para('and two goes on.')]);
    annotate(room, { quote: 'badly\n\nand two', kind: 'problem', problemType: 'grammar', correction: 'well, and two' });
    const read = readDocx(await docx(snapshotOf(room)));
    expect(trackedChanges(read.body)).toEqual([{ deleted: 'badly\n\nand two', inserted: 'well, and two', author: 'Alice', date: '2024-05-01T10:00:00Z' }]);
    expect(acceptedText(read.body)).toBe('T\n\nOne ends well, and two goes on.');
  });

  it('shows a reader the corrected text with every change accepted (mammoth skips deletions and keeps insertions)', async () => {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(await docx(snapshotOf(sampleRoom()))) });
    expect(value).toContain('set higher targets');
    expect(value).not.toContain('set new targets');
    expect(value).toContain('A doubled word');
  });
});

describe('Word export: comments', () => {
  it('puts every other annotation as a comment spanning exactly its passage, closed ones marked done', async () => {
    const snapshot = snapshotOf(sampleRoom());
    const read = readDocx(await docx(snapshot));
    const spans = commentSpans(read.body);
    const topLevel = read.comments.filter((c) => c.parentId === null);
    const commented = snapshot.annotations.filter((e) => !isTracked(e) || e.annotation.note.trim() !== '' || e.replies.length > 0);
    expect(topLevel).toHaveLength(commented.length);
    expect(topLevel.map((c) => spans.get(c.id)).sort()).toEqual(commented.map((e) => passage(snapshot, e)).sort());
    const applied = topLevel.find((c) => c.text.includes('Applied: “congres” → “congress”'))!;
    expect(applied.done).toBe(true);
    expect(spans.get(applied.id)).toBe('congress');
  });

  it('says what each comment is: tag, status, footnotes, note and a correction that could not be tracked', async () => {
    const snapshot = snapshotOf(reviewRoom());
    const read = readDocx(await docx(snapshot));
    const texts = read.comments.map((c) => c.text);
    expect(texts).toContain('Problem: Duplication\nProposed correction: “stray”');
    expect(texts).toContain('Problem: Other · rejected\nProposed correction: “x”');
    expect(texts).toContain('Interpretive claim · footnote 1');
    // The deletion's note travels with it, as a comment on the deleted words.
    const cut = read.comments.find((c) => c.text === 'Problem: Omission\nCut it.')!;
    expect(commentSpans(read.body).get(cut.id)).toBe(', and a clause to cut');
    // A change's comment spans the deleted words, over the paragraph break.
    const grammar = read.comments.find((c) => c.text === 'Problem: Grammar\nRuns into the next paragraph.')!;
    expect(commentSpans(read.body).get(grammar.id)).toBe('here with a stray stray word.\n\nSecond paragraph');
  });

  it('keeps comments out of footnotes (LibreOffice cannot open a file with one there): a note’s comment sits on the word before its marker', async () => {
    const room = testRoom([heading('T', 1), para('The claim rests on an archive.^1 More text.'), note(1, 'RGASPI, f. 17, op. 3.')]);
    annotate(room, { quote: 'f. 17', kind: 'comment', note: 'Which file?' });
    annotate(room, { quote: 'op. 3', kind: 'problem', problemType: 'citation', correction: 'op. 4', note: 'The inventory is 4.' });
    const read = readDocx(await docx(snapshotOf(room)));
    expect(read.commentMarksInFootnotes).toBe(0);
    const spans = commentSpans(read.body);
    expect(read.comments.map((c) => [c.text, spans.get(c.id)])).toEqual([
      ['Comment\nIn note 1: “f. 17”\nWhich file?', 'archive.'],
      ['Problem: Citation\nIn note 1: “op. 3”\nThe inventory is 4.', 'archive.'],
    ]);
    // The correction itself is still tracked inside the note.
    expect(trackedChanges(read.footnotes[0]!.tokens)).toEqual([expect.objectContaining({ deleted: 'op. 3', inserted: 'op. 4' })]);
  });

  it('gives footnotes, comments and revisions distinct ids (LibreOffice swaps footnote texts when a comment shares a footnote’s id)', async () => {
    const read = readDocx(await docx(snapshotOf(reviewRoom())));
    const ids = [...read.footnotes.map((f) => f.id), ...read.comments.map((c) => c.id), ...read.revisionIds];
    expect(read.comments.length).toBeGreaterThan(0);
    expect(read.revisionIds.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('threads the replies under their annotation’s comment, with their authors and times', async () => {
    const room = sampleRoom();
    const snapshot = snapshotOf(room);
    const read = readDocx(await docx(snapshot));
    const claim = snapshot.annotations.find((e) => e.replies.length === 2)!;
    const replies = read.comments.filter((c) => c.parentId !== null && read.comments.find((p) => p.id === c.parentId)!.text.startsWith('Sourced claim'));
    expect(replies.map((r) => [r.author, r.text, r.date?.slice(0, 19)])).toEqual(claim.replies.map((r) => [r.authorName, r.body, r.created.slice(0, 19)]));
  });

  it('anchors a comment whose passage was deleted on the title, saying what it read', async () => {
    const snapshot = snapshotOf(sampleRoom());
    const read = readDocx(await docx(snapshot));
    const orphan = read.comments.find((c) => c.text.includes('no longer in the text'))!;
    expect(orphan.text).toContain('It read: “that will be deleted entirely”');
    expect(commentSpans(read.body).get(orphan.id)).toBe('5. Stalin’s Soft Course');
  });

  it('carries only the chosen kinds, and closed annotations only when asked', async () => {
    const snapshot = snapshotOf(sampleRoom());
    const problemsOnly = readDocx(await docx(snapshot, { kinds: new Set(['problem']), includeResolved: false }));
    expect(problemsOnly.comments.filter((c) => c.parentId === null).map((c) => c.text.split('\n')[0])).toEqual(['Problem: Duplication', 'Problem: Typo']);
    expect(trackedChanges(problemsOnly.body)).toHaveLength(2);
    const commentsOnly = readDocx(await docx(snapshot, { kinds: new Set(['comment']), includeResolved: true }));
    expect(commentsOnly.comments.every((c) => c.parentId !== null || c.text.startsWith('Comment'))).toBe(true);
    expect(trackedChanges(commentsOnly.body)).toEqual([]);
  });
});

describe('Word export: the chapter', () => {
  it('gives the fixture chapter’s footnotes 130–165 as Word footnotes in order, numbered from 130', async () => {
    const room = fixtureRoom();
    const snapshot = snapshotOf(room);
    const read = readDocx(await docx(snapshot));
    const notes = snapshot.projection.blocks.filter((b) => b.type === 'footnote');
    expect(notes.map((b) => b.n)).toEqual(Array.from({ length: 36 }, (_, i) => 130 + i));
    expect(read.footnoteNumberStart).toBe(130);
    expect(read.footnotes.map((f) => f.text)).toEqual(notes.map((b) => snapshot.projection.text.slice(b.start, b.end)));
    const references = read.body.filter((t) => t.kind === 'footnote-reference');
    expect(references.map((t) => (t.kind === 'footnote-reference' ? t.id : -1))).toEqual(read.footnotes.map((f) => f.id));
    // The body reads as the chapter: title, headings, paragraphs, nothing lost.
    const bodyText = snapshot.projection.text.slice(0, notes[0]!.start - 2);
    expect(acceptedText(read.body)).toBe(bodyText);
  });

  it('gives footnotes numbered with gaps their own numbers as custom marks, and keeps a note without a marker', async () => {
    const room = testRoom([heading('T', 1), para('See^1 and^3.'), note(1, 'One.'), note(3, 'Three.'), note(5, 'Five, never cited.')]);
    const read = readDocx(await docx(snapshotOf(room)));
    expect(read.footnoteNumberStart).toBeNull();
    const references = read.body.filter((t) => t.kind === 'footnote-reference');
    expect(references.every((t) => t.kind === 'footnote-reference' && t.customMark)).toBe(true);
    expect(read.footnotes.map((f) => f.text)).toEqual(['1One.', '3Three.']);
    expect(acceptedText(read.body)).toBe('T\n\nSee1 and3.\n\nFootnote 5 (no marker in the text): Five, never cited.');
  });

  it('writes hostile text (markup, a CDATA end, control characters, broken surrogates) as text into a file every XML parser reads', async () => {
    const hostile = 'x</w:t><w:t>injected</w:t> ]]> & <b>\u0001\u0007\u001f\u007f \uffff \ud800 end';
    const room = testRoom([heading('T', 1), para('Some \u0002 text to review here.')]);
    const made = annotate(room, { quote: 'text to', kind: 'comment', note: hostile, authorName: 'Eve <w:t>' });
    reply(room, made.id, hostile);
    annotate(room, { quote: 'review', kind: 'problem', problemType: 'typo', correction: hostile });
    const read = readDocx(await docx(snapshotOf(room))); // strict parser: throws on any XML error
    // Characters XML cannot carry become U+FFFD, as in the TEI export (DEL is allowed and stays).
    const shown = 'x</w:t><w:t>injected</w:t> ]]> & <b>\ufffd\ufffd\ufffd\u007f \ufffd \ufffd end';
    expect(read.comments.map((c) => c.text)).toEqual(expect.arrayContaining([`Comment\n${shown}`, shown]));
    expect(read.comments[0]!.author).toBe('Eve <w:t>');
    expect(trackedChanges(read.body)).toEqual([expect.objectContaining({ deleted: 'review', inserted: shown })]);
    expect(acceptedText(read.body)).toContain('Some \ufffd text to');
  });
});
