import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { reanchorRelocatedAnnotations, reanchorRestoredAnnotations } from '../../schema/anchoring/reanchor.ts';
import { resolveAnchor } from '../../schema/anchoring/resolve.ts';
import type { AnchorResolution } from '../../schema/anchoring/resolve.ts';
import { applyCorrection } from '../../schema/anchoring/apply-correction.ts';
import { readAnnotationById } from '../../schema/annotations/layout.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import { chapterDoc, note, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, replicaOf, syncAll, textDocFrom } from '../helpers/text-doc-harness.ts';

const owner: OperationContext = { actor: { userId: 'u-owner', name: 'Owner' }, now: () => new Date('2025-03-01T10:00:00.000Z') };

/** Two collaborators on the same chapter, each with an editor on their own replica. */
function twoReplicas(...paragraphs: string[]): [TextEditor, TextEditor] {
  const a = textDocFrom(chapterDoc(...paragraphs.map((p) => para(p)), note(130, 'A note.')), 1);
  return [new TextEditor(a), new TextEditor(replicaOf(a, 2))];
}

function anchorOn(editor: TextEditor, text: string, nth = 0): Anchor {
  const made = createAnchor(editor.fragment, editor.find(text, nth));
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

function resolveOn(editor: TextEditor, anchor: Anchor): AnchorResolution {
  return resolveAnchor(editor.ydoc, anchor);
}

/** Resolves on every editor, checks they agree, and returns the shared resolution with the text it covers. */
function resolveEverywhere(anchor: Anchor, ...editors: TextEditor[]): AnchorResolution & { text: string | null } {
  const results = editors.map((editor) => resolveOn(editor, anchor));
  for (const result of results) expect(result).toEqual(results[0]);
  const first = results[0]!;
  const text = first.from === null || first.to === null ? null : editors[0]!.doc().textBetween(first.from, first.to);
  return { ...first, text };
}

const SENTENCE = 'Stalin and his circle were likely aware of his critical nature.';

describe('Enter inside and just before an annotated range (y-prosemirror #44)', () => {
  it('keeps the part before the break and reports the range as degraded when Enter splits it', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE} Closing words.`);
    const anchor = anchorOn(a, 'his circle were likely');
    a.split(a.find('were likely').from);
    syncAll(a.ydoc, b.ydoc);
    const result = resolveEverywhere(anchor, a, b);
    expect(result.state).toBe('degraded');
    expect('his circle were likely').toContain(result.text!.trim());
  });

  it('finds a range again after Enter just before it re-creates its half of the paragraph', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE} Closing words.`);
    const anchor = anchorOn(a, 'his circle');
    a.split(a.find('his circle').from);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'relocated', text: 'his circle' });
  });

  it('keeps a range anchored when the half holding it survives the split', () => {
    // A footnote marker after the range makes y-prosemirror keep the right half's run.
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE}^130 Closing words.`);
    const anchor = anchorOn(a, 'his circle');
    a.split(a.find('his circle').from);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'his circle' });
  });

  it('keeps a range anchored when Enter is pressed before it in an earlier sentence that stays', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE}^130 Closing words.`);
    const anchor = anchorOn(a, 'Closing words');
    a.split(a.find('Stalin').from);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'Closing words' });
  });
});

describe('ranges at the end of a node and at a footnote marker (y-prosemirror #194)', () => {
  it('does not grow a range that ends a paragraph when text is typed at the paragraph end', () => {
    const [a, b] = twoReplicas(SENTENCE, 'Next paragraph.');
    const anchor = anchorOn(a, 'critical nature.');
    a.insertText(a.find('critical nature.').to, ' Typed after.');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'critical nature.' });
  });

  it('keeps a range that ends a paragraph when Enter is pressed at its end and the new paragraph is typed in', () => {
    const [a, b] = twoReplicas(SENTENCE, 'Next paragraph.');
    const anchor = anchorOn(a, 'critical nature.');
    a.split(a.find('critical nature.').to);
    a.insertText(a.find('critical nature.').to + 2, 'A new paragraph.');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'critical nature.' });
    expect(a.text()).toContain('critical nature.\n\nA new paragraph.\n\nNext paragraph.');
  });

  it('does not grow a range that ends just before a footnote marker when text is typed around the marker', () => {
    const [a, b] = twoReplicas(`a 'moderate turn'.^130 This entailed terminating the plan.`);
    const anchor = anchorOn(a, "'moderate turn'.");
    const end = a.find("'moderate turn'.").to;
    a.insertText(end + 1, ' After marker');
    a.insertText(end, '!');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: "'moderate turn'." });
  });

  it('keeps a range anchored when the footnote marker after it is deleted', () => {
    const [a, b] = twoReplicas(`a 'moderate turn'.^130 This entailed.`);
    const anchor = anchorOn(a, "'moderate turn'.");
    const end = a.find("'moderate turn'.").to;
    a.delete(end, end + 1);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: "'moderate turn'." });
  });
});

