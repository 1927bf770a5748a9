import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { resolveAnchor } from '../../schema/anchoring/resolve.ts';
import { applyCorrection } from '../../schema/anchoring/apply-correction.ts';
import { annotationsMap, listAnnotations, listDismissed, listReplies, readAnnotationById, repliesMap } from '../../schema/annotations/layout.ts';
import type { Anchor, Annotation } from '../../schema/annotations/model.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import {
  acceptProblem,
  createAnnotation,
  deleteAnnotation,
  linkFootnote,
  rejectProblem,
  relateAnnotation,
  reopenAnnotation,
  resolveAnnotation,
  unlinkFootnote,
  unrelateAnnotation,
  updateAnnotation,
} from '../../schema/annotations/operations.ts';
import type { NewAnnotation } from '../../schema/annotations/operations.ts';
import { AnnotationOrigin } from '../../schema/annotations/origin.ts';
import { addReply, deleteReply, dismissSuggestion, editReply } from '../../schema/annotations/reply-operations.ts';
import { chapterDoc, note, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, replicaOf, syncAll, textDocFrom } from '../helpers/text-doc-harness.ts';

let clock = Date.parse('2025-03-01T10:00:00.000Z');
const tick = () => new Date((clock += 60_000));
const ada: OperationContext = { actor: { userId: 'u-ada', name: 'Ada' }, now: tick, validation: { footnoteNumbers: new Set([130, 131]) } };
const ben: OperationContext = { actor: { userId: 'u-ben', name: 'Ben' }, now: tick };

function chapter(): TextEditor {
  return new TextEditor(textDocFrom(chapterDoc(para("It was a 'moderate turn'.^130 The *Tassel Act* was repealed, said the decree."), note(130, 'Khlevniuk.'), note(131, 'Ibid.'))));
}

function anchorOn(editor: TextEditor, text: string): Anchor {
  const made = createAnchor(editor.fragment, editor.find(text));
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

function create(doc: Y.Doc, input: NewAnnotation, context = ada): Annotation {
  const created = createAnnotation(doc, input, context);
  if (!created.ok) throw new Error(created.errors.join('; '));
  return created.value;
}

/** Records the origin and changed keys of every transaction on the annotation document. */
function watch(doc: Y.Doc): { origin: unknown; keys: string[] }[] {
  const seen: { origin: unknown; keys: string[] }[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    const keys = [...tr.changed.values()].flatMap((set) => [...set].filter((k): k is string => k !== null));
    seen.push({ origin: tr.origin, keys: keys.sort() });
  });
  return seen;
}

