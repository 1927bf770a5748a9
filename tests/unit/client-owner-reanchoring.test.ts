import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createAnchor, createAnnotation, readAnnotationById, resolveAnchor } from '../../schema/index.ts';
import type { AnchorState, OperationContext } from '../../schema/index.ts';
import { OwnerReanchoring, REANCHOR_DELAY_MS } from '../../client/app/owner-reanchoring.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, replicaOf, textDocFrom } from '../helpers/text-doc-harness.ts';

const owner: OperationContext = { actor: { userId: 'u-owner', name: 'Owner' }, now: () => new Date('2025-03-01T10:00:00.000Z') };
const SENTENCE = 'Stalin and his circle were likely aware of his critical nature.';

/** The owner's text editor, an annotation on `quote`, and the re-anchoring under test. */
function ownerRoom(quote: string, options: { hasRelocated?: () => boolean } = {}) {
  const editor = new TextEditor(textDocFrom(chapterDoc(para(`Intro words. ${SENTENCE} Closing words.`)), 1));
  const annotationsDoc = new Y.Doc();
  const anchor = createAnchor(editor.fragment, editor.find(quote));
  if (!anchor.ok) throw new Error(anchor.error);
  const created = createAnnotation(annotationsDoc, { kind: 'comment', note: 'who?', anchor: anchor.value }, owner);
  if (!created.ok) throw new Error(created.errors.join('; '));
  const id = created.value.id;
  const state = (): AnchorState => {
    const read = readAnnotationById(annotationsDoc, id);
    if (!read.ok) throw new Error(read.errors.join('; '));
    return resolveAnchor(editor.ydoc, read.value.anchor).state;
  };
  const hasRelocated = options.hasRelocated ?? (() => state() === 'relocated');
  const reanchoring = new OwnerReanchoring({ annotationsDoc, textDoc: editor.ydoc, actor: owner.actor, undoManager: editor.undoManager, hasRelocated });
  const updates: Uint8Array[] = [];
  annotationsDoc.on('update', (update: Uint8Array) => updates.push(update));
  return { editor, annotationsDoc, reanchoring, state, updates };
}

describe('the owner’s client keeps annotations anchored through its own text edits', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-anchors an annotation relocated by Enter just before it, once the text rests, in one update', () => {
    const { editor, reanchoring, state, updates } = ownerRoom('his circle');
    editor.split(editor.find('his circle').from);
    expect(state()).toBe('relocated');
    vi.advanceTimersByTime(REANCHOR_DELAY_MS - 1);
    expect(state()).toBe('relocated');
    vi.advanceTimersByTime(1);
    expect(state()).toBe('anchored');
    expect(updates).toHaveLength(1);
    reanchoring.destroy();
  });

  it('waits for the last of a burst of edits', () => {
    const { editor, reanchoring, state } = ownerRoom('his circle');
    editor.split(editor.find('his circle').from);
    vi.advanceTimersByTime(REANCHOR_DELAY_MS - 50);
    editor.insertText(editor.find('Closing').from, 'More ');
    vi.advanceTimersByTime(REANCHOR_DELAY_MS - 50);
    expect(state()).toBe('relocated');
    vi.advanceTimersByTime(50);
    expect(state()).toBe('anchored');
    reanchoring.destroy();
  });

  it('does not react to text changes that arrive from the server (it re-anchors once after syncing instead)', () => {
    const { editor, reanchoring, state } = ownerRoom('his circle');
    const elsewhere = new TextEditor(replicaOf(editor.ydoc, 2));
    elsewhere.split(elsewhere.find('his circle').from);
    Y.applyUpdate(editor.ydoc, Y.encodeStateAsUpdate(elsewhere.ydoc), 'server');
    vi.advanceTimersByTime(REANCHOR_DELAY_MS * 3);
    expect(state()).toBe('relocated');
    reanchoring.schedule();
    vi.advanceTimersByTime(REANCHOR_DELAY_MS);
    expect(state()).toBe('anchored');
    reanchoring.destroy();
  });

  it('re-anchors the text an undo restored right after the undo (yjs #638)', () => {
    // Relocation re-anchoring is off here: only the undo path can anchor it again.
    const { editor, reanchoring, state } = ownerRoom('his circle', { hasRelocated: () => false });
    const range = editor.find('his circle');
    editor.delete(range.from, range.to);
    expect(state()).toBe('orphaned');
    editor.undo();
    expect(state()).toBe('anchored');
    reanchoring.destroy();
  });

  it('writes nothing when no annotation is relocated', () => {
    const { editor, reanchoring, updates } = ownerRoom('Closing words');
    editor.insertText(editor.find('Intro').from, 'New ');
    vi.advanceTimersByTime(REANCHOR_DELAY_MS);
    expect(updates).toHaveLength(0);
    reanchoring.destroy();
  });
});
