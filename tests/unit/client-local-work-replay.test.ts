import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  annotationsMap,
  createAnchor,
  createAnnotation,
  deleteAnnotation,
  dismissSuggestion,
  dismissedMap,
  listAnnotations,
  listReplies,
  readAnnotationById,
  resolveAnnotation,
  updateAnnotation,
} from '../../schema/index.ts';
import type { Anchor, Annotation, NewAnnotation, OperationContext, Role } from '../../schema/index.ts';
import { replayLocalWork } from '../../client/collab/local-work-replay.ts';
import { chapterDoc, note, para } from '../helpers/chapter-doc-builder.ts';
import { forgeAuthor } from '../helpers/stored-records.ts';
import { TextEditor, replicaOf, textDocFrom } from '../helpers/text-doc-harness.ts';

let clock = Date.parse('2025-03-01T10:00:00.000Z');
const tick = () => new Date((clock += 60_000));
const ada: OperationContext = { actor: { userId: 'u-ada', name: 'Ada' }, now: tick };
const ben: OperationContext = { actor: { userId: 'u-ben', name: 'Ben' }, now: tick };

const editor = new TextEditor(textDocFrom(chapterDoc(para('The decree was repealed in May. Grain purchases were abolished.^1 Courts reviewed cases.'), note(1, 'Khlevniuk.'))));

function anchorOn(text: string): Anchor {
  const made = createAnchor(editor.fragment, editor.find(text));
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

function create(doc: Y.Doc, text: string, context: OperationContext, extra: Partial<NewAnnotation> = {}): Annotation {
  const created = createAnnotation(doc, { kind: 'comment', note: `On ${text}`, anchor: anchorOn(text), ...extra }, context);
  if (!created.ok) throw new Error(created.errors.join('; '));
  return created.value;
}

/**
 * A server document, a user's local replica of it (whose later writes are "unsaved"), and a
 * fresh copy of the server's state to replay onto, as the recovery opens it.
 */
function room(seed: (server: Y.Doc) => void = () => {}) {
  const server = new Y.Doc();
  seed(server);
  const local = replicaOf(server);
  const replayAs = (role: Role, context = ada) => {
    const fresh = replicaOf(server);
    const report = replayLocalWork(local, fresh, { actor: context.actor, role, ownClients: new Set([local.clientID]), footnoteNumbers: new Set([1]), now: tick });
    return { fresh, report };
  };
  return { server, local, replayAs };
}

const quotes = (doc: Y.Doc) => listAnnotations(doc).map((a) => a.anchor.quote.exact).sort();

describe('replaying unsaved annotation work after a refusal', () => {
  it('re-makes the user’s own new annotations and drops one that names another author', () => {
    const { local, replayAs } = room();
    const kept = create(local, 'The decree was repealed', ada, { footnotes: [1] });
    const forged = create(local, 'Courts reviewed cases', ada);
    local.transact(() => forgeAuthor(annotationsMap(local).get(forged.id)!, 'u-someone-else'));
    create(local, 'Grain purchases were abolished', ada);

    const { fresh, report } = replayAs('annotator');

    expect(quotes(fresh)).toEqual(['Grain purchases were abolished', 'The decree was repealed']);
    const recreated = readAnnotationById(fresh, kept.id);
    expect(recreated.ok && recreated.value).toMatchObject({ authorId: 'u-ada', footnotes: [1], note: kept.note });
    expect(report.replayed).toHaveLength(2);
    expect(report.dropped).toEqual([{ what: 'annotation on “Courts reviewed cases”', reason: 'it names another user as its author' }]);
  });

  it('leaves alone what the server already stored and work that came from other users', () => {
    let stored: Annotation;
    const { local, server, replayAs } = room((s) => (stored = create(s, 'The decree was repealed', ben)));
    // Ben's later edit reaches this replica from the server but not (yet) the fresh copy.
    const bensLater = replicaOf(server);
    updateAnnotation(bensLater, stored!.id, { note: 'Ben, later' }, ben);
    Y.applyUpdate(local, Y.encodeStateAsUpdate(bensLater));

    const { fresh, report } = replayAs('annotator');

    expect(report).toEqual({ replayed: [], dropped: [] });
    expect(quotes(fresh)).toEqual(['The decree was repealed']);
  });

  it('replays a status change the role allows and drops an edit of another user’s annotation it does not', () => {
    let bens: Annotation;
    const { local, replayAs } = room((s) => (bens = create(s, 'Courts reviewed cases', ben)));
    resolveAnnotation(local, bens!.id, ada);
    updateAnnotation(local, bens!.id, { note: 'Rewritten by Ada' }, ada);

    const asReviewer = replayAs('reviewer');
    const read = readAnnotationById(asReviewer.fresh, bens!.id);
    expect(read.ok && read.value).toMatchObject({ status: 'resolved', statusBy: 'u-ada', note: 'On Courts reviewed cases' });
    expect(asReviewer.report.dropped).toEqual([{ what: 'annotation on “Courts reviewed cases”', reason: "a reviewer may not edit another user's annotation" }]);

    const asAnnotator = replayAs('annotator');
    expect(asAnnotator.report.replayed).toEqual([]);
    expect(asAnnotator.report.dropped.map((d) => d.reason)).toContain("an annotator may not change the status of another user's annotation");
  });

  it('replays replies, dismissals and deletions of the user’s own annotations', () => {
    let mine: Annotation;
    let bens: Annotation;
    const { local, replayAs } = room((s) => {
      mine = create(s, 'The decree was repealed', ada);
      bens = create(s, 'Courts reviewed cases', ben);
    });
    addReply(local, { annotationId: bens!.id, body: 'Which court?' }, ada);
    dismissSuggestion(local, 'finding-1', ada);
    deleteAnnotation(local, mine!.id, ada);

    const { fresh, report } = replayAs('annotator');

    expect(quotes(fresh)).toEqual(['Courts reviewed cases']);
    expect(listReplies(fresh, bens!.id).map((r) => [r.authorId, r.body])).toEqual([['u-ada', 'Which court?']]);
    expect(dismissedMap(fresh).get('finding-1')).toMatchObject({ by: 'u-ada' });
    expect(report.dropped).toEqual([]);
    expect(report.replayed).toHaveLength(3);
  });

  it('drops a link to a footnote the chapter does not have, as the server would refuse it', () => {
    const { local, replayAs } = room();
    create(local, 'Courts reviewed cases', ada, { footnotes: [7] });
    const { fresh, report } = replayAs('annotator');
    expect(listAnnotations(fresh)).toEqual([]);
    expect(report.dropped).toHaveLength(1);
    expect(report.dropped[0]!.reason).toContain('7');
  });

  it('writes the whole replay as one update from a new client', () => {
    const { local, server } = room();
    create(local, 'Courts reviewed cases', ada);
    create(local, 'The decree was repealed', ada);
    const fresh = replicaOf(server);
    const updates: Uint8Array[] = [];
    fresh.on('update', (update: Uint8Array) => updates.push(update));
    replayLocalWork(local, fresh, { actor: ada.actor, role: 'annotator', ownClients: new Set([local.clientID]), now: tick });
    expect(updates).toHaveLength(1);
    expect(fresh.clientID).not.toBe(local.clientID);
    expect(quotes(fresh)).toHaveLength(2);
  });
});