describe('creating and updating annotations', () => {
  it('creates an open annotation stamped with its author and time, as a Y.Map of plain values', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const seen = watch(doc);
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', footnotes: [130, 130], anchor: anchorOn(editor, 'moderate turn') });
    expect(claim).toMatchObject({ status: 'open', authorId: 'u-ada', authorName: 'Ada', footnotes: [130], statusBy: null, applied: null, v: 1 });
    expect(claim.created).toBe(claim.modified);
    const stored = annotationsMap(doc).get(claim.id)!;
    expect([...stored.values()].some((value) => value instanceof Y.AbstractType)).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.origin).toEqual(new AnnotationOrigin('create', 'u-ada'));
  });

  it('refuses an invalid annotation and writes nothing', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const result = createAnnotation(doc, { kind: 'claim', footnotes: [999], anchor: anchorOn(editor, 'decree') }, ada);
    expect(result).toEqual({ ok: false, errors: ['claimStatus: a claim needs one of sourced, contested, interpretive', 'footnotes: the chapter has no footnote 999'] });
    expect(annotationsMap(doc).size).toBe(0);
  });

  it('writes only the changed fields, with modified restamped, under an update origin', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', anchor: anchorOn(editor, 'moderate turn') });
    const seen = watch(doc);
    const updated = updateAnnotation(doc, claim.id, { note: 'Check p. 177.' }, ben);
    expect(updated.ok && updated.value.modified > claim.modified).toBe(true);
    expect(seen).toEqual([{ origin: new AnnotationOrigin('update', 'u-ben'), keys: ['modified', 'note'] }]);
  });

  it('clears what the new kind does not have when the kind changes', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const problem = create(doc, { kind: 'problem', problemType: 'typo', correction: 'turn', anchor: anchorOn(editor, 'moderate turn') });
    const asClaim = updateAnnotation(doc, problem.id, { kind: 'claim', claimStatus: 'interpretive' }, ada);
    expect(asClaim.ok && asClaim.value).toMatchObject({ kind: 'claim', claimStatus: 'interpretive', problemType: null, correction: null });
    expect(updateAnnotation(doc, problem.id, { kind: 'problem' }, ada).ok).toBe(false);
  });

  it('links and unlinks footnotes that exist, keeping them sorted', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', footnotes: [131], anchor: anchorOn(editor, 'moderate turn') });
    expect(linkFootnote(doc, claim.id, 130, ada)).toMatchObject({ ok: true, value: { footnotes: [130, 131] } });
    expect(linkFootnote(doc, claim.id, 500, ada)).toEqual({ ok: false, errors: ['footnotes: the chapter has no footnote 500'] });
    expect(unlinkFootnote(doc, claim.id, 131, ada)).toMatchObject({ ok: true, value: { footnotes: [130] } });
    expect(unlinkFootnote(doc, claim.id, 131, ada)).toEqual({ ok: false, errors: ['footnote 131 is not linked'] });
  });

  it('saves a note and footnote links in one write, or nothing when a new link is invalid', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', footnotes: [131], note: 'before', anchor: anchorOn(editor, 'moderate turn') });
    const seen = watch(doc);
    expect(updateAnnotation(doc, claim.id, { note: 'after', footnotes: [500, 130] }, ada)).toEqual({ ok: false, errors: ['footnotes: the chapter has no footnote 500'] });
    expect(readAnnotationById(doc, claim.id)).toMatchObject({ ok: true, value: { note: 'before', footnotes: [131] } });
    expect(seen).toEqual([]);
    expect(updateAnnotation(doc, claim.id, { note: 'after', footnotes: [130] }, ada)).toMatchObject({ ok: true, value: { note: 'after', footnotes: [130] } });
    expect(seen).toEqual([{ origin: new AnnotationOrigin('update', 'u-ada'), keys: ['footnotes', 'modified', 'note'] }]);
  });

  it('keeps an old link whose footnote left the chapter when the annotation is saved again', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', footnotes: [131], anchor: anchorOn(editor, 'moderate turn') });
    const footnote131Gone: OperationContext = { ...ada, validation: { footnoteNumbers: new Set([130]) } };
    expect(updateAnnotation(doc, claim.id, { note: 'still linked', footnotes: [131, 130] }, footnote131Gone)).toMatchObject({ ok: true, value: { footnotes: [130, 131] } });
  });

  it('merges concurrent edits of different fields from two replicas', () => {
    const editor = chapter();
    const a = new Y.Doc();
    const claim = create(a, { kind: 'claim', claimStatus: 'sourced', anchor: anchorOn(editor, 'moderate turn') });
    const b = replicaOf(a);
    updateAnnotation(a, claim.id, { note: 'from A' }, ada);
    resolveAnnotation(b, claim.id, ben);
    syncAll(a, b);
    for (const doc of [a, b]) expect(readAnnotationById(doc, claim.id)).toMatchObject({ ok: true, value: { note: 'from A', status: 'resolved', statusBy: 'u-ben' } });
  });

  it('lets an undo manager tracking AnnotationOrigin undo a user’s own annotation writes', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const undo = new Y.UndoManager(doc.getMap('annotations'), { trackedOrigins: new Set([AnnotationOrigin]) });
    const claim = create(doc, { kind: 'claim', claimStatus: 'sourced', anchor: anchorOn(editor, 'moderate turn') });
    undo.undo();
    expect(annotationsMap(doc).has(claim.id)).toBe(false);
  });
});

