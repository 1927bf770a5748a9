import type { Node as PMNode } from 'prosemirror-model';
import { canJoin } from 'prosemirror-transform';
import * as Y from 'yjs';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../../schema/anchoring/create-anchor.ts';
import { AnchorIndex } from '../../schema/anchoring/anchor-index.ts';
import { reanchorRelocatedAnnotations, reanchorRestoredAnnotations } from '../../schema/anchoring/reanchor.ts';
import { occurrencesOf } from '../../schema/anchoring/quote.ts';
import { resolveAnchors } from '../../schema/anchoring/resolve.ts';
import type { AnchorResolution } from '../../schema/anchoring/resolve.ts';
import { applyCorrection } from '../../schema/anchoring/apply-correction.ts';
import { annotationsMap, listAnnotations, repliesMap } from '../../schema/annotations/layout.ts';
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
  updateAnnotation,
} from '../../schema/annotations/operations.ts';
import { addReply, deleteReply, dismissSuggestion, editReply } from '../../schema/annotations/reply-operations.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { projectYFragment } from '../../schema/chapter/y-text-projection.ts';
import { PROBLEM_TYPES } from '../../schema/annotations/vocabulary.ts';
import { chapterDoc, note, para } from './chapter-doc-builder.ts';
import { TextEditor, textDocFrom } from './text-doc-harness.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * The convergence fuzz engine (docs/reliability.md C1), shared by the short test and the long
 * script. Five replicas each hold both documents (text and annotations) with an editor and
 * an `AnchorIndex`. A seeded PRNG drives annotation operations by every replica, owner text
 * edits (insert, delete, replace, split, join, delete paragraph, undo, redo, apply
 * correction, re-anchor) by two owner devices, and a network of per-pair FIFO queues that
 * are delivered in random order and dropped on disconnect (reconnecting replays a state
 * vector sync). After every step each index is compared with a full resolution; at the end
 * everything is delivered and all replicas must agree on text, annotation JSON, state
 * vectors and the resolution of every anchor.
 */

/** Options of one fuzz run. */
export interface FuzzOptions {
  seed: number;
  ops: number;
  replicas?: number;
  /**
   * After each step, compare with a full resolution the AnchorIndex of every replica (`all`,
   * the default), of one replica in turn (`rotate`, five times cheaper), or of none (`none`).
   * Every index is compared at the end in any case.
   */
  indexCheck?: 'all' | 'rotate' | 'none';
}

/** What one run did and found. */
export interface FuzzReport {
  seed: number;
  ops: number;
  counts: Record<string, number>;
  finalStates: Record<string, number>;
  /** Why the orphans at the end are orphans: quote gone from the text, or found but refused as ambiguous. */
  orphanCauses: Record<string, number>;
  annotations: number;
  failures: string[];
}

export { mulberry32 };

class Dice {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  id(prefix: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let body = '';
    for (let i = 0; i < 16; i++) body += alphabet[this.int(64)];
    return `${prefix}-${body}`;
  }
}

// A small vocabulary, so that the same words and phrases recur and relocation meets ambiguity.
const WORDS = ['the', 'party', 'Stalin', 'course', 'soft', 'peasants', 'grain', 'was', 'and', 'in', '1933', 'kolkhoz', 'policy', 'turn'];

function sentence(dice: Dice): string {
  const words = Array.from({ length: 4 + dice.int(8) }, () => dice.pick(WORDS));
  return `${words.join(' ')}.`;
}

function startingChapter(dice: Dice): PMNode {
  const paragraphs = Array.from({ length: 5 }, (_, i) => {
    const parts = Array.from({ length: 3 + dice.int(3) }, () => sentence(dice));
    if (i < 3) parts.splice(1 + dice.int(parts.length - 1), 0, `*${dice.pick(WORDS)}*^${130 + i}`);
    return para(parts.join(' '));
  });
  return chapterDoc(...paragraphs, note(130, 'Khlevniuk, p. 177.'), note(131, 'Ibid., p. 179.'), note(132, 'Barsenkov, p. 231.'));
}

type DocKind = 'text' | 'annotations';
const NETWORK = Symbol('network');

interface Replica {
  index: number;
  text: Y.Doc;
  annotations: Y.Doc;
  editor: TextEditor;
  anchors: AnchorIndex;
  context: OperationContext;
  connected: boolean;
  isOwner: boolean;
}

/** The run's state: replicas, queues, dice, clock and tallies. */
class FuzzRun {
  readonly dice: Dice;
  readonly replicas: Replica[] = [];
  readonly queues = new Map<string, Uint8Array[]>();
  readonly counts: Record<string, number> = {};
  readonly failures: string[] = [];
  clock = Date.parse('2025-01-01T00:00:00.000Z');

