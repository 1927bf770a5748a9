import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, createAnnotation, listAnnotations, readAnnotationById } from '../../schema/index.ts';
import type { Finding, OperationContext } from '../../schema/index.ts';
import { ORIGINAL_PASSAGE_NOTE, planRelatedPassage } from '../../client/app/related-passage.ts';
import { Suggestions } from '../../client/app/suggestions.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, textDocFrom } from '../helpers/text-doc-harness.ts';
import type { AnnotationView } from '../../client/model/annotation-view.ts';

const ORIGINAL = 'The committee postponed the vote on the new budget until the following spring.';
const REPEAT = 'The vote on the new budget was put off by the committee until next spring.';
const rita: OperationContext = { actor: { userId: 'u-rita', name: 'Rita' }, now: () => new Date() };

/** A finding of `type` whose suggestion relates to its second quote (or, with `related` false, to none). */
function finding(type: Finding['type'], related = true): Finding {
  return {
    id: 'f-1',
    type,
    rule: 'paraphrase',
    message: '',
    quotes: [],
    footnotes: [],
    severity: 'warning',
    score: 1,
    suggestion: { kind: 'problem', problemType: 'duplication', note: '', ...(related ? { relatedQuoteIndex: 1 } : {}) },
    details: { type: 'duplication', similarity: 1, sharedWords: [] },
  };
}

describe('deciding how a duplicate links to its original', () => {
  const original = { from: 10, to: 40 };

  it('relates to the tightest annotation covering the whole original passage', () => {
    const annotations = [
      { id: 'paragraph', from: 0, to: 100 },
      { id: 'part-only', from: 12, to: 40 },
      { id: 'sentence', from: 10, to: 40 },
      { id: 'elsewhere', from: 50, to: 60 },
    ];
    expect(planRelatedPassage(finding('duplication'), original, annotations)).toEqual({ kind: 'relate', id: 'sentence' });
  });

  it('annotates the original when no annotation covers all of it', () => {
    expect(planRelatedPassage(finding('duplication'), original, [{ id: 'part-only', from: 12, to: 40 }])).toEqual({ kind: 'annotate' });
  });

  it('links nothing for other findings, findings without a related quote, or an original no longer in the text', () => {
    expect(planRelatedPassage(finding('transliteration'), original, [])).toEqual({ kind: 'none' });
    expect(planRelatedPassage(finding('duplication', false), original, [])).toEqual({ kind: 'none' });
    expect(planRelatedPassage(finding('duplication'), null, [])).toEqual({ kind: 'none' });
  });
});

/** A chapter whose second paragraph repeats a sentence of the first in other words, analysed. */
function analysedRoom() {
  const editor = new TextEditor(textDocFrom(chapterDoc(para(`Intro words here. ${ORIGINAL} Some more words.`), para(`Later on. ${REPEAT}`))));
  const annotationsDoc = new Y.Doc();
  const suggestions = new Suggestions(annotationsDoc, editor.ydoc, rita.actor);
  suggestions.analyse(editor.doc());
  return { editor, annotationsDoc, suggestions };
}

describe('accepting a duplication suggestion', () => {
  function room() {
    const { editor, annotationsDoc, suggestions } = analysedRoom();
    const duplication = suggestions.list([], () => null, { userId: 'u-rita', role: 'reviewer' }).open.find((f) => f.type === 'duplication');
    if (!duplication) throw new Error('the chapter should hold a duplication finding');
    return { editor, annotationsDoc, suggestions, duplication };
  }

  it('comments on the original passage, credited to the user, and relates the duplicate to it', () => {
    const { annotationsDoc, suggestions, duplication } = room();
    const updates: Uint8Array[] = [];
    annotationsDoc.on('update', (update: Uint8Array) => updates.push(update));
    const accepted = suggestions.accept(duplication.id);
    if (!accepted.ok) throw new Error(accepted.error);

    const problem = readAnnotationById(annotationsDoc, accepted.value);
    const comment = listAnnotations(annotationsDoc).find((a) => a.kind === 'comment');
    expect(problem.ok && problem.value.anchor.quote.exact).toBe(REPEAT);
    expect(comment).toMatchObject({ note: ORIGINAL_PASSAGE_NOTE, authorId: 'u-rita', anchor: { quote: { exact: ORIGINAL } } });
    expect(problem.ok && problem.value.related).toEqual([{ id: comment!.id, relation: 'duplicate-of' }]);
    expect(updates).toHaveLength(1);
  });

  it('relates the duplicate to an annotation that already covers the original, adding no comment', () => {
    const { editor, annotationsDoc, suggestions, duplication } = room();
    const anchor = createAnchor(editor.fragment, editor.find(ORIGINAL));
    if (!anchor.ok) throw new Error(anchor.error);
    const existing = createAnnotation(annotationsDoc, { kind: 'claim', claimStatus: 'sourced', anchor: anchor.value }, rita);
    if (!existing.ok) throw new Error(existing.errors.join('; '));

    const accepted = suggestions.accept(duplication.id, [{ id: existing.value.id, ...editor.find(ORIGINAL) }]);
    if (!accepted.ok) throw new Error(accepted.error);

    const problem = readAnnotationById(annotationsDoc, accepted.value);
    expect(problem.ok && problem.value.related).toEqual([{ id: existing.value.id, relation: 'duplicate-of' }]);
    expect(listAnnotations(annotationsDoc).map((a) => a.kind).sort()).toEqual(['claim', 'problem']);
  });
});

describe('the suggestion list', () => {
  const room = analysedRoom;
  const asRita = { userId: 'u-rita', role: 'reviewer' as const };

  it('shows a finding whose passage already carries a problem of its type as covered, linked to that problem', () => {
    const { editor, annotationsDoc, suggestions } = room();
    const anchor = createAnchor(editor.fragment, editor.find(REPEAT));
    if (!anchor.ok) throw new Error(anchor.error);
    const mine = createAnnotation(annotationsDoc, { kind: 'problem', problemType: 'duplication', anchor: anchor.value }, rita);
    if (!mine.ok) throw new Error(mine.errors.join('; '));
    const view = { id: mine.value.id, kind: 'problem', claimStatus: null, problemType: 'duplication', authorName: 'Rita', authorId: 'u-rita', anchorState: 'anchored', findingId: null } as unknown as AnnotationView;
    const list = suggestions.list([view], () => editor.find(REPEAT), asRita);
    expect(list.open.filter((f) => f.type === 'duplication')).toEqual([]);
    expect(list.covered.map((c) => [c.annotationId, c.coveredBy])).toEqual([[mine.value.id, 'Duplication problem by Rita']]);
  });

  it('lists dismissed findings with who dismissed them; the one who did (or the owner) may restore them', () => {
    const { suggestions } = room();
    const [first] = suggestions.list([], () => null, asRita).open;
    if (!suggestions.dismiss(first!.id).ok) throw new Error('dismiss failed');
    expect(suggestions.list([], () => null, asRita).dismissed).toEqual([{ finding: first, byName: 'you', mayRestore: true }]);
    expect(suggestions.list([], () => null, { userId: 'u-bo', role: 'reviewer' }).dismissed[0]).toMatchObject({ byName: 'someone', mayRestore: false });
    expect(suggestions.list([], () => null, { userId: 'u-olga', role: 'owner' }).dismissed[0]?.mayRestore).toBe(true);
    if (!suggestions.restore(first!.id).ok) throw new Error('restore failed');
    const after = suggestions.list([], () => null, asRita);
    expect(after.dismissed).toEqual([]);
    expect(after.open.map((f) => f.id)).toContain(first!.id);
  });
});