describe('typing at the edges of a range', () => {
  it('does not grow the range when text is typed at its end', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(a, 'his circle');
    a.insertText(a.find('his circle').to, 'XYZ');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'his circle' });
  });

  it('does not grow the range when text is typed at its start', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(a, 'his circle');
    a.insertText(a.find('his circle').from, 'XYZ');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'his circle' });
  });

  it('reports text typed inside the range as degraded, on every replica', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(a, 'his circle');
    a.insertText(a.find('his circle').from + 3, ' inner');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'degraded', text: 'his inner circle' });
  });
});

describe('delete then undo (yjs #638)', () => {
  it('orphans a deleted range, relocates it after undo, and anchors it again once the undoing client re-anchors', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const annotations = [new Y.Doc(), new Y.Doc()];
    const created = createAnnotation(annotations[0]!, { kind: 'comment', note: 'who?', anchor: anchorOn(a, 'his circle') }, owner);
    if (!created.ok) throw new Error(created.errors.join());
    const range = a.find('his circle');
    a.delete(range.from, range.to);
    syncAll(a.ydoc, b.ydoc);
    syncAll(...annotations);
    const stored = () => readAnnotationById(annotations[1]!, created.value.id);
    expect(resolveEverywhere(created.value.anchor, a, b).state).toBe('orphaned');

    a.undo();
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(created.value.anchor, a, b)).toMatchObject({ state: 'relocated', text: 'his circle' });

    expect(reanchorRestoredAnnotations(annotations[0]!, a.ydoc, owner)).toEqual([created.value.id]);
    syncAll(...annotations);
    const reanchored = stored();
    expect(reanchored.ok).toBe(true);
    if (reanchored.ok) expect(resolveEverywhere(reanchored.value.anchor, a, b)).toMatchObject({ state: 'anchored', text: 'his circle' });
  });

  it('keeps a range anchored through deleting and undoing text inside it', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(a, 'his circle were likely aware');
    const inner = a.find('were likely');
    a.delete(inner.from, inner.to);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b).state).toBe('degraded');
    a.undo();
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'his circle were likely aware' });
  });

  it('re-anchors a range whose whole paragraph was deleted and restored by undo', () => {
    const [a, b] = twoReplicas('First paragraph stays.', SENTENCE, 'Last paragraph stays.');
    const annotations = new Y.Doc();
    const created = createAnnotation(annotations, { kind: 'claim', claimStatus: 'contested', anchor: anchorOn(a, 'critical nature') }, owner);
    if (!created.ok) throw new Error(created.errors.join());
    a.deleteBlock(1);
    a.undo();
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(created.value.anchor, a, b)).toMatchObject({ state: 'relocated', text: 'critical nature' });
    reanchorRestoredAnnotations(annotations, a.ydoc, owner);
    const stored = readAnnotationById(annotations, created.value.id);
    if (!stored.ok) throw new Error(stored.errors.join());
    expect(resolveEverywhere(stored.value.anchor, a, b)).toMatchObject({ state: 'anchored', text: 'critical nature' });
  });
});

describe('cut and paste of an annotated range', () => {
  it('relocates moved text that occurs once', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE}`, 'Second paragraph here.');
    const anchor = anchorOn(a, 'critical nature');
    const range = a.find('critical nature');
    const slice = a.cut(range.from, range.to);
    a.paste(a.find('Second').from, slice);
    syncAll(a.ydoc, b.ydoc);
    const result = resolveEverywhere(anchor, a, b);
    expect(result).toMatchObject({ state: 'relocated', text: 'critical nature' });
    expect(result.from).toBe(a.find('critical nature').from);
  });

  it('orphans moved text when the words now occur twice', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE}`, 'Second paragraph here.');
    const anchor = anchorOn(a, 'critical nature');
    const range = a.find('critical nature');
    const slice = a.cut(range.from, range.to);
    a.paste(a.find('Second').from, slice);
    a.insertText(a.find('here.').to, ' Also critical nature');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'orphaned', from: null, to: null });
  });

  it('writes fresh positions for a relocated annotation so it anchors again', () => {
    const [a, b] = twoReplicas(`Intro words. ${SENTENCE}`, 'Second paragraph here.');
    const annotations = new Y.Doc();
    const created = createAnnotation(annotations, { kind: 'comment', anchor: anchorOn(a, 'critical nature') }, owner);
    if (!created.ok) throw new Error(created.errors.join());
    const range = a.find('critical nature');
    a.paste(a.find('Second').from, a.cut(range.from, range.to));
    expect(reanchorRelocatedAnnotations(annotations, a.ydoc, owner)).toEqual([created.value.id]);
    syncAll(a.ydoc, b.ydoc);
    const stored = readAnnotationById(annotations, created.value.id);
    if (!stored.ok) throw new Error(stored.errors.join());
    expect(resolveEverywhere(stored.value.anchor, a, b)).toMatchObject({ state: 'anchored', text: 'critical nature' });
  });
});

