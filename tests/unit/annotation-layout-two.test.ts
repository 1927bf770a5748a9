import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { annotationsMap, listAnnotations, listInvalidAnnotations, readAnnotationById, storedFieldsOf } from '../../schema/annotations/layout.ts';
import { recordsToUpgrade, upgradeAnnotationRecords } from '../../schema/annotations/layout-migration.ts';
import type { Anchor, Annotation } from '../../schema/annotations/model.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import {
  createAnnotation,
  deleteAnnotation,
  linkFootnote,
  reanchorAnnotation,
  resolveAnnotation,
  updateAnnotation,
} from '../../schema/annotations/operations.ts';
import { decodeStoredAnnotation, encodeAnnotation, isLayoutOneRecord, STORED_V2_KEYS } from '../../schema/annotations/stored-layout.ts';
import { readRoomSnapshot } from '../../schema/exchange/export/snapshot.ts';
import { chapterDoc, note, para } from '../helpers/chapter-doc-builder.ts';
import { editLayoutOne, storeLayoutOne } from '../helpers/stored-records.ts';
import { TextEditor, replicaOf, syncAll, textDocFrom } from '../helpers/text-doc-harness.ts';
import { mergeLayers } from '../../server/rounds/layer-merge.ts';

// Layout 2 (schema/README.md): the compact stored form of an annotation, and the conversion of
// layout-1 records that keeps concurrent layout-1 edits (old clients, offline caches).

let clock = Date.parse('2025-03-01T10:00:00.000Z');
const tick = () => new Date((clock += 60_000));
const ada: OperationContext = { actor: { userId: 'u-0000000000000001', name: 'Reader 1' }, now: tick };
const rita: OperationContext = { actor: { userId: 'u-rita', name: 'Rita' }, now: tick };

function chapter(): TextEditor {
  return new TextEditor(
    textDocFrom(
      chapterDoc(
        para("It was a 'moderate turn'.^1 The decree was repealed in the spring, and the courts reviewed the cases of the peasants who had been sentenced."),
        note(1, 'Khlevniuk.'),
      ),
    ),
  );
}

function anchorOn(editor: TextEditor, words: string): Anchor {
  const made = createAnchor(editor.fragment, editor.find(words));
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

function created(doc: Y.Doc, input: Parameters<typeof createAnnotation>[1], context = ada): Annotation {
  const result = createAnnotation(doc, input, context);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.value;
}

/** A layout-1 record as an old client stored it, built from what an annotation reads as. */
function layoutOneRecord(annotation: Annotation, changes: Partial<Annotation> = {}): Annotation {
  return { ...annotation, ...changes, v: 1 };
}

/** What a record reads as, minus the two things conversion is allowed to change in the reading. */
function comparable(annotation: Annotation): unknown {
  const position = (p: Record<string, unknown>) => ({ item: p.item, assoc: p.assoc });
  const { start, end } = annotation.anchor as unknown as Record<string, Record<string, unknown>>;
  return { ...annotation, created: Date.parse(annotation.created), anchor: { ...annotation.anchor, start: position(start!), end: position(end!) } };
}

describe('layout 2: the compact stored form', () => {
  it('stores a typical annotation in well under half the bytes of layout 1, and reads it back unchanged', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const note = 'Seeded note 17: a remark of ordinary length about the passage.';
    const claim = created(doc, { kind: 'claim', claimStatus: 'contested', note, anchor: anchorOn(editor, 'the courts reviewed the cases') });
    const layoutTwo = Y.encodeStateAsUpdate(doc).length;

    const old = new Y.Doc();
    storeLayoutOne(old, layoutOneRecord(claim));
    const layoutOne = Y.encodeStateAsUpdate(old).length;

    expect(layoutTwo).toBeLessThan(400);
    expect(layoutOne).toBeGreaterThan(2 * layoutTwo);
    expect(readAnnotationById(doc, claim.id)).toEqual({ ok: true, value: claim });
    expect(readAnnotationById(old, claim.id)).toEqual({ ok: true, value: claim });
    // Only non-default fields are stored, under the documented keys.
    const keys = [...annotationsMap(doc).get(claim.id)!.keys()].sort();
    expect(keys).toEqual(['claimStatus', 'kind', 'made', 'note', 'span']);
    expect(keys.every((key) => (STORED_V2_KEYS as readonly string[]).includes(key))).toBe(true);
  });

  it('round-trips every field, defaults and non-defaults alike', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const other = created(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const problem = created(doc, {
      kind: 'problem',
      problemType: 'typo',
      note: 'n',
      correction: '',
      footnotes: [1],
      related: [{ id: other.id, relation: 'see-also' }],
      anchor: anchorOn(editor, 'moderate turn'),
      provenance: { source: 'import', format: 'w3c' },
    });
    expect(resolveAnnotation(doc, problem.id, rita).ok).toBe(true);
    const read = readAnnotationById(doc, problem.id);
    expect(read.ok).toBe(true);
    const annotation = (read as { value: Annotation }).value;
    expect(annotation).toMatchObject({ status: 'resolved', statusBy: 'u-rita', correction: '', footnotes: [1], provenance: { source: 'import' } });
    const again = decodeStoredAnnotation(annotation.id, encodeAnnotation(annotation));
    expect(again).toEqual({ ok: true, value: annotation });
  });

  it('refuses a layout-2 record holding layout-1 names of packed fields, or a malformed made or span', () => {
    const stored = encodeAnnotation(created(new Y.Doc(), { kind: 'comment', anchor: anchorOn(chapter(), 'decree') }));
    expect(decodeStoredAnnotation('a-0000000000000000', { ...stored, authorId: 'u-x' })).toEqual({ ok: false, errors: ['annotation: unknown field "authorId"'] });
    expect(decodeStoredAnnotation('a-0000000000000000', { ...stored, made: ['u-x', 'X'] }).ok).toBe(false);
    expect(decodeStoredAnnotation('a-0000000000000000', { ...stored, span: undefined } as Record<string, unknown>).ok).toBe(false);
  });

  it('exports read layout-2 records as they read in the editor', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const claim = created(doc, { kind: 'claim', claimStatus: 'sourced', anchor: anchorOn(editor, 'decree') });
    const snapshot = readRoomSnapshot({ room: { id: 'r', title: 'R' }, chapter: null, textDoc: editor.ydoc, annotationsDoc: doc });
    expect(snapshot.skipped).toBe(0);
    expect(snapshot.annotations.map((entry) => entry.annotation)).toEqual([claim]);
    expect(snapshot.annotations[0]!.resolved.state).toBe('anchored');
  });
});