describe('statuses and relations', () => {
  it('resolves and reopens any annotation, stamping who did it', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const comment = create(doc, { kind: 'comment', note: 'Why?', anchor: anchorOn(editor, 'decree') });
    expect(resolveAnnotation(doc, comment.id, ben)).toMatchObject({ ok: true, value: { status: 'resolved', statusBy: 'u-ben', statusByName: 'Ben' } });
    expect(reopenAnnotation(doc, comment.id, ada)).toMatchObject({ ok: true, value: { status: 'open', statusBy: 'u-ada' } });
  });

  it('accepts and rejects only problems', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const comment = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const problem = create(doc, { kind: 'problem', problemType: 'grammar', anchor: anchorOn(editor, 'was repealed') });
    expect(acceptProblem(doc, comment.id, ben)).toEqual({ ok: false, errors: ['only problems can be accepted'] });
    expect(rejectProblem(doc, comment.id, ben)).toEqual({ ok: false, errors: ['only problems can be rejected'] });
    expect(acceptProblem(doc, problem.id, ben)).toMatchObject({ ok: true, value: { status: 'resolved' } });
    expect(rejectProblem(doc, problem.id, ben)).toMatchObject({ ok: true, value: { status: 'rejected' } });
  });

  it('relates a duplicate to its original and unrelates it', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const original = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'moderate turn') });
    const duplicate = create(doc, { kind: 'problem', problemType: 'duplication', anchor: anchorOn(editor, 'decree') });
    const link = { id: original.id, relation: 'duplicate-of' } as const;
    expect(relateAnnotation(doc, duplicate.id, link, ada)).toMatchObject({ ok: true, value: { related: [link] } });
    expect(relateAnnotation(doc, duplicate.id, link, ada).ok).toBe(false);
    expect(relateAnnotation(doc, duplicate.id, { id: 'a-0000000000000000', relation: 'see-also' }, ada)).toEqual({ ok: false, errors: ['annotation a-0000000000000000 does not exist'] });
    expect(unrelateAnnotation(doc, duplicate.id, link, ada)).toMatchObject({ ok: true, value: { related: [] } });
  });
});

describe('replies, deletion and dismissals', () => {
  it('keeps replies in their own map, oldest first, editable and deletable', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const comment = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const first = addReply(doc, { annotationId: comment.id, body: 'First.' }, ben);
    const second = addReply(doc, { annotationId: comment.id, body: 'Second.' }, ada);
    if (!first.ok || !second.ok) throw new Error('replies failed');
    expect(editReply(doc, first.value.id, 'First, edited.', ben)).toMatchObject({ ok: true, value: { body: 'First, edited.' } });
    expect(listReplies(doc, comment.id).map((r) => r.body)).toEqual(['First, edited.', 'Second.']);
    expect(readAnnotationById(doc, comment.id)).toMatchObject({ ok: true, value: { modified: comment.modified } });
    deleteReply(doc, second.value.id, ada);
    expect(listReplies(doc, comment.id).map((r) => r.authorId)).toEqual(['u-ben']);
    expect(addReply(doc, { annotationId: 'a-0000000000000000', body: 'Hello?' }, ada).ok).toBe(false);
  });

  it('deletes an annotation together with its whole thread, in one transaction', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const comment = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const other = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'moderate turn') });
    addReply(doc, { annotationId: comment.id, body: 'Reply.' }, ben);
    addReply(doc, { annotationId: other.id, body: 'Elsewhere.' }, ben);
    const seen = watch(doc);
    expect(deleteAnnotation(doc, comment.id, ada)).toMatchObject({ ok: true });
    expect(seen).toHaveLength(1);
    expect(listAnnotations(doc).map((a) => a.id)).toEqual([other.id]);
    expect([...repliesMap(doc).values()].map((r) => r.get('annotationId'))).toEqual([other.id]);
  });

  it('records a dismissed suggestion once', () => {
    const doc = new Y.Doc();
    dismissSuggestion(doc, 'transliteration-7', ada);
    dismissSuggestion(doc, 'transliteration-7', ben);
    expect(listDismissed(doc)).toEqual([{ id: 'transliteration-7', by: 'u-ada', at: expect.any(String) }]);
  });

  it('lists valid annotations only, skipping a record a foreign writer broke', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const good = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const broken = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'moderate turn') });
    doc.transact(() => annotationsMap(doc).get(broken.id)!.set('kind', 'rumour'));
    expect(listAnnotations(doc).map((a) => a.id)).toEqual([good.id]);
  });

  it('throws a TypeError for an actor that is not a valid user', () => {
    const doc = new Y.Doc();
    expect(() => dismissSuggestion(doc, 'x', { actor: { userId: '', name: 'Nobody' }, now: tick })).toThrow(TypeError);
  });
});

