import * as Y from 'yjs';
import { BlockTable } from './block-table.ts';
import { placeAnchorInDetail, resolutionOf } from './resolve.ts';
import type { AnchorPlacement, AnchorPlacementDetail, AnchorResolution } from './resolve.ts';
import { ANCHOR_CONTEXT_LENGTH } from './quote.ts';
import type { Anchor, Annotation } from '../annotations/model.ts';
import { annotationsMap, readAnnotationById, touchedEntryKeys } from '../annotations/layout.ts';
import { TEXT_FRAGMENT_NAME } from '../chapter/y-text-projection.ts';
import type { AnyYType } from '../chapter/y-text-projection.ts';

/**
 * Incremental anchor resolution. The index holds the placement of every valid annotation
 * (as points inside blocks) and observes both documents. After a text transaction it
 * re-measures only the blocks the transaction touched, and re-places only:
 *
 * - annotations whose outcome read a touched or deleted block (their range's blocks; for
 *   lost positions, the blocks of their collapsed ends and of any relocated range);
 * - annotations whose range spans several blocks, when blocks were inserted or deleted;
 * - annotations whose positions are lost (relocated or orphaned by their quote) when blocks
 *   were inserted or deleted, or when their quote occurs, before or after the change, near a
 *   touched block: only there can an occurrence or its context have changed;
 * - annotations waiting for a text update they name (pending), on every text transaction
 *   that brought new items, even one no observer sees (items landing in a deleted block).
 *
 * Every other annotation's placement cannot have changed. Block start offsets live in prefix
 * sums, so positions stay O(log n) to read. After an annotation transaction it re-places the
 * annotations whose anchor changed, and drops those deleted or no longer valid. The result
 * always equals `resolveAnchors` (tested by the convergence fuzz after every step).
 */

/** What one update changed: annotations re-placed with a different outcome, and annotations gone. */
export interface AnchorIndexChange {
  /** Ids whose state or position inside their blocks changed (new annotations included). */
  changed: string[];
  /** Ids deleted, or no longer valid. */
  removed: string[];
  /**
   * Whether the text changed. Positions of annotations not listed in `changed` may have
   * shifted with the text before them; `get()` always returns current positions.
   */
  textChanged: boolean;
}

/** Receives the changes of each update. */
export type AnchorIndexListener = (change: AnchorIndexChange) => void;

interface Entry {
  /** The annotation as last read (and validated): readers share it instead of reading it again. */
  record: Annotation;
  anchor: Anchor;
  /**
   * The anchor as JSON, to tell whether a later read changed it: made when first compared, not
   * when first read (most annotations are never changed, and stringifying every anchor of a
   * large room as it opens was ~2 % of opening it; bench: browser-open-5000).
   */
  anchorKey: string | null;
  placement: AnchorPlacement;
  positions: AnchorPlacementDetail['positions'];
  blocks: Y.XmlElement[];
}

/** Where a touched block's text was before a change, for the quote-window checks. */
interface TextWindow {
  text: string;
  start: number;
  end: number;
}

// Room around a touched block in which a changed occurrence of a quote, or its context, can lie.
function windowHas(around: TextWindow, exact: string): boolean {
  const margin = exact.length + ANCHOR_CONTEXT_LENGTH;
  return around.text.slice(Math.max(0, around.start - margin), around.end + margin).includes(exact);
}

function samePlacement(a: AnchorPlacement, b: AnchorPlacement): boolean {
  if (a.state !== b.state) return false;
  const samePoint = (p: AnchorPlacement['start'], q: AnchorPlacement['start']) =>
    p === q || (p !== null && q !== null && p.block === q.block && p.pmOffset === q.pmOffset && p.textOffset === q.textOffset);
  return samePoint(a.start, b.start) && samePoint(a.end, b.end);
}

