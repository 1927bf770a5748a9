import type * as Y from 'yjs';
import type { EditorView } from 'prosemirror-view';
import {
  acceptProblem,
  addReply,
  AnchorIndex,
  annotationsMap,
  applyCorrection,
  createAnchor,
  createAnnotation,
  deleteAnnotation,
  deleteReply,
  editReply,
  readReply,
  rejectProblem,
  reopenAnnotation,
  repliesMap,
  resolveAnnotation,
  TEXT_FRAGMENT_NAME,
  updateAnnotation,
  touchedEntryKeys,
  byCreatedThenId,
} from '../../schema/index.ts';
import type { Actor, AnchorIndexChange, Annotation, AnnotationStatus, OperationContext, ReadAnnotation, Reply, ValidationResult } from '../../schema/index.ts';
import type { Node as PMNode } from 'prosemirror-model';
import { annotationDecorations, dispatchHighlightChange, highlightsAt } from '../editor/annotation-decorations.ts';
import type { HighlightSource, HighlightSpec } from '../editor/annotation-decorations.ts';
import { highlightCategory } from '../model/annotation-view.ts';
import type { AnnotationView, ReplyView } from '../model/annotation-view.ts';
import type { AnnotationDraft } from '../components/app-events.ts';
import type { AnnotationLayerApi, LayerResult } from './annotation-layer-api.ts';
import { draftToFields } from './annotation-draft.ts';

/** What the layer is built on. */
export interface AnnotationLayerOptions {
  annotationsDoc: Y.Doc;
  textDoc: Y.Doc;
  actor: Actor;
  /** The chapter editor (created after the layer, so read lazily). */
  getView: () => EditorView | undefined;
  /** Reads authorship as people (a guest identity that became part of an account is that account); none: as stored. */
  authors?: { author(authorId: string, authorName: string): { id: string; name: string } };
  /**
   * Annotation documents shown beside `annotationsDoc` but never written: during a blind round
   * whose owner shows the staff's annotations, the owner's and reviewers' layers
   * (docs/seminar-view.md). Their annotations are drawn and listed like the others; commands on
   * them are refused with a reason.
   */
  readOnlyDocs?: readonly Y.Doc[];
  /**
   * While it returns true, changes are read (and anchored) but neither the views nor the
   * highlights are rebuilt: the server's state of a large room arrives in pieces, and drawing
   * and listing after each piece was work thrown away by the next (bench: browser-open-5000).
   * Call `resumeDrawing` when it turns false.
   */
  drawingHeld?: () => boolean;
}

/** One annotation document the layer reads, with its anchor index. */
interface LayerSource {
  doc: Y.Doc;
  index: AnchorIndex;
  readOnly: boolean;
}

/** Why a command on an annotation of a read-only layer is refused. */
const READ_ONLY_REFUSAL = "That annotation is in the owner's or a reviewer's own layer of the blind round: you see it, but only they can change it or answer it until the round is revealed.";

function failure(result: { ok: false; errors: string[] }, what: string): { ok: false; error: string } {
  return { ok: false, error: `Could not ${what}: ${result.errors.join('; ')}.` };
}

function toResult<T>(result: ValidationResult<T>, what: string): LayerResult {
  return result.ok ? { ok: true, value: undefined } : failure(result, what);
}

function replyView(reply: Reply, author: { id: string; name: string }): ReplyView {
  return { id: reply.id, authorId: author.id, authorName: author.name, body: reply.body, created: Date.parse(reply.created), modified: Date.parse(reply.modified) };
}

/**
 * The client's annotation layer: reads the annotation document into views (joined with the
 * anchors' current resolution and the reply threads), keeps the highlight decorations in step
 * incrementally, and runs the user's commands through the schema's annotation operations with
 * the session's user as actor.
 */
