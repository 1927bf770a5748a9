import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../../schema/anchoring/create-anchor.ts';
import { annotationsMap, annotationToYMap, dismissedMap, repliesMap, replyToYMap } from '../../schema/annotations/layout.ts';
import type { Annotation, Reply } from '../../schema/annotations/model.ts';
import { AnnotationOrigin } from '../../schema/annotations/origin.ts';
import { chapterSchema } from '../../schema/chapter/chapter-schema.ts';
import { importChapter } from '../../schema/chapter/importer.ts';
import { readRoomSnapshot } from '../../schema/exchange/export/snapshot.ts';
import type { RoomSnapshot } from '../../schema/exchange/export/snapshot.ts';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import { projectYDoc, TEXT_FRAGMENT_NAME } from '../../schema/chapter/y-text-projection.ts';
import { applyImport } from '../../schema/exchange/import/apply.ts';
import { DEFAULT_IMPORT_LIMITS } from '../../schema/exchange/import/limits.ts';
import type { ImportLimits } from '../../schema/exchange/import/limits.ts';
import { importParseContext } from '../../schema/exchange/import/native.ts';
import { parseImport } from '../../schema/exchange/import/parse.ts';
import { chapterDoc, heading, note, para } from './chapter-doc-builder.ts';
import type { BlockSpec } from './chapter-doc-builder.ts';

/**
 * Builders for export/import tests: a room's two Yjs documents made from a small chapter,
 * annotations placed by quoting the text, and the snapshot the exporters read.
 */

/** A room in memory: the text document, the annotation document, and its id and title. */
export interface TestRoom {
  id: string;
  title: string;
  textDoc: Y.Doc;
  annotationsDoc: Y.Doc;
}

