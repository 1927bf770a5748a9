import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap, createAnnotation, deleteAnnotation, resolveAnnotation, updateAnnotation } from '../../schema/index.ts';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { liveAnnotationCounts } from '../../server/rooms/annotation-counts.ts';
import { countAnnotations } from '../../server/rooms/room-stats.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { storeLayoutOne } from '../helpers/stored-records.ts';
import { TextEditor, replicaOf, syncAll, textDocFrom } from '../helpers/text-doc-harness.ts';

// The seminar page's counts of a live room are kept change by change (server/rooms/annotation-counts.ts):
// after every kind of change they must equal a full count.

let clock = Date.parse('2025-03-01T10:00:00.000Z');
const ada = { actor: { userId: 'u-ada', name: 'Ada' }, now: () => new Date((clock += 1000)) };

describe('the live counts of a room', () => {
  it('follow creations, kind and status changes, deletions, merges and unreadable records', () => {
    const editor = new TextEditor(textDocFrom(chapterDoc(para('The decree was repealed in the spring of that year.'))));
    const anchor = (words: string) => {
      const made = createAnchor(editor.fragment, editor.find(words));
      if (!made.ok) throw new Error(made.error);
      return made.value;
    };
    const doc = new Y.Doc();
    const check = () => expect(liveAnnotationCounts(doc)).toEqual(countAnnotations(doc));
    const make = (input: Parameters<typeof createAnnotation>[1]) => {
      const made = createAnnotation(doc, input, ada);
      if (!made.ok) throw new Error(made.errors.join('; '));
      return made.value.id;
    };
    const comment = make({ kind: 'comment', anchor: anchor('decree') });
    check();
    const problem = make({ kind: 'problem', problemType: 'typo', anchor: anchor('repealed') });
    const other = make({ kind: 'problem', problemType: 'other', anchor: anchor('spring') });
    expect(liveAnnotationCounts(doc)).toEqual({ annotations: 3, openProblems: 2 });
    resolveAnnotation(doc, problem, ada);
    check();
    updateAnnotation(doc, comment, { kind: 'problem', problemType: 'grammar' }, ada);
    check();
    deleteAnnotation(doc, other, ada);
    check();
    // A record nobody can read (a forged field) is not counted, as listAnnotations skips it.
    doc.transact(() => annotationsMap(doc).get(comment)!.set('admin', true));
    check();
    expect(liveAnnotationCounts(doc).annotations).toBe(1);
    // A layout-1 record, and a concurrent edit merged in from another replica.
    const created = createAnnotation(new Y.Doc(), { kind: 'problem', problemType: 'typo', anchor: anchor('year') }, ada);
    if (!created.ok) throw new Error('create');
    storeLayoutOne(doc, { ...created.value, v: 1 });
    check();
    const replica = replicaOf(doc, 77);
    resolveAnnotation(replica, created.value.id, ada);
    syncAll(doc, replica);
    check();
    expect(liveAnnotationCounts(doc)).toEqual({ annotations: 2, openProblems: 0 });
  });
});