describe('applying a correction', () => {
  function problemOn(editor: TextEditor, doc: Y.Doc, text: string, correction: string | null): Annotation {
    return create(doc, { kind: 'problem', problemType: 'typo', correction, anchor: anchorOn(editor, text) });
  }

  it('replaces the text inside its run, keeping italics, and marks the problem applied', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const problem = problemOn(editor, doc, 'Tassel', 'Ear');
    const applied = applyCorrection(doc, editor.ydoc, problem.id, ada);
    expect(applied).toMatchObject({ ok: true, value: { status: 'applied', statusBy: 'u-ada', applied: { original: 'Tassel', by: 'u-ada' } } });
    expect(editor.text()).toContain('The Ear Act was repealed');
    const ear = editor.find('Ear Act');
    expect(editor.doc().rangeHasMark(ear.from, ear.to, editor.doc().type.schema.marks.em!)).toBe(true);
    if (applied.ok) expect(resolveAnchor(editor.ydoc, applied.value.anchor)).toMatchObject({ state: 'anchored', from: ear.from });
  });

  it('refuses, writing nothing, when the problem is not cleanly anchored or crosses a footnote marker', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const acrossMarker = problemOn(editor, doc, "turn'. The", 'turn. The');
    const moved = problemOn(editor, doc, 'decree', 'edict');
    editor.insertText(editor.find('decree').from + 2, 'x');
    const noCorrection = problemOn(editor, doc, 'said', null);
    const before = [editor.text(), Y.encodeStateVector(doc)];
    expect(applyCorrection(doc, editor.ydoc, acrossMarker.id, ada)).toEqual({ ok: false, errors: ['the problem spans a footnote marker, page break or block boundary; correct the text by hand'] });
    expect(applyCorrection(doc, editor.ydoc, moved.id, ada)).toEqual({ ok: false, errors: ['the problem is degraded, not cleanly anchored; re-anchor it before applying'] });
    expect(applyCorrection(doc, editor.ydoc, noCorrection.id, ada)).toEqual({ ok: false, errors: ['the problem proposes no correction'] });
    expect([editor.text(), Y.encodeStateVector(doc)]).toEqual(before);
  });

  it('deletes the text for an empty correction, leaving the problem orphaned rather than moved onto a copy', () => {
    // Adjacent copies: after the deletion the other copy sits in the very same context.
    const editor = new TextEditor(textDocFrom(chapterDoc(para('Before. The same words. The same words. After.'))));
    const doc = new Y.Doc();
    const made = createAnchor(editor.fragment, editor.find('The same words. ', 1));
    if (!made.ok) throw new Error(made.error);
    const duplicate = create(doc, { kind: 'problem', problemType: 'duplication', correction: '', anchor: made.value });
    const applied = applyCorrection(doc, editor.ydoc, duplicate.id, ada);
    expect(editor.text()).toBe('Before. The same words. After.');
    expect(applied.ok && resolveAnchor(editor.ydoc, applied.value.anchor).state).toBe('orphaned');
  });
});

describe('reading stored annotations', () => {
  it('reports a "__proto__" key a foreign writer stored instead of letting it slip through', () => {
    const editor = chapter();
    const doc = new Y.Doc();
    const comment = create(doc, { kind: 'comment', anchor: anchorOn(editor, 'decree') });
    const provenance = JSON.parse('{"source": "import", "__proto__": {"polluted": true}}') as unknown;
    doc.transact(() => annotationsMap(doc).get(comment.id)!.set('provenance', provenance));
    const read = readAnnotationById(doc, comment.id);
    expect(read.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