  constructor(readonly options: Required<FuzzOptions>) {
    this.dice = new Dice(mulberry32(options.seed));
    const origin = textDocFrom(startingChapter(this.dice), 1_000);
    for (let i = 0; i < options.replicas; i++) this.replicas.push(this.makeReplica(i, origin));
  }

  private makeReplica(index: number, origin: Y.Doc): Replica {
    const text = new Y.Doc();
    text.clientID = 1_001 + index;
    Y.applyUpdate(text, Y.encodeStateAsUpdate(origin));
    const annotations = new Y.Doc();
    annotations.clientID = 2_001 + index;
    const isOwner = index < 2;
    const actor = isOwner ? { userId: 'u-owner', name: 'Owner' } : { userId: `u-${index}`, name: `Student ${index}` };
    const context: OperationContext = { actor, now: () => new Date(this.clock), validation: { footnoteNumbers: new Set([130, 131, 132]) } };
    const replica: Replica = { index, text, annotations, editor: new TextEditor(text), anchors: new AnchorIndex(text, annotations), context, connected: true, isOwner };
    this.forward(replica, text, 'text');
    this.forward(replica, annotations, 'annotations');
    return replica;
  }

  /** Sends every local update of `doc` to the queues of the connected peers. */
  private forward(replica: Replica, doc: Y.Doc, kind: DocKind): void {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === NETWORK || !replica.connected) return;
      for (const peer of this.replicas) if (peer !== replica && peer.connected) this.enqueue(replica.index, peer.index, kind, update);
    });
  }

  enqueue(from: number, to: number, kind: DocKind, update: Uint8Array): void {
    const key = `${from}>${to}>${kind}`;
    const queue = this.queues.get(key);
    if (queue) queue.push(update);
    else this.queues.set(key, [update]);
  }

  deliverOne(key: string): void {
    const queue = this.queues.get(key);
    const update = queue?.shift();
    if (!update) return;
    const [, to, kind] = key.split('>');
    const replica = this.replicas[Number(to)]!;
    Y.applyUpdate(kind === 'text' ? replica.text : replica.annotations, update, NETWORK);
  }

  count(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }

  tick(): void {
    this.clock += 1_000 + this.dice.int(60_000);
  }
}

/* --- annotation operations --- */

function randomAnchorRange(run: FuzzRun, replica: Replica): { start: number; end: number } | null {
  const table = new BlockTable(replica.editor.fragment);
  const text = table.fullText();
  if (text.length < 2) return null;
  const start = run.dice.int(text.length - 1);
  // Mostly short, word-sized ranges (which recur); sometimes long ones across blocks.
  const length = run.dice.chance(0.85) ? 1 + run.dice.int(25) : 1 + run.dice.int(400);
  return { start, end: Math.min(text.length, start + length) };
}

function createRandomAnnotation(run: FuzzRun, replica: Replica): void {
  const range = randomAnchorRange(run, replica);
  if (!range) return;
  const anchor = createAnchorFromTextRange(new BlockTable(replica.editor.fragment), range);
  if (!anchor.ok) return;
  const kind = run.dice.pick(['claim', 'problem', 'comment'] as const);
  const created = createAnnotation(
    replica.annotations,
    {
      id: run.dice.id('a'),
      kind,
      claimStatus: kind === 'claim' ? run.dice.pick(['sourced', 'contested', 'interpretive'] as const) : null,
      problemType: kind === 'problem' ? run.dice.pick(PROBLEM_TYPES).term : null,
      correction: kind === 'problem' && run.dice.chance(0.7) ? (run.dice.chance(0.2) ? '' : run.dice.pick(WORDS)) : null,
      footnotes: run.dice.chance(0.3) ? [130 + run.dice.int(3)] : [],
      note: sentence(run.dice),
      anchor: anchor.value,
    },
    replica.context,
  );
  if (!created.ok) run.failures.push(`create failed unexpectedly: ${created.errors.join('; ')}`);
}

function someAnnotationId(run: FuzzRun, replica: Replica): string | null {
  const ids = [...annotationsMap(replica.annotations).keys()].sort();
  return ids.length === 0 ? null : run.dice.pick(ids);
}