/** Builds a room whose text document holds the chapter made of `blocks`. */
export function testRoom(blocks: BlockSpec[], id = 'test-room', title = 'A Test Chapter'): TestRoom {
  const textDoc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(chapterSchema, chapterDoc(...blocks).toJSON(), textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  return { id, title, textDoc, annotationsDoc: new Y.Doc() };
}

/** Builds a room whose text document holds a chapter given as ProseMirror JSON (e.g. the importer's). */
export function roomFromChapter(chapter: unknown, id = 'chapter-room', title = 'A Chapter'): TestRoom {
  const textDoc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(chapterSchema, chapter, textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  return { id, title, textDoc, annotationsDoc: new Y.Doc() };
}

/** Builds a room from the fixture chapter (fixtures/chapter-5.txt) as the importer reads it. */
export function fixtureRoom(id = 'chapter-5', title = '5. Stalin’s “Soft Course” and the Soviet 1930s Phenomenon'): TestRoom {
  const imported = importChapter(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  return roomFromChapter(imported.doc, id, title);
}

/** A room with an empty annotation document and a copy of `room`'s text document. */
export function emptyCopy(room: TestRoom, id = 'empty-room'): TestRoom {
  const textDoc = new Y.Doc();
  Y.applyUpdate(textDoc, Y.encodeStateAsUpdate(room.textDoc));
  return { id, title: room.title, textDoc, annotationsDoc: new Y.Doc() };
}

let idCounter = 0;

/** A fresh annotation or reply id (`a-`/`r-` and 16 url-safe characters), deterministic per run. */
export function testId(prefix: 'a' | 'r'): string {
  idCounter++;
  return `${prefix}-${String(idCounter).padStart(16, '0')}`;
}

/** What `annotate` may set; everything else takes a plain default. */
export type AnnotationSpec = Partial<Omit<Annotation, 'anchor'>> & {
  /** The annotated words; must occur in the text. */
  quote: string;
  /** Which occurrence of the words (0-based) when they occur more than once. */
  occurrence?: number;
};

/** Adds an annotation on the words `spec.quote`, written through the layout in one transaction. */
export function annotate(room: TestRoom, spec: AnnotationSpec): Annotation {
  const table = new BlockTable(room.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const text = table.fullText();
  let start = -1;
  for (let i = 0; i <= (spec.occurrence ?? 0); i++) start = text.indexOf(spec.quote, start + 1);
  if (start < 0) throw new RangeError(`quote ${JSON.stringify(spec.quote)} not in the text`);
  const anchor = createAnchorFromTextRange(table, { start, end: start + spec.quote.length });
  if (!anchor.ok) throw new Error(anchor.error);
  const { quote: _quote, occurrence: _occurrence, ...fields } = spec;
  const annotation: Annotation = {
    id: testId('a'),
    kind: 'comment',
    claimStatus: null,
    problemType: null,
    footnotes: [],
    note: '',
    correction: null,
    status: 'open',
    statusBy: null,
    statusByName: null,
    statusAt: null,
    authorId: 'u-alice',
    authorName: 'Alice',
    created: '2024-05-01T10:00:00.000Z',
    modified: '2024-05-01T10:00:00.000Z',
    related: [],
    anchor: anchor.value,
    provenance: null,
    applied: null,
    v: 1,
    ...fields,
  };
  room.annotationsDoc.transact(() => annotationsMap(room.annotationsDoc).set(annotation.id, annotationToYMap(annotation)), new AnnotationOrigin('create', annotation.authorId));
  return annotation;
}

/** Adds a reply to an annotation. */
export function reply(room: TestRoom, annotationId: string, body: string, fields: Partial<Reply> = {}): Reply {
  const record: Reply = {
    id: testId('r'),
    annotationId,
    authorId: 'u-bob',
    authorName: 'Bob',
    body,
    created: '2024-05-02T09:30:00.000Z',
    modified: '2024-05-02T09:30:00.000Z',
    ...fields,
  };
  room.annotationsDoc.transact(() => repliesMap(room.annotationsDoc).set(record.id, replyToYMap(record)), new AnnotationOrigin('add-reply', record.authorId));
  return record;
}

/** Dismisses an assistant finding for the room. */
export function dismiss(room: TestRoom, findingId: string, by = 'u-owner', at = '2024-05-03T08:00:00.000Z'): void {
  room.annotationsDoc.transact(() => dismissedMap(room.annotationsDoc).set(findingId, { by, at }), new AnnotationOrigin('dismiss-suggestion', by));
}

/** Reads the room the way the server's export does. */
export function snapshotOf(room: TestRoom): RoomSnapshot {
  const chapter = yXmlFragmentToProsemirrorJSON(room.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  return readRoomSnapshot({ room: { id: room.id, title: room.title }, chapter, textDoc: room.textDoc, annotationsDoc: room.annotationsDoc });
}

/** Export options with a fixed time and origin, so exports are reproducible. */
export const EXPORT_OPTIONS = Object.freeze({ baseUrl: 'https://apparatus.example', exportedAt: '2024-06-01T12:00:00.000Z' });

/**
 * Edits the chapter the way a replica would: replaces the first run of text holding `words`
 * (within one Y.XmlText) with `replacement`. Deleting the annotated words orphans or
 * degrades the annotations on them.
 */
export function replaceText(room: TestRoom, words: string, replacement = ''): void {
  const fragment = room.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME);
  for (const block of fragment.toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    for (const child of block.toArray()) {
      if (!(child instanceof Y.XmlText)) continue;
      const text = child.toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
      const at = text.indexOf(words);
      if (at < 0) continue;
      room.textDoc.transact(() => {
        child.delete(at, words.length);
        if (replacement !== '') child.insert(at, replacement);
      }, 'test-edit');
      return;
    }
  }
  throw new RangeError(`words ${JSON.stringify(words)} are not inside one run of text`);
}

/**
 * A room with one of everything an export must carry: claims of each status, a problem with
 * a correction, an applied correction, a comment, replies, footnote links, a relation, a
 * quote with an astral character (𝔊, two UTF-16 units), a degraded and an orphaned annotation,
 * and a dismissed suggestion.
 */
export function sampleRoom(id = 'sample-room'): TestRoom {
  const room = testRoom(
    [
      heading('5. Stalin’s Soft Course', 1),
      heading('The turn of 1934'),
      para('The Party line softened in 1934.^1 Kirov spoke of the *new course* at the congress.'),
      para('The 𝔊osplan report (1935) set new targets.^2 The Party line softened in 1934. Critics |12|disagreed.'),
      para('A doubled doubled word sits here, and a passage that will be deleted entirely soon.'),
      note(1, 'Khlevniuk O., Master of the House, p. 112.'),
      note(2, 'RGASPI, f. 17, op. 3, d. 𝔊 961.'),
    ],
    id,
  );
  const claim = annotate(room, { quote: 'The Party line softened in 1934.', kind: 'claim', claimStatus: 'sourced', footnotes: [1], note: 'See Khlevniuk.' });
  annotate(room, { quote: 'Kirov spoke of the new course', kind: 'claim', claimStatus: 'contested', note: '=HYPERLINK("http://evil")' });
  const astral = annotate(room, { quote: '𝔊osplan report (1935)', kind: 'claim', claimStatus: 'interpretive', footnotes: [2] });
  const duplicate = annotate(room, { quote: 'The Party line softened in 1934.', occurrence: 1, kind: 'problem', problemType: 'duplication', related: [{ id: claim.id, relation: 'duplicate-of' }] });
  annotate(room, { quote: 'doubled doubled', kind: 'problem', problemType: 'typo', correction: 'doubled', note: 'Typo, "quoted", with, commas\nand a newline' });
  annotate(room, {
    quote: 'set new targets',
    kind: 'problem',
    problemType: 'mistranslation',
    correction: 'set higher targets',
    status: 'resolved',
    statusBy: 'u-owner',
    statusByName: 'Owner',
    statusAt: '2024-05-04T10:00:00.000Z',
  });
  annotate(room, {
    quote: 'congress',
    kind: 'problem',
    problemType: 'typo',
    correction: 'congress',
    status: 'applied',
    statusBy: 'u-owner',
    statusByName: 'Owner',
    statusAt: '2024-05-05T10:00:00.000Z',
    applied: { original: 'congres', by: 'u-owner', at: '2024-05-05T10:00:00.000Z' },
  });
  annotate(room, { quote: 'Critics disagreed', kind: 'comment', note: '@mention +1 -1', provenance: { source: 'assistant', detector: 'unsourced', findingId: 'f-unsourced-1' } });
  annotate(room, { quote: 'that will be deleted entirely', kind: 'comment', note: 'This text goes away.' });
  annotate(room, { quote: 'sits here, and a', kind: 'comment', note: 'Degraded after an edit.' });
  reply(room, claim.id, 'Agreed, footnote 1 supports it.');
  reply(room, claim.id, 'Second reply 𝔊.', { authorId: 'u-carol', authorName: 'Carol', created: '2024-05-02T10:00:00.000Z', modified: '2024-05-02T11:00:00.000Z' });
  reply(room, duplicate.id, 'Same sentence twice.');
  reply(room, astral.id, '-starts with a minus');
  dismiss(room, 'finding-duplicate-1');
  replaceText(room, 'that will be deleted entirely');
  replaceText(room, 'here,', 'there,');
  return room;
}

// Provenance keys an import writes about itself (when, by whom, from which file) rather than
// about the annotation's origin.
const IMPORT_BOOKKEEPING = new Set([
  'source', 'format', 'sourceId', 'importedAt', 'importedBy', 'originalCreator', 'originalCreatorId', 'originalCreated',
  'originalModified', 'originalStatusBy', 'originalStatusAt', 'originalAppliedBy', 'originalAppliedAt', 'replyOrigins',
]);

/** Provenance as an import leaves it: prior non-import provenance is kept as a JSON string. */
function normaliseProvenance(provenance: NativeExport['annotations'][number]['provenance']): Record<string, unknown> {
  if (provenance === null) return {};
  if (provenance.source !== 'import') return { priorProvenance: JSON.stringify(provenance) };
  return Object.fromEntries(Object.entries(provenance).filter(([key]) => !IMPORT_BOOKKEEPING.has(key)));
}

/**
 * A native export reduced to what must survive export → import → export (RELIABILITY C2):
 * everything users wrote and every origin, with what an import legitimately changes taken
 * out. Imported records name the importing owner and the import time as author and times,
 * and keep the file's as provenance; normalising reads authorship from there. Relative
 * positions (ids of another document's items) are dropped; "relocated" (positions lost,
 * quote found) becomes "anchored", since an import writes fresh positions.
 */
export function normaliseNative(doc: NativeExport): unknown {
  const annotations = doc.annotations.map((a) => {
    const prov = a.provenance?.source === 'import' ? a.provenance : null;
    const from = <T>(key: string, fallback: T): T => (prov && prov[key] !== undefined ? (prov[key] as T) : fallback);
    const origins = JSON.parse(String(prov?.replyOrigins ?? '{}')) as Record<string, [string, string, string, string]>;
    const { start: _start, end: _end, ...anchor } = a.anchor;
    return {
      ...a,
      authorId: from('originalCreatorId', a.authorId),
      authorName: from('originalCreator', a.authorName),
      created: from('originalCreated', a.created),
      modified: from('originalModified', a.modified),
      statusBy: a.statusBy === null ? null : 'set',
      statusByName: from('originalStatusBy', a.statusByName),
      statusAt: from('originalStatusAt', a.statusAt),
      applied: a.applied && { original: a.applied.original, by: from('originalAppliedBy', a.applied.by), at: from('originalAppliedAt', a.applied.at) },
      provenance: normaliseProvenance(a.provenance),
      anchor,
      resolved: { ...a.resolved, state: a.resolved.state === 'relocated' ? 'anchored' : a.resolved.state },
      replies: a.replies.map((r) => {
        const origin = origins[r.id];
        return origin ? { ...r, authorName: origin[0], authorId: origin[1], created: origin[2], modified: origin[3] } : r;
      }),
    };
  });
  annotations.sort((x, y) => (x.id < y.id ? -1 : 1));
  return { chapter: doc.chapter, annotations, dismissed: doc.dismissed.map((d) => d.id) };
}

/** The importing owner of the import tests. */
export const IMPORTER = Object.freeze({ userId: 'u-importer', name: 'Importing Owner' });

/** Parses and applies an import file's text to a room, as the server's import route does. */
export function importInto(room: TestRoom, fileText: string, options: { dryRun?: boolean; now?: string; limits?: ImportLimits } = {}) {
  const context = importParseContext(projectYDoc(room.textDoc), options.limits ?? DEFAULT_IMPORT_LIMITS);
  const parsed = parseImport(fileText, context);
  if (!parsed.ok) return { ok: false as const, error: parsed.error };
  const report = applyImport(parsed.plan, room.textDoc, room.annotationsDoc, {
    actor: IMPORTER,
    now: options.now ?? '2024-07-01T09:00:00.000Z',
    dryRun: options.dryRun ?? false,
  });
  return { ok: true as const, report };
}

/** Text a hostile annotator might type: markup, a CDATA end, entities, controls, a lone surrogate, CR LF. */
export const HOSTILE_TEXT = '<script>alert(1)</script> ]]> &amp; </note></annotation><!-- x --> <!DOCTYPE x [<!ENTITY e "x">]>&e; \u0001\u0007 \ud800 "dq" \'sq\' line\r\nnext =cmd|\' /C calc\'!A0';

/**
 * The sample room plus what strains an export that must nest: two claims whose passages cross,
 * a comment with a claim nested in it, a problem and a claim on the same words, a passage that
 * runs from one paragraph into the next, a claim inside a footnote, and hostile text in a note,
 * a correction, a reply and an author's name.
 */
export function overlappingRoom(id = 'overlap-room'): TestRoom {
  const room = sampleRoom(id);
  annotate(room, { quote: 'line softened in 1934. Kirov', kind: 'claim', claimStatus: 'contested', note: 'Crosses the sourced claim.' });
  const outer = annotate(room, { quote: 'Kirov spoke of the new course at the congress.', kind: 'comment', note: HOSTILE_TEXT, authorId: 'u-mallory', authorName: '<b>Mallory</b> & "Co"' });
  annotate(room, { quote: 'Critics disagreed', kind: 'problem', problemType: 'grammar', correction: '</corr><corr>Critics disagreed', note: 'Same words as a comment.' });
  annotate(room, { quote: 'disagreed.\n\nA doubled', kind: 'comment', note: 'Runs across two paragraphs.' });
  annotate(room, { quote: 'Master of the House', kind: 'claim', claimStatus: 'sourced', note: 'In a footnote.' });
  reply(room, outer.id, HOSTILE_TEXT, { authorId: 'u-mallory', authorName: '<b>Mallory</b> & "Co"' });
  return room;
}