/** Keeps every annotation's resolved range current as the text and the annotations change. */
export class AnchorIndex {
  readonly textDoc: Y.Doc;
  readonly annotationsDoc: Y.Doc;
  private readonly fragment: Y.XmlFragment;
  private readonly table: BlockTable;
  private readonly entries = new Map<string, Entry>();
  private readonly byBlock = new Map<Y.XmlElement, Set<string>>();
  /** Annotations whose positions are lost: the quote search decides them. */
  private readonly searching = new Set<string>();
  /** Annotations naming text updates not received yet. */
  private readonly pending = new Set<string>();
  /** Anchored or degraded annotations spanning more than one block. */
  private readonly multiBlock = new Set<string>();
  private readonly listeners = new Set<AnchorIndexListener>();
  private readonly onText: (events: Y.YEvent<AnyYType>[], transaction: Y.Transaction) => void;
  private readonly onTextTransaction: (transaction: Y.Transaction) => void;
  private lastTextTransaction: Y.Transaction | null = null;
  private readonly onAnnotations: (events: Y.YEvent<AnyYType>[]) => void;

  /** Resolves every annotation of `annotationsDoc` against `textDoc` and starts observing both. */
  constructor(textDoc: Y.Doc, annotationsDoc: Y.Doc) {
    this.textDoc = textDoc;
    this.annotationsDoc = annotationsDoc;
    this.fragment = textDoc.getXmlFragment(TEXT_FRAGMENT_NAME);
    this.table = new BlockTable(this.fragment);
    for (const id of annotationsMap(annotationsDoc).keys()) this.refreshAnnotation(id, [], []);
    this.onText = (events, transaction) => {
      this.lastTextTransaction = transaction;
      this.textChanged(events);
    };
    this.onTextTransaction = (transaction) => this.textTransactionEnded(transaction);
    this.onAnnotations = (events) => this.annotationsChanged(events);
    this.fragment.observeDeep(this.onText);
    textDoc.on('afterTransaction', this.onTextTransaction);
    annotationsMap(annotationsDoc).observeDeep(this.onAnnotations);
  }

  /** Stops observing the documents. */
  destroy(): void {
    this.fragment.unobserveDeep(this.onText);
    this.textDoc.off('afterTransaction', this.onTextTransaction);
    annotationsMap(this.annotationsDoc).unobserveDeep(this.onAnnotations);
    this.listeners.clear();
  }