function changeRandomAnnotation(run: FuzzRun, replica: Replica): string {
  const id = someAnnotationId(run, replica);
  if (id === null) return 'annotate:none';
  const ctx = replica.context;
  const doc = replica.annotations;
  const action = run.dice.pick(['note', 'kind', 'link', 'unlink', 'resolve', 'reopen', 'accept', 'reject', 'relate', 'reply', 'edit-reply', 'delete-reply', 'delete', 'dismiss'] as const);
  const n = 130 + run.dice.int(3);
  switch (action) {
    case 'note': updateAnnotation(doc, id, { note: sentence(run.dice) }, ctx); break;
    case 'kind': updateAnnotation(doc, id, { kind: 'claim', claimStatus: 'contested' }, ctx); break;
    case 'link': linkFootnote(doc, id, n, ctx); break;
    case 'unlink': unlinkFootnote(doc, id, n, ctx); break;
    case 'resolve': resolveAnnotation(doc, id, ctx); break;
    case 'reopen': reopenAnnotation(doc, id, ctx); break;
    case 'accept': acceptProblem(doc, id, ctx); break;
    case 'reject': rejectProblem(doc, id, ctx); break;
    case 'relate': {
      const other = someAnnotationId(run, replica);
      if (other && other !== id) relateAnnotation(doc, id, { id: other, relation: 'duplicate-of' }, ctx);
      break;
    }
    case 'reply': addReply(doc, { id: run.dice.id('r'), annotationId: id, body: sentence(run.dice) }, ctx); break;
    case 'edit-reply':
    case 'delete-reply': {
      const replies = [...repliesMap(doc).keys()].sort();
      if (replies.length === 0) break;
      const replyId = run.dice.pick(replies);
      if (action === 'edit-reply') editReply(doc, replyId, sentence(run.dice), ctx);
      else deleteReply(doc, replyId, ctx);
      break;
    }
    case 'delete': deleteAnnotation(doc, id, ctx); break;
    case 'dismiss': dismissSuggestion(doc, `finding-${run.dice.int(5)}`, ctx); break;
  }
  return `annotate:${action}`;
}

/* --- owner text edits --- */

function randomTextPosition(run: FuzzRun, doc: PMNode): { pos: number; blockIndex: number; blockStart: number; size: number } {
  const blockIndex = run.dice.int(doc.childCount);
  let blockStart = 0;
  for (let i = 0; i < blockIndex; i++) blockStart += doc.child(i).nodeSize;
  const size = doc.child(blockIndex).content.size;
  return { pos: blockStart + 1 + run.dice.int(size + 1), blockIndex, blockStart, size };
}

/**
 * Concurrent structural edits on the two owner devices can leave a document the schema does
 * not allow (a paragraph after the footnotes); ProseMirror then refuses edits that touch it,
 * as it would in the editor. Such a refusal writes nothing and is counted, not failed.
 */
function editText(run: FuzzRun, replica: Replica): string {
  try {
    return editTextUnchecked(run, replica);
  } catch (error) {
    const invalidDoc = (() => {
      try {
        replica.editor.doc().check();
        return false;
      } catch {
        return true;
      }
    })();
    if (invalidDoc) return 'text:refused-by-schema';
    throw error;
  }
}

function editTextUnchecked(run: FuzzRun, replica: Replica): string {
  const editor = replica.editor;
  const doc = editor.doc();
  // Concurrent deletions on the two owner devices can empty the chapter; nothing to edit then.
  if (doc.childCount === 0) return 'text:empty';
  const at = randomTextPosition(run, doc);
  // Weighted so that the chapter keeps growing about as fast as it shrinks.
  const action = run.dice.pick(['insert', 'insert', 'insert', 'new-paragraph', 'delete', 'replace', 'move', 'split', 'join', 'delete-block', 'undo', 'undo', 'redo', 'apply', 'reanchor'] as const);
  const contentEnd = at.blockStart + 1 + at.size;
  switch (action) {
    case 'insert': editor.insertText(at.pos, run.dice.chance(0.5) ? ` ${run.dice.pick(WORDS)}` : sentence(run.dice)); break;
    case 'delete': editor.delete(at.pos, Math.min(contentEnd, at.pos + 1 + run.dice.int(30))); break;
    case 'replace': editor.replace(at.pos, Math.min(contentEnd, at.pos + 1 + run.dice.int(10)), run.dice.pick(WORDS)); break;
    case 'move': {
      // Cut and paste: the pasted text is new items, so anchors on it can only be relocated.
      const slice = editor.cut(at.pos, Math.min(contentEnd, at.pos + 1 + run.dice.int(40)));
      const target = editor.doc();
      if (target.childCount > 0) editor.paste(randomTextPosition(run, target).pos, slice);
      break;
    }
    case 'new-paragraph':
      if (doc.child(at.blockIndex).type.name !== 'paragraph') break;
      editor.split(contentEnd);
      editor.insertText(contentEnd + 2, `${sentence(run.dice)} ${sentence(run.dice)}`);
      break;
    case 'split': if (doc.child(at.blockIndex).type.name === 'paragraph') editor.split(at.pos); break;
    case 'join': if (at.blockIndex > 0 && canJoin(doc, at.blockStart)) editor.joinWithPrevious(at.blockIndex); break;
    case 'delete-block': if (bodyBlocks(doc) > 3 && doc.child(at.blockIndex).type.name === 'paragraph') editor.deleteBlock(at.blockIndex); break;
    case 'undo':
    case 'redo':
      if (action === 'undo') editor.undo();
      else editor.redo();
      // The undoing client re-anchors what its undo restored (yjs #638).
      reanchorRestoredAnnotations(replica.annotations, replica.text, replica.context);
      break;
    case 'apply': {
      const problems = listAnnotations(replica.annotations).filter((a) => a.kind === 'problem' && a.correction !== null);
      if (problems.length > 0) applyCorrection(replica.annotations, replica.text, run.dice.pick(problems).id, replica.context);
      break;
    }
    case 'reanchor': reanchorRelocatedAnnotations(replica.annotations, replica.text, replica.context); break;
  }
  return `text:${action}`;
}