describe('deletion and concurrency', () => {
  it('orphans a wholly deleted range identically on two replicas', () => {
    const [a, b] = twoReplicas(SENTENCE, 'Other text.');
    const anchor = anchorOn(b, 'likely aware');
    const range = a.find('were likely aware of');
    a.delete(range.from, range.to);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toEqual({ state: 'orphaned', from: null, to: null, start: null, end: null, text: null });
  });

  it('orphans an annotation made concurrently with the deletion of its paragraph, on both replicas', () => {
    const [a, b] = twoReplicas('Kept paragraph.', SENTENCE);
    const anchor = anchorOn(b, 'critical nature');
    a.deleteBlock(1);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b).state).toBe('orphaned');
  });

  it('degrades an annotation made concurrently with an edit inside its range, on both replicas', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(b, 'his critical nature');
    a.replace(a.find('critical').from, a.find('critical').to, 'crucial');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'degraded', text: 'his crucial nature' });
  });

  it('resolves a range deleted on one replica while text was typed inside it on the other identically on both', () => {
    const [a, b] = twoReplicas(SENTENCE);
    const anchor = anchorOn(a, 'his circle were');
    const range = a.find('his circle were');
    a.delete(range.from, range.to);
    b.insertText(b.find('circle').to, ' of friends');
    syncAll(a.ydoc, b.ydoc);
    // y-prosemirror diffs "circle were" → "circle of friends were" as "of friends " typed after "circle ".
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'degraded', text: 'of friends ' });
  });

  it('holds an annotation whose text has not arrived yet as orphaned, then anchors it when it arrives', () => {
    const [a, b] = twoReplicas(SENTENCE);
    a.insertText(a.find('nature.').to, ' Freshly typed words.');
    const anchor = anchorOn(a, 'Freshly typed');
    expect(resolveOn(b, anchor).state).toBe('orphaned');
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: 'Freshly typed' });
  });
});

describe('the owner applying a correction', () => {
  it('degrades an annotation around the corrected words and keeps the problem itself anchored and applied', () => {
    const [a, b] = twoReplicas(`Intro. ${SENTENCE} End.`);
    const annotations = [new Y.Doc(), new Y.Doc()];
    const claim = createAnnotation(annotations[1]!, { kind: 'claim', claimStatus: 'interpretive', anchor: anchorOn(b, SENTENCE) }, owner);
    const problem = createAnnotation(
      annotations[1]!,
      { kind: 'problem', problemType: 'typo', correction: 'critical situation', anchor: anchorOn(b, 'critical nature') },
      owner,
    );
    if (!claim.ok || !problem.ok) throw new Error('setup failed');
    syncAll(...annotations);
    const applied = applyCorrection(annotations[0]!, a.ydoc, problem.value.id, owner);
    expect(applied.ok).toBe(true);
    syncAll(a.ydoc, b.ydoc);
    syncAll(...annotations);
    const stored = readAnnotationById(annotations[1]!, problem.value.id);
    if (!stored.ok) throw new Error(stored.errors.join());
    expect(stored.value).toMatchObject({ status: 'applied', applied: { original: 'critical nature', by: 'u-owner' } });
    expect(resolveEverywhere(stored.value.anchor, a, b)).toMatchObject({ state: 'anchored', text: 'critical situation' });
    expect(resolveEverywhere(claim.value.anchor, a, b)).toMatchObject({ state: 'degraded', text: SENTENCE.replace('critical nature', 'critical situation') });
  });
});

describe('two identical sentences', () => {
  const twice = (editor: TextEditor) => editor.find(SENTENCE, 1);

  it('orphans the annotation on the second sentence when that sentence is deleted, rather than moving it to the first', () => {
    const [a, b] = twoReplicas(`Opening. ${SENTENCE} Middle part of the text.`, `Later on. ${SENTENCE} The end.`);
    const anchor = anchorOn(a, SENTENCE, 1);
    expect(anchor.occurrences).toBe(2);
    const second = twice(a);
    a.delete(second.from, second.to);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b).state).toBe('orphaned');
  });

  it('finds the second sentence again by its context after Enter before it re-creates it', () => {
    const [a, b] = twoReplicas(`Opening. ${SENTENCE} Middle part of the text.`, `Later on. ${SENTENCE} The end.`);
    const anchor = anchorOn(a, SENTENCE, 1);
    a.split(twice(a).from);
    syncAll(a.ydoc, b.ydoc);
    const result = resolveEverywhere(anchor, a, b);
    expect(result).toMatchObject({ state: 'relocated', text: SENTENCE, from: twice(a).from });
  });

  it('leaves the annotation on the second sentence untouched when the first is edited or deleted', () => {
    const [a, b] = twoReplicas(`Opening. ${SENTENCE} Middle part of the text.`, `Later on. ${SENTENCE} The end.`);
    const anchor = anchorOn(a, SENTENCE, 1);
    const first = a.find(SENTENCE, 0);
    a.delete(first.from, first.to);
    syncAll(a.ydoc, b.ydoc);
    expect(resolveEverywhere(anchor, a, b)).toMatchObject({ state: 'anchored', text: SENTENCE, from: a.find(SENTENCE).from });
  });
});