  /** Calls `listener` after every update that changed something; returns the unsubscribe function. */
  onChange(listener: AnchorIndexListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current resolution of annotation `id`, or undefined when it is not a valid annotation. */
  get(id: string): AnchorResolution | undefined {
    const entry = this.entries.get(id);
    return entry ? resolutionOf(this.table, entry.placement) : undefined;
  }

  /**
   * Annotation `id` as the index last read and validated it (`readAnnotationById`), current
   * after every update; undefined when it is not a valid annotation. Shared, not copied: read
   * it, never change it.
   */
  record(id: string): Annotation | undefined {
    return this.entries.get(id)?.record;
  }

  /** The ids of every indexed annotation. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Every annotation's current resolution. */
  resolutions(): Map<string, AnchorResolution> {
    const all = new Map<string, AnchorResolution>();
    for (const [id, entry] of this.entries) all.set(id, resolutionOf(this.table, entry.placement));
    return all;
  }

  /** The index's block table (current after every update): block starts and the projection. */
  blockTable(): BlockTable {
    return this.table;
  }

  /* --- text updates --- */

  private topBlockOf(type: AnyYType): Y.XmlElement | null {
    let current: AnyYType = type;
    while (current._item !== null) {
      const parent = current._item.parent;
      if (parent === this.fragment) return current instanceof Y.XmlElement ? current : null;
      if (!(parent instanceof Y.AbstractType)) return null;
      current = parent;
    }
    return null;
  }

  private textChanged(events: Y.YEvent<AnyYType>[]): void {
    // Phase 1: which blocks the transaction touched, and whether blocks came or went.
    const touched = new Set<Y.XmlElement>();
    let structureChanged = false;
    for (const event of events) {
      if (event.target === this.fragment) structureChanged = true;
      else {
        const block = this.topBlockOf(event.target);
        if (block && this.table.has(block)) touched.add(block);
      }
    }
    // Phase 2: bring the block table up to date, keeping where the touched text was.
    const before = structureChanged || this.searching.size === 0 ? [] : this.windowsOf(touched);
    const goneBlocks = structureChanged ? this.table.relistBlocks(touched) : [];
    if (!structureChanged) for (const block of touched) this.table.remeasure(block);
    // Phase 3: re-place exactly the annotations whose outcome may have changed.
    const ids = new Set<string>(this.pending);
    for (const block of [...touched, ...goneBlocks]) for (const id of this.byBlock.get(block) ?? []) ids.add(id);
    if (structureChanged) for (const id of [...this.multiBlock, ...this.searching]) ids.add(id);
    else if (this.searching.size > 0) this.addQuoteHits(ids, [...before, ...this.windowsOf(touched)]);
    for (const block of goneBlocks) this.byBlock.delete(block);
    const changed: string[] = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry && this.place(id, entry.record, entry.anchorKey)) changed.push(id);
    }
    this.emit({ changed, removed: [], textChanged: true });
  }

  /**
   * Items can arrive without any observer hearing of it (they land in a deleted block), yet
   * a pending annotation naming them is pending no more: re-place the pending ones.
   */
  private textTransactionEnded(transaction: Y.Transaction): void {
    if (transaction === this.lastTextTransaction || this.pending.size === 0) return;
    const grew = [...transaction.afterState].some(([client, clock]) => (transaction.beforeState.get(client) ?? 0) !== clock);
    if (!grew) return;
    const changed = [...this.pending].filter((id) => {
      const entry = this.entries.get(id)!;
      return this.place(id, entry.record, entry.anchorKey);
    });
    this.emit({ changed, removed: [], textChanged: false });
  }

  private windowsOf(blocks: Iterable<Y.XmlElement>): TextWindow[] {
    const text = this.table.fullText();
    return [...blocks].map((block) => {
      const start = this.table.textStart(block);
      return { text, start, end: start + this.table.measureOf(block).text.length };
    });
  }

  private addQuoteHits(ids: Set<string>, windows: TextWindow[]): void {
    for (const id of this.searching) {
      const exact = this.entries.get(id)!.anchor.quote.exact;
      if (windows.some((around) => windowHas(around, exact))) ids.add(id);
    }
  }

  /* --- annotation updates --- */

  private annotationsChanged(events: Y.YEvent<AnyYType>[]): void {
    const map = annotationsMap(this.annotationsDoc);
    const ids = touchedEntryKeys(events, map);
    const changed: string[] = [];
    const removed: string[] = [];
    for (const id of ids) this.refreshAnnotation(id, changed, removed);
    this.emit({ changed, removed, textChanged: false });
  }

  private refreshAnnotation(id: string, changed: string[], removed: string[]): void {
    const read = readAnnotationById(this.annotationsDoc, id);
    if (!read.ok) {
      if (this.entries.has(id)) {
        this.forget(id);
        removed.push(id);
      }
      return;
    }
    const entry = this.entries.get(id);
    const anchorKey = entry ? JSON.stringify(read.value.anchor) : null;
    if (entry && (entry.anchorKey ??= JSON.stringify(entry.anchor)) === anchorKey) {
      entry.record = read.value;
      return;
    }
    if (this.place(id, read.value, anchorKey) || !entry) changed.push(id);
  }

  /* --- bookkeeping --- */

  /** Places one annotation and files it; returns whether its placement changed. */
  private place(id: string, record: Annotation, anchorKey: string | null): boolean {
    const before = this.entries.get(id);
    const { anchor } = record;
    const { placement, positions, blocks } = placeAnchorInDetail(this.textDoc, this.table, anchor);
    if (before) this.unfile(id, before);
    const entry: Entry = { record, anchor, anchorKey, placement, positions, blocks };
    this.entries.set(id, entry);
    this.file(id, entry);
    return !before || !samePlacement(before.placement, placement);
  }

  private file(id: string, entry: Entry): void {
    if (entry.positions === 'pending') this.pending.add(id);
    if (entry.positions === 'lost') this.searching.add(id);
    if (entry.positions === 'resolved' && entry.blocks.length > 1) this.multiBlock.add(id);
    for (const block of entry.blocks) {
      let ids = this.byBlock.get(block);
      if (!ids) this.byBlock.set(block, (ids = new Set()));
      ids.add(id);
    }
  }

  private unfile(id: string, entry: Entry): void {
    this.pending.delete(id);
    this.searching.delete(id);
    this.multiBlock.delete(id);
    for (const block of entry.blocks) this.byBlock.get(block)?.delete(id);
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.unfile(id, entry);
    this.entries.delete(id);
  }

  private emit(change: AnchorIndexChange): void {
    if (change.changed.length === 0 && change.removed.length === 0 && !change.textChanged) return;
    for (const listener of this.listeners) listener(change);
  }
}