function bodyBlocks(doc: PMNode): number {
  let count = 0;
  doc.forEach((block) => {
    if (block.type.name !== 'footnote') count++;
  });
  return count;
}

/* --- network --- */

function deliverSome(run: FuzzRun): void {
  const keys = [...run.queues.keys()].filter((key) => (run.queues.get(key)?.length ?? 0) > 0).sort();
  if (keys.length === 0) return;
  const key = run.dice.pick(keys);
  const n = run.dice.chance(0.2) ? Infinity : 1 + run.dice.int(3);
  for (let i = 0; i < n && (run.queues.get(key)?.length ?? 0) > 0; i++) run.deliverOne(key);
}

function dropQueuesOf(run: FuzzRun, index: number): void {
  for (const key of run.queues.keys()) {
    const [from, to] = key.split('>').map(Number);
    if (from === index || to === index) run.queues.delete(key);
  }
}

/** Reconnects a replica: messages sent meanwhile were lost, so it and each peer exchange state-vector diffs. */
function reconnect(run: FuzzRun, replica: Replica): void {
  replica.connected = true;
  for (const peer of run.replicas) {
    if (peer === replica || !peer.connected) continue;
    for (const kind of ['text', 'annotations'] as const) {
      const mine = kind === 'text' ? replica.text : replica.annotations;
      const theirs = kind === 'text' ? peer.text : peer.annotations;
      run.enqueue(replica.index, peer.index, kind, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)));
      run.enqueue(peer.index, replica.index, kind, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)));
    }
  }
}

function toggleConnection(run: FuzzRun): string {
  const replica = run.dice.pick(run.replicas);
  if (replica.connected) {
    replica.connected = false;
    dropQueuesOf(run, replica.index);
    return 'net:disconnect';
  }
  reconnect(run, replica);
  return 'net:reconnect';
}

/* --- checks --- */

function stableJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJSON).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJSON((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function resolutionsJSON(resolutions: Map<string, AnchorResolution>): string {
  return stableJSON(Object.fromEntries(resolutions));
}

function fullResolution(replica: Replica): Map<string, AnchorResolution> {
  return resolveAnchors(replica.text, listAnnotations(replica.annotations));
}

function checkIndexes(run: FuzzRun, step: number, replicas: readonly Replica[] = run.replicas): void {
  for (const replica of replicas) {
    const incremental = replica.anchors.resolutions();
    const full = fullResolution(replica);
    if (resolutionsJSON(incremental) === resolutionsJSON(full)) continue;
    const ids = [...new Set([...incremental.keys(), ...full.keys()])].sort();
    const differing = ids
      .filter((id) => stableJSON(incremental.get(id) ?? null) !== stableJSON(full.get(id) ?? null))
      .map((id) => `${id}: index ${stableJSON(incremental.get(id) ?? null)} full ${stableJSON(full.get(id) ?? null)}`);
    run.failures.push(`step ${step}: replica ${replica.index}'s AnchorIndex differs from a full resolution:\n  ${differing.join('\n  ')}`);
  }
}

function annotationDocJSON(doc: Y.Doc): string {
  return stableJSON({ annotations: doc.getMap('annotations').toJSON(), replies: doc.getMap('replies').toJSON(), dismissed: doc.getMap('dismissed').toJSON() });
}

function stateVectorJSON(doc: Y.Doc): string {
  return stableJSON(Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([k, v]) => [String(k), v])));
}