export class AnnotationLayer implements AnnotationLayerApi, HighlightSource {
  readonly plugin;
  private readonly records = new Map<string, Annotation>();
  private readonly threads = new Map<string, Map<string, Reply>>();
  private readonly replyOwner = new Map<string, string>();
  private readonly views_ = new Map<string, AnnotationView>();
  private viewList: AnnotationView[] | null = null;
  /** The seminar view's reading of each annotation, and of all of them (see readAnnotations). */
  private readonly reads = new Map<string, ReadAnnotation>();
  private readList: ReadAnnotation[] | null = null;
  private readonly index: AnchorIndex;
  /** Every document read: the writable one first, then the read-only ones. */
  private readonly sources: LayerSource[];
  /** Which source each annotation (by id) was read from. */
  private readonly sourceOf = new Map<string, LayerSource>();
  private readonly listeners = new Set<() => void>();
  private readonly dirty = new Set<string>();
  private readonly highlightDirty = new Set<string>();
  private patchQueued = false;
  /** A flush was skipped while drawing was held (`drawingHeld`). */
  private flushHeld = false;
  /** Set once destroyed: a flush queued before (a room reopened for a blind round) must not touch the destroyed editor. */
  private destroyed = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly options: AnnotationLayerOptions) {
    // Created before the editor, so the index observes the text before y-prosemirror does:
    // when y-prosemirror replaces the document, the index's ranges already match it.
    this.index = new AnchorIndex(options.textDoc, options.annotationsDoc);
    this.sources = [
      { doc: options.annotationsDoc, index: this.index, readOnly: false },
      ...(options.readOnlyDocs ?? []).map((doc) => ({ doc, index: new AnchorIndex(options.textDoc, doc), readOnly: true })),
    ];
    this.loadAll();
    for (const source of this.sources) this.observe(source);
    this.plugin = annotationDecorations(this);
  }

  // --- reading -----------------------------------------------------------------------

  views(): AnnotationView[] {
    this.viewList ??= [...this.views_.values()];
    return this.viewList;
  }

  view(id: string): AnnotationView | undefined {
    return this.views_.get(id);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  annotationsAt(pos: number): string[] {
    const view = this.options.getView();
    return view ? highlightsAt(view.state, pos) : [];
  }

  /** The live range of an annotation in the current text, or null when it is orphaned or unknown. */
  /** The id of the annotation a reply answers, or undefined for an unknown reply. */
  annotationOfReply(replyId: string): string | undefined {
    return this.replyOwner.get(replyId);
  }

  rangeOf(id: string): { from: number; to: number } | null {
    const resolution = this.resolution(id);
    return resolution && resolution.from !== null && resolution.to !== null && resolution.state !== 'orphaned' ? { from: resolution.from, to: resolution.to } : null;
  }

  /** HighlightSource: every highlight, from the index's current (cached) ranges. */
  allHighlights(_doc: PMNode): HighlightSpec[] {
    const specs: HighlightSpec[] = [];
    for (const id of this.records.keys()) {
      const spec = this.highlightOf(id);
      if (spec) specs.push(spec);
    }
    return specs;
  }

  /**
   * Every annotation with its thread and its current range in the projection, as the seminar
   * view reads them on every change: kept between calls, an entry rebuilt only when its view is
   * (its record, thread or anchor changed), all of them after a text change (ranges shift).
   * Records are shared, not copied: never change them.
   */
  readAnnotations(): ReadAnnotation[] {
    if (this.readList) return this.readList;
    const list: ReadAnnotation[] = [];
    for (const [id, annotation] of this.records) {
      let read = this.reads.get(id);
      if (!read) {
        const resolution = this.resolution(id);
        const thread = this.threads.get(id);
        read = { annotation, replies: thread ? [...thread.values()] : [], start: resolution?.start ?? null, end: resolution?.end ?? null };
        this.reads.set(id, read);
      }
      list.push(read);
    }
    return (this.readList = list);
  }

  setActive(id: string | null): void {
    const view = this.options.getView();
    if (view) dispatchHighlightChange(view, { type: 'focus', active: id });
  }

  setHover(id: string | null): void {
    const view = this.options.getView();
    if (view) dispatchHighlightChange(view, { type: 'focus', hover: id });
  }

  destroy(): void {
    this.destroyed = true;
    for (const cleanup of this.cleanups) cleanup();
    for (const source of this.sources) source.index.destroy();
    this.listeners.clear();
  }

  // --- commands ----------------------------------------------------------------------

  private context(): OperationContext {
    return { actor: this.options.actor, now: () => new Date() };
  }

  create(range: { from: number; to: number }, draft: AnnotationDraft): LayerResult<string> {
    const anchor = createAnchor(this.options.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME), range);
    if (!anchor.ok) return { ok: false, error: `Could not annotate the selection: ${anchor.error}.` };
    const fields = draftToFields(draft);
    const created = this.command(() => createAnnotation(this.options.annotationsDoc, { ...fields, footnotes: draft.footnotes, anchor: anchor.value }, this.context()));
    return created.ok ? { ok: true, value: created.value.id } : failure(created, 'create the annotation');
  }

  /**
   * Saves the editor's draft (fields and footnote links) as one change: all of it, or, when
   * any part is invalid, none of it, with the reason.
   */
  update(id: string, draft: AnnotationDraft): LayerResult {
    if (!this.records.has(id)) return { ok: false, error: 'That annotation no longer exists.' };
    if (this.readOnly(id)) return { ok: false, error: READ_ONLY_REFUSAL };
    const changes = { ...draftToFields(draft), footnotes: draft.footnotes };
    return toResult(this.command(() => updateAnnotation(this.options.annotationsDoc, id, changes, this.context())), 'save the annotation');
  }

  reply(id: string, body: string): LayerResult {
    if (this.readOnly(id)) return { ok: false, error: READ_ONLY_REFUSAL };
    return toResult(this.command(() => addReply(this.options.annotationsDoc, { annotationId: id, body }, this.context())), 'send the reply');
  }

  editReply(replyId: string, body: string): LayerResult {
    if (this.readOnly(this.replyOwner.get(replyId))) return { ok: false, error: READ_ONLY_REFUSAL };
    return toResult(this.command(() => editReply(this.options.annotationsDoc, replyId, body, this.context())), 'edit the reply');
  }

  deleteReply(replyId: string): LayerResult {
    if (this.readOnly(this.replyOwner.get(replyId))) return { ok: false, error: READ_ONLY_REFUSAL };
    return toResult(this.command(() => deleteReply(this.options.annotationsDoc, replyId, this.context())), 'delete the reply');
  }

  setStatus(id: string, status: AnnotationStatus): LayerResult {
    if (this.readOnly(id)) return { ok: false, error: READ_ONLY_REFUSAL };
    const doc = this.options.annotationsDoc;
    const isProblem = this.records.get(id)?.kind === 'problem';
    if (status === 'open') return toResult(this.command(() => reopenAnnotation(doc, id, this.context())), 'reopen the annotation');
    if (status === 'rejected') return toResult(this.command(() => rejectProblem(doc, id, this.context())), 'reject the problem');
    if (status === 'resolved') return toResult(this.command(() => isProblem ? acceptProblem(doc, id, this.context()) : resolveAnnotation(doc, id, this.context())), 'resolve the annotation');
    return { ok: false, error: 'A correction is marked applied by applying it.' };
  }

  applyCorrection(id: string): LayerResult {
    if (this.readOnly(id)) return { ok: false, error: READ_ONLY_REFUSAL };
    return toResult(this.command(() => applyCorrection(this.options.annotationsDoc, this.options.textDoc, id, this.context())), 'apply the correction');
  }

  remove(id: string): LayerResult {
    if (this.readOnly(id)) return { ok: false, error: READ_ONLY_REFUSAL };
    return toResult(this.command(() => deleteAnnotation(this.options.annotationsDoc, id, this.context())), 'delete the annotation');
  }

  // --- keeping up with the documents -------------------------------------------------

  /** Whether annotation `id` belongs to a read-only layer. */
  private readOnly(id: string | undefined): boolean {
    return id !== undefined && this.sourceOf.get(id)?.readOnly === true;
  }

  /** The current resolution of annotation `id`, from the index of the layer it was read from. */
  private resolution(id: string): ReturnType<AnchorIndex['get']> {
    return (this.sourceOf.get(id)?.index ?? this.index).get(id);
  }

  private loadAll(): void {
    for (const source of this.sources) {
      for (const id of annotationsMap(source.doc).keys()) this.readRecord(id, source);
      for (const [id, yReply] of repliesMap(source.doc).entries()) this.readReplyEntry(id, yReply);
    }
    this.refresh();
    this.highlightDirty.clear();
  }

  private observe(source: LayerSource): void {
    const annotations = annotationsMap(source.doc);
    const replies = repliesMap(source.doc);
    // Observed after the index (created first), which has read the same entries by then.
    const onAnnotations = (events: Array<Y.YEvent<any>>): void => {
      for (const id of touchedEntryKeys(events, annotations)) this.readRecord(id, source);
      this.flushSoon();
    };
    const onReplies = (events: Array<Y.YEvent<any>>): void => {
      for (const id of touchedEntryKeys(events, replies)) this.readReplyEntry(id, replies.get(id));
      this.flushSoon();
    };
    annotations.observeDeep(onAnnotations);
    replies.observeDeep(onReplies);
    const unsubscribe = source.index.onChange((change) => this.anchorsChanged(change));
    this.cleanups.push(
      () => annotations.unobserveDeep(onAnnotations),
      () => replies.unobserveDeep(onReplies),
      unsubscribe,
    );
  }

  /**
   * The index re-placed some anchors. Views change for those; a highlight needs replacing
   * only when its state changed or it was relocated: otherwise mapping (local edits) or the
   * rebuild after y-prosemirror's document swap (remote edits) already put it right.
   */
  private anchorsChanged(change: AnchorIndexChange): void {
    if (change.textChanged) this.forgetReads();
    for (const id of change.changed) {
      this.dirty.add(id);
      const before = this.views_.get(id);
      const after = this.resolution(id);
      if (!before || !after || before.anchorState !== after.state || after.state === 'relocated') this.highlightDirty.add(id);
    }
    for (const id of change.removed) this.markDirty(id);
    this.flushSoon();
  }

  /**
   * Takes annotation `id` as the anchor index read and validated it (`readAnnotationById`, the
   * same rules): reading and validating every annotation twice was ~8 % of opening a room with
   * 5,000 (bench: browser-open-5000). Records are shared with the index and never changed here.
   */
  private readRecord(id: string, source: LayerSource): void {
    const record = source.index.record(id);
    if (!record) {
      // Ids are random, so no two layers hold the same one: only its own layer removes it.
      if (this.sourceOf.get(id) !== source) return;
      this.sourceOf.delete(id);
      if (this.records.delete(id)) this.markDirty(id);
      return;
    }
    this.sourceOf.set(id, source);
    this.records.set(id, record);
    this.markDirty(id);
  }

  private readReplyEntry(replyId: string, yReply: Y.Map<unknown> | undefined): void {
    const previousOwner = this.replyOwner.get(replyId);
    if (previousOwner) {
      this.threads.get(previousOwner)?.delete(replyId);
      this.replyOwner.delete(replyId);
      this.dirty.add(previousOwner);
    }
    const read = yReply ? readReply(yReply) : null;
    if (!read || !read.ok || read.value.id !== replyId) return;
    const owner = read.value.annotationId;
    let thread = this.threads.get(owner);
    if (!thread) this.threads.set(owner, (thread = new Map()));
    thread.set(replyId, read.value);
    this.replyOwner.set(replyId, owner);
    this.dirty.add(owner);
  }

  private markDirty(id: string): void {
    this.dirty.add(id);
    this.highlightDirty.add(id);
  }

  /** Rebuilds the views of everything marked dirty and tells the listeners. */
  private refresh(): void {
    if (this.dirty.size === 0) return;
    for (const id of this.dirty) this.rebuildView(id);
    this.dirty.clear();
    this.viewList = null;
    for (const listener of this.listeners) listener();
  }

  /** Drops the seminar view's cached readings (all of them, or one annotation's). */
  private forgetReads(id?: string): void {
    if (id === undefined) this.reads.clear();
    else this.reads.delete(id);
    this.readList = null;
  }

  private rebuildView(id: string): void {
    this.forgetReads(id);
    const record = this.records.get(id);
    if (!record) {
      this.views_.delete(id);
      return;
    }
    const resolution = this.resolution(id);
    const thread = [...(this.threads.get(id)?.values() ?? [])].sort(byCreatedThenId);
    const author = this.authorOf(record.authorId, record.authorName);
    this.views_.set(id, {
      id,
      kind: record.kind,
      claimStatus: record.claimStatus,
      problemType: record.problemType,
      status: record.status,
      note: record.note,
      correction: record.correction,
      footnotes: record.footnotes,
      authorId: author.id,
      authorName: author.name,
      created: Date.parse(record.created),
      modified: Date.parse(record.modified),
      quote: record.anchor.quote.exact,
      anchorState: resolution?.state ?? 'orphaned',
      from: resolution?.from ?? null,
      to: resolution?.to ?? null,
      suggested: record.provenance?.source === 'assistant',
      findingId: typeof record.provenance?.findingId === 'string' ? record.provenance.findingId : null,
      statusByName: record.statusByName,
      appliedOriginal: record.applied?.original ?? null,
      replies: thread.map((reply) => replyView(reply, this.authorOf(reply.authorId, reply.authorName))),
    });
  }

  private authorOf(authorId: string, authorName: string): { id: string; name: string } {
    return this.options.authors?.author(authorId, authorName) ?? { id: authorId, name: authorName };
  }

  /** Reads every annotation's authorship again (the directory learnt who some authors are). */
  refreshAuthors(): void {
    for (const id of this.records.keys()) this.dirty.add(id);
    this.refresh();
  }

  private highlightOf(id: string): HighlightSpec | null {
    const view = this.views_.get(id);
    const resolution = this.resolution(id);
    if (!view || !resolution || resolution.from === null || resolution.to === null || resolution.state === 'orphaned') return null;
    return { id, from: resolution.from, to: resolution.to, category: highlightCategory(view), status: view.status, degraded: resolution.state === 'degraded' };
  }

  /**
   * Applies pending changes after the current transaction: the views, then a decoration
   * patch for exactly the annotations whose highlight changed. Deferred to a microtask
   * because Yjs observers can run inside a ProseMirror update.
   */
  private flushSoon(): void {
    if (this.patchQueued) return;
    this.patchQueued = true;
    queueMicrotask(() => {
      this.patchQueued = false;
      if (this.destroyed) return;
      if (this.options.drawingHeld?.()) this.flushHeld = true;
      else this.flush();
    });
  }

  /** Draws what changed while drawing was held (see `drawingHeld`); nothing when nothing was held. */
  resumeDrawing(): void {
    if (!this.flushHeld || this.destroyed) return;
    this.flushHeld = false;
    this.flush();
  }

  /** Applies pending changes now (after a local command, outside any ProseMirror update). */
  private flush(): void {
    this.flushHeld = false;
    this.refresh();
    this.patchHighlights();
  }

  /** Runs a command's write, then shows its effect at once so the caller can read the new view. */
  private command<T extends { ok: boolean }>(run: () => T): T {
    const result = run();
    this.flush();
    return result;
  }

  private patchHighlights(): void {
    const view = this.options.getView();
    if (!view || view.isDestroyed || this.highlightDirty.size === 0) return;
    const upsert: HighlightSpec[] = [];
    const remove: string[] = [];
    for (const id of this.highlightDirty) {
      const spec = this.highlightOf(id);
      if (spec) upsert.push(spec);
      else remove.push(id);
    }
    this.highlightDirty.clear();
    dispatchHighlightChange(view, { type: 'patch', upsert, remove });
  }
}
