import * as encoding from 'lib0/encoding';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  annotationsMap,
  deleteAnnotation,
  deleteReply,
  dismissedMap,
  dismissSuggestion,
  editReply,
  listAnnotations,
  listReplies,
  repliesMap,
  resolveAnnotation,
  updateAnnotation,
} from '../../schema/index.ts';
import { createAccessAuthorizer } from '../../server/index.ts';
import { annotateAs, AuthorizerHarness, contextOf, sessionOf } from '../helpers/access-builders.ts';
import { forgeAuthor } from '../helpers/stored-records.ts';

// The update check of the access layer, driven with real schema operations on client replicas
// and with hand-made updates no honest client would send.
const owner = sessionOf('u-owner', 'owner', 'Olga');
const reviewer = sessionOf('u-rev', 'reviewer', 'Rita');
const ann = sessionOf('u-ann', 'annotator', 'Anna');
const bob = sessionOf('u-bob', 'annotator', 'Bob');
const viewer = sessionOf('u-view', 'viewer', 'Vera');

describe('the annotation update check', () => {
  let h: AuthorizerHarness;
  let annDoc: Y.Doc;
  let bobDoc: Y.Doc;
  let bobsId: string;
  const denied = (verdict: { ok: boolean; reason?: string }, pattern: RegExp) => {
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(pattern);
  };

  beforeEach(() => {
    h = new AuthorizerHarness(createAccessAuthorizer({ currentName: (userId) => (userId === 'u-ann' ? 'Anna K.' : null) }));
    annDoc = h.replica();
    bobDoc = h.replica();
    let id = '';
    expect(h.change(bob, bobDoc, () => (id = annotateAs(bobDoc, bob).id)).ok).toBe(true);
    bobsId = id;
  });

  it('stores an annotator’s own annotation, reply and dismissal', () => {
    let id = '';
    expect(h.change(ann, annDoc, () => (id = annotateAs(annDoc, ann, { kind: 'claim', claimStatus: 'contested' }).id))).toEqual({ ok: true });
    expect(h.change(ann, annDoc, () => addReply(annDoc, { annotationId: bobsId, body: 'I disagree' }, contextOf(ann)))).toEqual({ ok: true });
    expect(h.change(ann, annDoc, () => dismissSuggestion(annDoc, 'finding-1', contextOf(ann)))).toEqual({ ok: true });
    expect(listAnnotations(h.live).map((a) => a.id)).toContain(id);
    expect(listReplies(h.live, bobsId)).toHaveLength(1);
    expect(dismissedMap(h.live).has('finding-1')).toBe(true);
  });

  it('accepts the display name chosen after the session began', () => {
    expect(h.change(ann, annDoc, () => annotateAs(annDoc, { userId: 'u-ann', name: 'Anna K.' })).ok).toBe(true);
  });

  it('refuses forged authors, author names and dismissers, storing nothing', () => {
    const before = Y.encodeStateVector(h.live);
    // A refused change stays in its replica (the client keeps it); each attempt starts afresh.
    const attempt = (change: (doc: Y.Doc) => void) => {
      const doc = h.replica();
      return h.change(ann, doc, () => change(doc));
    };
    denied(attempt((doc) => annotateAs(doc, { userId: 'u-bob', name: 'Bob' })), /authorId must be your user id/);
    denied(attempt((doc) => annotateAs(doc, { userId: 'u-ann', name: 'Instructor' })), /authorName/);
    denied(attempt((doc) => addReply(doc, { annotationId: bobsId, body: 'x' }, contextOf(bob))), /authorId/);
    denied(attempt((doc) => dismissSuggestion(doc, 'finding-2', contextOf(bob))), /by must be your user id/);
    expect(Y.encodeStateVector(h.live)).toEqual(before);
  });

  it('lets only the owner edit or delete another user’s annotation', () => {
    denied(h.change(ann, annDoc, () => updateAnnotation(annDoc, bobsId, { note: 'rewritten' }, contextOf(ann))), /may not edit note/);
    const reviewerDoc = h.replica();
    denied(h.change(reviewer, reviewerDoc, () => deleteAnnotation(reviewerDoc, bobsId, contextOf(reviewer))), /may not delete/);
    const ownerDoc = h.replica();
    expect(h.change(owner, ownerDoc, () => updateAnnotation(ownerDoc, bobsId, { note: 'edited by the owner' }, contextOf(owner))).ok).toBe(true);
    expect(listAnnotations(h.live).find((a) => a.id === bobsId)?.note).toBe('edited by the owner');
  });

  it('lets reviewers set anyone’s status and annotators only their own', () => {
    denied(h.change(ann, annDoc, () => resolveAnnotation(annDoc, bobsId, contextOf(ann))), /may not change the status/);
    const reviewerDoc = h.replica();
    expect(h.change(reviewer, reviewerDoc, () => resolveAnnotation(reviewerDoc, bobsId, contextOf(reviewer))).ok).toBe(true);
    expect(h.change(bob, bobDoc, () => updateAnnotation(bobDoc, bobsId, { note: 'still mine' }, contextOf(bob))).ok).toBe(true);
    const mine = h.replica();
    let id = '';
    h.change(ann, mine, () => (id = annotateAs(mine, ann).id));
    expect(h.change(ann, mine, () => resolveAnnotation(mine, id, contextOf(ann))).ok).toBe(true);
  });

  it('refuses a status change stamped with someone else’s name', () => {
    const reviewerDoc = h.replica();
    denied(h.change(reviewer, reviewerDoc, () => resolveAnnotation(reviewerDoc, bobsId, contextOf(owner))), /stamped with your own user/);
  });

  it('deletes an annotation with the thread others wrote, but no one deletes others’ replies alone', () => {
    let replyId = '';
    expect(h.change(ann, annDoc, () => (replyId = (addReply(annDoc, { annotationId: bobsId, body: 'mine' }, contextOf(ann)) as { value: { id: string } }).value.id)).ok).toBe(true);
    const bobAgain = () => h.replica();
    const edit = bobAgain();
    denied(h.change(bob, edit, () => editReply(edit, replyId, 'changed', contextOf(bob))), /may not edit another user's reply/);
    const remove = bobAgain();
    denied(h.change(bob, remove, () => deleteReply(remove, replyId, contextOf(bob))), /may not delete another user's reply/);
    const whole = bobAgain();
    expect(h.change(bob, whole, () => deleteAnnotation(whole, bobsId, contextOf(bob))).ok).toBe(true);
    expect(annotationsMap(h.live).has(bobsId)).toBe(false);
    expect(repliesMap(h.live).has(replyId)).toBe(false);
  });

  it('refuses everything a viewer sends', () => {
    const viewerDoc = h.replica();
    denied(h.change(viewer, viewerDoc, () => dismissSuggestion(viewerDoc, 'f', contextOf(viewer))), /viewers cannot change/);
  });

  it('lets only the owner mark a correction applied', () => {
    const applied = (doc: Y.Doc, who: { userId: string }) => () =>
      doc.transact(() => {
        const entry = annotationsMap(doc).get(bobsId)!;
        entry.set('status', 'applied');
        entry.set('statusBy', who.userId);
        entry.set('statusByName', who === owner ? 'Olga' : 'Rita');
        entry.set('statusAt', '2025-03-02T10:00:00.000Z');
        entry.set('applied', { original: 'moderate turn', by: who.userId, at: '2025-03-02T10:00:00.000Z' });
      }, 'test');
    // A problem can be applied; make Bob's annotation one first.
    expect(h.change(bob, bobDoc, () => updateAnnotation(bobDoc, bobsId, { kind: 'problem', problemType: 'typo', correction: 'x' }, contextOf(bob))).ok).toBe(true);
    const reviewerDoc = h.replica();
    denied(h.change(reviewer, reviewerDoc, applied(reviewerDoc, reviewer)), /only the owner applies/);
    const ownerDoc = h.replica();
    expect(h.change(owner, ownerDoc, applied(ownerDoc, owner)).ok).toBe(true);
  });

  it('refuses raw writes outside the layout: unknown roots, plain entries, nested types, extra or deleted fields', () => {
    const cases: [string, (doc: Y.Doc) => void, RegExp][] = [
      ['an unknown root', (doc) => doc.getMap('secrets').set('k', 1), /unknown root/],
      ['a plain entry', (doc) => annotationsMap(doc).set('a-xxxxxxxxxxxxxxxx', 1 as never), /must be a Y.Map/],
      ['a nested map', (doc) => annotationsMap(doc).get(bobsId)!.set('note', new Y.Map() as never), /plain JSON/],
      ['a text field', (doc) => annotationsMap(doc).get(bobsId)!.set('note', new Y.Text('x') as never), /plain JSON|nests a type/],
      ['an extra field', (doc) => annotationsMap(doc).get(bobsId)!.set('admin', true), /unknown field/],
      ['a deleted field', (doc) => annotationsMap(doc).get(bobsId)!.delete('kind'), /missing field kind/],
      ['a deleted anchor', (doc) => annotationsMap(doc).get(bobsId)!.delete('span'), /span: missing/],
      ['a layout-1 author field', (doc) => annotationsMap(doc).get(bobsId)!.set('authorId', 'u-bob'), /unknown field "authorId"/],
      ['a changed author', (doc) => forgeAuthor(annotationsMap(doc).get(bobsId)!, 'u-ann'), /authorId cannot change/],
    ];
    // As the owner, who may edit anything: the layout itself refuses these.
    for (const [what, change, pattern] of cases) {
      const doc = h.replica();
      const verdict = h.change(owner, doc, () => doc.transact(() => change(doc), 'test'));
      expect(verdict.ok, what).toBe(false);
      expect(verdict.ok ? '' : verdict.reason, what).toMatch(pattern);
    }
    expect(listAnnotations(h.live)).toHaveLength(1);
    expect(h.live.share.has('secrets')).toBe(false);
  });

  it('asks for a resync when an update depends on one the server never received', () => {
    const offline = h.replica();
    const first = AuthorizerHarness.capture(offline, () => annotateAs(offline, ann));
    const second = AuthorizerHarness.capture(offline, () => updateAnnotation(offline, listAnnotations(offline).find((a) => a.authorId === 'u-ann')!.id, { note: 'later' }, contextOf(ann)));
    const verdict = h.send(ann, second);
    expect(verdict).toMatchObject({ ok: false, resync: true });
    expect(h.send(ann, Y.mergeUpdates([first, second])).ok).toBe(true);
  });

  it('checks an update against accepted ones not yet applied (two updates in one turn)', () => {
    const fast = h.replica();
    let id = '';
    const first = AuthorizerHarness.capture(fast, () => (id = annotateAs(fast, ann).id));
    const second = AuthorizerHarness.capture(fast, () => updateAnnotation(fast, id, { note: 'typed on' }, contextOf(ann)));
    expect(h.send(ann, first, { apply: false }).ok).toBe(true);
    expect(h.send(ann, second, { apply: false }).ok).toBe(true);
    const forged = AuthorizerHarness.capture(fast, () => forgeAuthor(annotationsMap(fast).get(id)!, 'u-bob'));
    expect(h.send(ann, forged, { apply: false }).ok).toBe(false);
  });

  it('refuses writes under a Yjs client id another user writes with', () => {
    const squatter = h.replica();
    // Set after loading: Yjs would otherwise pick a new id on seeing its own id in remote data.
    squatter.clientID = bobDoc.clientID;
    denied(h.send(ann, AuthorizerHarness.capture(squatter, () => annotateAs(squatter, ann))), /writes for another user/);
  });

  it('accepts an offline edit of an annotation someone else deleted meanwhile (it changes nothing)', () => {
    const offline = h.replica();
    const edit = AuthorizerHarness.capture(offline, () => updateAnnotation(offline, bobsId, { note: 'offline edit' }, contextOf(bob)));
    const ownerDoc = h.replica();
    expect(h.change(owner, ownerDoc, () => deleteAnnotation(ownerDoc, bobsId, contextOf(owner))).ok).toBe(true);
    expect(h.send(bob, edit).ok).toBe(true);
    expect(annotationsMap(h.live).has(bobsId)).toBe(false);
  });

  it('refuses hand-made updates with reference cycles, forward references, gaps or missing origins', () => {
    const cases: [string, Uint8Array, RegExp, boolean][] = [
      ['a reference cycle between two clients', craftUpdate([{ client: 71, items: [{ origin: [72, 0] }] }, { client: 72, items: [{ origin: [71, 0] }] }]), /cycle/, false],
      ['a forward reference', craftUpdate([{ client: 73, items: [{ origin: [73, 1] }, { root: 'dismissed', key: 'k' }] }]), /refers forward/, false],
      ['a gap before the first clock', craftUpdate([{ client: 74, clock: 5, items: [{ root: 'dismissed', key: 'k' }] }]), /starts at 74:5/, true],
      ['an origin nobody has', craftUpdate([{ client: 75, items: [{ origin: [99_999, 3] }] }]), /does not have/, true],
      ['an unknown root', craftUpdate([{ client: 76, items: [{ root: 'secrets', key: 'k' }] }]), /unknown root/, false],
    ];
    for (const [what, update, reason, missing] of cases) {
      const verdict = h.send(owner, update);
      expect(verdict.ok, what).toBe(false);
      expect(verdict.ok ? '' : verdict.reason, what).toMatch(reason);
      expect(verdict.ok ? undefined : (verdict.resync ?? false), what).toBe(missing);
    }
    // The same encoder makes an acceptable dismissal, so the refusals above are about the references.
    const dismissal = { by: 'u-owner', at: '2025-01-01T00:00:00.000Z' };
    expect(h.send(owner, craftUpdate([{ client: 77, items: [{ root: 'dismissed', key: 'crafted', value: dismissal }] }])).ok).toBe(true);
    expect(dismissedMap(h.live).get('crafted')).toEqual(dismissal);
  });
});

/** A hand-made struct: placed under a root map key, or after an origin (inheriting its place). */
type CraftedItem = { root: string; key: string; value?: unknown } | { origin: [number, number]; value?: unknown };

/**
 * Encodes a Yjs v1 update by hand (what no Yjs client would produce): per client a run of
 * ContentAny items from `clock` (default 0), each with an origin or an explicit root parent and
 * key; an empty delete set.
 */
function craftUpdate(clients: { client: number; clock?: number; items: CraftedItem[] }[]): Uint8Array {
  const CONTENT_ANY = 8;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients.length);
  for (const { client, clock = 0, items } of clients) {
    encoding.writeVarUint(encoder, items.length);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
    for (const item of items) {
      if ('origin' in item) {
        encoding.writeUint8(encoder, CONTENT_ANY | 0x80);
        encoding.writeVarUint(encoder, item.origin[0]);
        encoding.writeVarUint(encoder, item.origin[1]);
      } else {
        encoding.writeUint8(encoder, CONTENT_ANY | 0x20);
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, item.root);
        encoding.writeVarString(encoder, item.key);
      }
      encoding.writeVarUint(encoder, 1);
      encoding.writeAny(encoder, (item.value ?? 'x') as never);
    }
  }
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}