/**
 * The projection read straight from Yjs must equal the one of y-prosemirror's document.
 * Building that document can write (y-prosemirror merges adjacent runs its own client made,
 * #160), so the network is settled again afterwards.
 */
function checkProjections(run: FuzzRun): void {
  for (const r of run.replicas) {
    if (stableJSON(projectYFragment(r.editor.fragment)) !== stableJSON(projectChapter(r.editor.doc()))) {
      run.failures.push(`replica ${r.index}: projectYFragment differs from projectChapter`);
    }
  }
}

function checkConverged(run: FuzzRun): void {
  const views = run.replicas.map((r) => ({
    text: r.editor.fragment.toString(),
    projection: stableJSON(projectYFragment(r.editor.fragment)),
    annotations: annotationDocJSON(r.annotations),
    vectors: stateVectorJSON(r.text) + stateVectorJSON(r.annotations),
    resolutions: resolutionsJSON(fullResolution(r)),
  }));
  for (const [i, view] of views.entries()) {
    for (const key of Object.keys(view) as (keyof typeof view)[]) {
      if (view[key] !== views[0]![key]) run.failures.push(`replica ${i} differs from replica 0 in ${key}:\n  0: ${views[0]![key].slice(0, 2000)}\n  ${i}: ${view[key].slice(0, 2000)}`);
    }
  }
  checkIndexes(run, run.options.ops);
}

/** Delivers everything: reconnects every replica and drains the queues until they stay empty. */
function settle(run: FuzzRun): void {
  for (const replica of run.replicas) if (!replica.connected) reconnect(run, replica);
  for (let round = 0; round < 1_000; round++) {
    const keys = [...run.queues.keys()].filter((key) => (run.queues.get(key)?.length ?? 0) > 0).sort();
    if (keys.length === 0) return;
    for (const key of keys) while ((run.queues.get(key)?.length ?? 0) > 0) run.deliverOne(key);
  }
  run.failures.push('network did not settle');
}

function step(run: FuzzRun): string {
  const roll = run.dice.next();
  const replica = run.dice.pick(run.replicas);
  if (roll < 0.4) return (deliverSome(run), 'net:deliver');
  if (roll < 0.45) return toggleConnection(run);
  if (roll < 0.6) return (createRandomAnnotation(run, replica), 'annotate:create');
  if (roll < 0.8) return changeRandomAnnotation(run, replica);
  const owner = run.replicas[run.dice.int(2)]!;
  return editText(run, owner);
}

/** Runs one seeded fuzz and returns its report; `failures` is empty when every check passed. */
export function runConvergenceFuzz(options: FuzzOptions): FuzzReport {
  const run = new FuzzRun({ replicas: 5, indexCheck: 'all', ...options });
  for (let i = 0; i < run.options.ops && run.failures.length === 0; i++) {
    run.tick();
    run.count(step(run));
    if (run.options.indexCheck === 'all') checkIndexes(run, i);
    else if (run.options.indexCheck === 'rotate') checkIndexes(run, i, [run.replicas[i % run.replicas.length]!]);
  }
  if (run.failures.length === 0) {
    settle(run);
    checkProjections(run);
    settle(run);
    checkConverged(run);
  }
  const { finalStates, orphanCauses } = tallyStates(run.replicas[0]!);
  for (const replica of run.replicas) replica.anchors.destroy();
  return { seed: options.seed, ops: options.ops, counts: run.counts, finalStates, orphanCauses, annotations: listAnnotations(run.replicas[0]!.annotations).length, failures: run.failures };
}

function tallyStates(replica: Replica): { finalStates: Record<string, number>; orphanCauses: Record<string, number> } {
  const finalStates: Record<string, number> = {};
  const orphanCauses: Record<string, number> = {};
  const text = projectYFragment(replica.editor.fragment).text;
  const resolutions = fullResolution(replica);
  for (const annotation of listAnnotations(replica.annotations)) {
    const state = resolutions.get(annotation.id)!.state;
    finalStates[state] = (finalStates[state] ?? 0) + 1;
    if (state !== 'orphaned') continue;
    const cause = annotation.anchor.occurrences === 0 ? 'applied-deletion' : occurrencesOf(text, annotation.anchor.quote.exact).length === 0 ? 'quote-gone' : 'ambiguous';
    orphanCauses[cause] = (orphanCauses[cause] ?? 0) + 1;
  }
  return { finalStates, orphanCauses };
}
