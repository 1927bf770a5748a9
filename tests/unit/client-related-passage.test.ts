import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, createAnnotation, listAnnotations, readAnnotationById } from '../../schema/index.ts';
import type { Finding, OperationContext } from '../../schema/index.ts';
import { ORIGINAL_PASSAGE_NOTE, planRelatedPassage } from '../../client/app/related-passage.ts';
import { Suggestions } from '../../client/app/suggestions.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, textDocFrom } from '../helpers/text-doc-harness.ts';

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

describe('accepting a duplication suggestion', () => {
  function room() {
    const editor = new TextEditor(textDocFrom(chapterDoc(para(`Intro words here. ${ORIGINAL} Some more words.`), para(`Later on. ${REPEAT}`))));
    const annotationsDoc = new Y.Doc();
    const suggestions = new Suggestions(annotationsDoc, editor.ydoc, rita.actor);
    suggestions.analyse(editor.doc());
    const duplication = suggestions.open([]).find((f) => f.type === 'duplication');
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
