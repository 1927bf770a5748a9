import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap, annotationToYMap, deleteAnnotation, updateAnnotation } from '../../schema/index.ts';
import { createAccessAuthorizer } from '../../server/index.ts';
import { annotateAs, AuthorizerHarness, contextOf, sessionOf } from '../helpers/access-builders.ts';

// The update check keeps a shadow of the server's annotation document. It is fed the updates it
// accepts; what the server writes without a check (an import) must reach it all the same, or
// later updates are judged against a document that is not the server's.
const owner = sessionOf('u-owner', 'owner', 'Olga');
const ann = sessionOf('u-ann', 'annotator', 'Anna');
const bob = sessionOf('u-bob', 'annotator', 'Bob');

/** Writes `change` into the server document directly, as an import does (no check, a server origin). */
function writeOnServer(h: AuthorizerHarness, change: (doc: Y.Doc) => void): void {
  const replica = h.replica();
  const update = AuthorizerHarness.capture(replica, () => change(replica));
  Y.applyUpdate(h.live, update, { kind: 'server' });
}

describe('the update check’s view of server-side writes', () => {
  it('knows an annotation the server wrote after the first check: its author may edit it, others may not', () => {
    const h = new AuthorizerHarness(createAccessAuthorizer());
    const bobDoc = h.replica();
    expect(h.change(bob, bobDoc, () => annotateAs(bobDoc, bob)).ok).toBe(true);
    let id = '';
    writeOnServer(h, (doc) => (id = annotateAs(doc, ann).id));

    const annDoc = h.replica();
    expect(h.change(ann, annDoc, () => updateAnnotation(annDoc, id, { note: 'revised' }, contextOf(ann)))).toEqual({ ok: true });
    const verdict = h.change(bob, bobDoc, () => updateAnnotation(bobDoc, id, { note: 'not yours' }, contextOf(bob)));
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ reason: expect.stringMatching(/may not edit note/) });
    expect(verdict).not.toHaveProperty('resync', true);
  });

  it('knows an annotation the server deleted after the first check: its key is free again', () => {
    const h = new AuthorizerHarness(createAccessAuthorizer());
    const bobDoc = h.replica();
    let bobsAnnotation = annotateAs(new Y.Doc(), bob);
    expect(h.change(bob, bobDoc, () => (bobsAnnotation = annotateAs(bobDoc, bob))).ok).toBe(true);
    writeOnServer(h, (doc) => {
      const deleted = deleteAnnotation(doc, bobsAnnotation.id, contextOf(owner));
      if (!deleted.ok) throw new Error(deleted.errors.join('; '));
    });

    // Anna writes a new annotation of her own under the freed key: a creation, not a deletion of Bob's.
    const annDoc = h.replica();
    const annsOwn = { ...annotateAs(new Y.Doc(), ann), id: bobsAnnotation.id };
    expect(h.change(ann, annDoc, () => annotationsMap(annDoc).set(annsOwn.id, annotationToYMap(annsOwn)))).toEqual({ ok: true });
  });
});