describe('converting layout-1 records', () => {
  /** A room whose records were all written by an old client (layout 1). */
  function layoutOneRoom(editor: TextEditor) {
    const scratch = new Y.Doc();
    const claim = created(scratch, { kind: 'claim', claimStatus: 'contested', note: 'To check.', anchor: anchorOn(editor, 'decree') });
    const problem = created(scratch, { kind: 'problem', problemType: 'typo', correction: 'turn', anchor: anchorOn(editor, 'moderate turn') });
    const comment = created(scratch, { kind: 'comment', anchor: anchorOn(editor, 'the courts') }, rita);
    const server = new Y.Doc();
    server.clientID = 1;
    for (const annotation of [claim, problem, comment]) storeLayoutOne(server, layoutOneRecord(annotation, { anchor: annotation.anchor }));
    return { server, claim, problem, comment };
  }

  it('converts every record once, durably in one update, reading the same before and after', () => {
    const editor = chapter();
    const { server } = layoutOneRoom(editor);
    const before = listAnnotations(server).map(comparable);
    const updates: Uint8Array[] = [];
    server.on('update', (update: Uint8Array) => updates.push(update));

    expect(upgradeAnnotationRecords(server)).toBe(3);
    expect(updates).toHaveLength(1);
    expect(listAnnotations(server).map(comparable)).toEqual(before);
    for (const yAnnotation of annotationsMap(server).values()) expect(isLayoutOneRecord(yAnnotation)).toBe(false);
    expect(recordsToUpgrade(server)).toEqual([]);
    expect(upgradeAnnotationRecords(server)).toBe(0);
    expect(updates).toHaveLength(1);
    // A replica that applies the one stored update reads the same.
    const replica = replicaOf(server);
    expect(listAnnotations(replica)).toEqual(listAnnotations(server));
  });

  it('keeps every offline layout-1 edit an old client made against the records the server converted meanwhile', () => {
    const editor = chapter();
    const { server, claim, problem, comment } = layoutOneRoom(editor);
    // The old client's cache: the room as it was before the conversion.
    const old = replicaOf(server, 99);
    expect(upgradeAnnotationRecords(server)).toBe(3);

    // Offline, against layout 1: a note and claim status, a status change, a re-anchoring, a
    // footnote link, a deletion, and a new annotation.
    editLayoutOne(old, claim.id, { note: 'Checked: the decree was repealed in 1932.', claimStatus: 'sourced' }, '2025-03-02T09:00:00.000Z');
    editLayoutOne(old, problem.id, { status: 'resolved', statusBy: 'u-rita', statusByName: 'Rita', statusAt: '2025-03-02T09:01:00.000Z' }, '2025-03-02T09:01:00.000Z');
    const moved = anchorOn(editor, 'repealed');
    editLayoutOne(old, problem.id, { anchor: moved, footnotes: [1] }, '2025-03-02T09:02:00.000Z');
    old.transact(() => annotationsMap(old).delete(comment.id));
    const fresh = created(new Y.Doc(), { kind: 'comment', note: 'New, offline.', anchor: anchorOn(editor, 'peasants') });
    storeLayoutOne(old, layoutOneRecord(fresh));

    // Reconnecting: both sides exchange what the other lacks; the server converts what arrived.
    syncAll(server, old);
    upgradeAnnotationRecords(server);
    syncAll(server, old);

    for (const doc of [server, old]) {
      expect(listInvalidAnnotations(doc)).toEqual([]);
      expect(recordsToUpgrade(doc)).toEqual([]);
      const byId = new Map(listAnnotations(doc).map((a) => [a.id, a]));
      expect(byId.get(claim.id)).toMatchObject({ note: 'Checked: the decree was repealed in 1932.', claimStatus: 'sourced', modified: '2025-03-02T09:00:00.000Z' });
      expect(byId.get(problem.id)).toMatchObject({ status: 'resolved', statusBy: 'u-rita', footnotes: [1], modified: '2025-03-02T09:02:00.000Z' });
      expect(byId.get(problem.id)!.anchor.quote.exact).toBe('repealed');
      expect(byId.has(comment.id)).toBe(false);
      expect(byId.get(fresh.id)).toMatchObject({ note: 'New, offline.', authorId: ada.actor.userId });
    }
    expect(listAnnotations(old)).toEqual(listAnnotations(server));
  });

  it('reads a layout-1 anchor written into a converted record over its span, until the server folds it in', () => {
    const editor = chapter();
    const { server, problem } = layoutOneRoom(editor);
    const old = replicaOf(server, 99);
    upgradeAnnotationRecords(server);
    editLayoutOne(old, problem.id, { anchor: anchorOn(editor, 'repealed') }, '2025-03-02T09:00:00.000Z');
    syncAll(server, old);

    const stored = storedFieldsOf(annotationsMap(server).get(problem.id)!);
    expect(Object.keys(stored)).toEqual(expect.arrayContaining(['anchor', 'span']));
    expect(readAnnotationById(server, problem.id)).toMatchObject({ ok: true, value: { anchor: { quote: { exact: 'repealed' } } } });
    expect(recordsToUpgrade(server)).toEqual([problem.id]);
    expect(upgradeAnnotationRecords(server, undefined, [problem.id])).toBe(1);
    expect(annotationsMap(server).get(problem.id)!.has('anchor')).toBe(false);
    expect(readAnnotationById(server, problem.id)).toMatchObject({ ok: true, value: { anchor: { quote: { exact: 'repealed' } } } });
  });

  it('lets new code edit a layout-1 record it holds (an offline cache) in layout 1, so the server converts it on arrival', () => {
    const editor = chapter();
    const { server, claim, problem } = layoutOneRoom(editor);
    expect(updateAnnotation(server, claim.id, { note: 'Edited by new code.' }, ada).ok).toBe(true);
    expect(linkFootnote(server, claim.id, 1, ada).ok).toBe(true);
    expect(reanchorAnnotation(server, problem.id, anchorOn(editor, 'repealed'), ada).ok).toBe(true);
    const yClaim = annotationsMap(server).get(claim.id)!;
    const yProblem = annotationsMap(server).get(problem.id)!;
    expect(isLayoutOneRecord(yClaim) && isLayoutOneRecord(yProblem)).toBe(true);
    expect(yProblem.has('span')).toBe(false);
    expect(listInvalidAnnotations(server)).toEqual([]);
    expect(readAnnotationById(server, claim.id)).toMatchObject({ ok: true, value: { note: 'Edited by new code.', footnotes: [1] } });
    expect(deleteAnnotation(server, claim.id, ada).ok).toBe(true);
  });

  it('merges a blind-round layer an old page wrote in layout 1 into the shared layer in layout 2, reading the same', () => {
    const editor = chapter();
    const { server: layer } = layoutOneRoom(editor);
    const shared = new Y.Doc();
    created(shared, { kind: 'comment', anchor: anchorOn(editor, 'spring') });
    const before = [...listAnnotations(shared), ...listAnnotations(layer)].map(comparable);

    expect(mergeLayers(shared, [layer])).toBe(3);
    for (const yAnnotation of annotationsMap(shared).values()) expect(isLayoutOneRecord(yAnnotation)).toBe(false);
    expect(recordsToUpgrade(shared)).toEqual([]);
    expect(listInvalidAnnotations(shared)).toEqual([]);
    const sortById = (list: unknown[]) => [...list].sort((a, b) => String((a as { id: string }).id).localeCompare((b as { id: string }).id));
    expect(sortById(listAnnotations(shared).map(comparable))).toEqual(sortById(before));
    // Merging again adds nothing.
    expect(mergeLayers(shared, [layer])).toBe(0);
  });
});
