import * as Y from 'yjs';
import { PrefixSums } from './prefix-sums.ts';
import { BLOCK_SEPARATOR } from '../chapter/text-projection.ts';
import { inlineSize, liveBlocks, liveChildType, measureYBlock } from '../chapter/y-text-projection.ts';
import type { BlockMeasure } from '../chapter/y-text-projection.ts';

/**
 * The block table: the live top-level blocks of the text document in order, each with its
 * measure (reading text, ProseMirror size), and prefix sums over both measures so that the
 * ProseMirror position and projection offset of any block's start cost O(log n). Full
 * anchor resolution builds one table; the incremental `AnchorIndex` keeps one up to date,
 * re-measuring only the blocks a transaction touched.
 */

/** A point inside a block: the block, and the offset from its content start in both coordinates. */
export interface BlockPoint {
  block: Y.XmlElement;
  /** ProseMirror offset from the block's content start (atoms count 1). */
  pmOffset: number;
  /** Projection offset from the block's first character (atoms count 0). */
  textOffset: number;
}

/** Which way a point between two things leans: a range start leans right, a range end left. */
export type Bias = 'start' | 'end';

const SEPARATOR = BLOCK_SEPARATOR.length;

/** The ordered, measured blocks of one text fragment. */
export class BlockTable {
  readonly fragment: Y.XmlFragment;
  private blocks: Y.XmlElement[] = [];
  private indexOfBlock = new Map<Y.XmlElement, number>();
  private measures: BlockMeasure[] = [];
  private pmSizes = new PrefixSums([]);
  private textSizes = new PrefixSums([]);
  private cachedText: string | null = null;

  /** Lists and measures every block of `fragment`. */
  constructor(fragment: Y.XmlFragment) {
    this.fragment = fragment;
    this.relist(new Map());
  }

  /** The number of live blocks. */
  get blockCount(): number {
    return this.blocks.length;
  }

  /** The live blocks, in document order (a copy). */
  listBlocks(): Y.XmlElement[] {
    return [...this.blocks];
  }

  /** The block at `index` in document order. */
  blockAt(index: number): Y.XmlElement {
    const block = this.blocks[index];
    if (!block) throw new RangeError(`block index ${index} is out of range (0..${this.blocks.length - 1})`);
    return block;
  }

  /** The index of `block`, or -1 when it is not a live block of the table. */
  indexOf(block: Y.XmlElement): number {
    return this.indexOfBlock.get(block) ?? -1;
  }

  /** Whether `block` is one of the table's live blocks. */
  has(block: Y.XmlElement): boolean {
    return this.indexOfBlock.has(block);
  }

  /** The measure of a listed block. */
  measureOf(block: Y.XmlElement): BlockMeasure {
    return this.measures[this.requireIndex(block)]!;
  }

  /** The ProseMirror position of a listed block's content start. */
  pmStart(block: Y.XmlElement): number {
    return this.pmSizes.sumBefore(this.requireIndex(block)) + 1;
  }

  /** The projection offset of a listed block's first character. */
  textStart(block: Y.XmlElement): number {
    return this.textSizes.sumBefore(this.requireIndex(block));
  }

  /** The whole projection text (cached until a block changes). */
  fullText(): string {
    this.cachedText ??= this.measures.map((m) => m.text).join(BLOCK_SEPARATOR);
    return this.cachedText;
  }

  /** Re-measures one listed block after its content changed. */
  remeasure(block: Y.XmlElement): void {
    const index = this.requireIndex(block);
    const measure = measureYBlock(block);
    this.measures[index] = measure;
    this.pmSizes.set(index, measure.size + 2);
    this.textSizes.set(index, measure.text.length + SEPARATOR);
    this.cachedText = null;
  }

  /**
   * Re-lists the blocks after blocks were inserted or deleted, keeping the measures of
   * blocks that are still listed and not in `stale`. Returns the blocks that left the table.
   */
  relistBlocks(stale: ReadonlySet<Y.XmlElement>): Y.XmlElement[] {
    const known = new Map<Y.XmlElement, BlockMeasure>();
    this.blocks.forEach((block, i) => {
      if (!stale.has(block)) known.set(block, this.measures[i]!);
    });
    const before = this.blocks;
    this.relist(known);
    return before.filter((block) => !this.indexOfBlock.has(block));
  }

  private relist(known: ReadonlyMap<Y.XmlElement, BlockMeasure>): void {
    this.blocks = liveBlocks(this.fragment);
    this.indexOfBlock = new Map(this.blocks.map((block, i) => [block, i]));
    this.measures = this.blocks.map((block) => known.get(block) ?? measureYBlock(block));
    this.pmSizes = new PrefixSums(this.measures.map((m) => m.size + 2));
    this.textSizes = new PrefixSums(this.measures.map((m) => m.text.length + SEPARATOR));
    this.cachedText = null;
  }

  private requireIndex(block: Y.XmlElement): number {
    const index = this.indexOfBlock.get(block);
    if (index === undefined) throw new RangeError('the block is not a live block of this text fragment');
    return index;
  }

  /* --- points --- */

  /** The ProseMirror position of a point in a listed block. */
  pmPositionOf(point: BlockPoint): number {
    return this.pmStart(point.block) + point.pmOffset;
  }

  /** The projection offset of a point in a listed block. */
  textOffsetOf(point: BlockPoint): number {
    return this.textStart(point.block) + point.textOffset;
  }

  /** Orders two points of listed blocks: negative, zero or positive. */
  compare(a: BlockPoint, b: BlockPoint): number {
    if (a.block !== b.block) return this.requireIndex(a.block) - this.requireIndex(b.block);
    return a.pmOffset - b.pmOffset;
  }

  /** The projection text between two points (`from` not after `to`), separators included. */
  textBetween(from: BlockPoint, to: BlockPoint): string {
    if (from.block === to.block) return this.measureOf(from.block).text.slice(from.textOffset, to.textOffset);
    const first = this.requireIndex(from.block);
    const last = this.requireIndex(to.block);
    const parts = [this.measures[first]!.text.slice(from.textOffset)];
    for (let i = first + 1; i < last; i++) parts.push(this.measures[i]!.text);
    parts.push(this.measures[last]!.text.slice(0, to.textOffset));
    return parts.join(BLOCK_SEPARATOR);
  }

  /**
   * The point at a projection offset. An offset inside a block separator (or at a block's
   * edge) goes to the next block's start for a `start` bias and to the previous block's end
   * for an `end` bias, so a range never starts at a block end or ends at a block start.
   */
  pointAtTextOffset(offset: number, bias: Bias): BlockPoint {
    if (this.blocks.length === 0) throw new RangeError('the text has no blocks');
    const total = this.textSizes.total() - SEPARATOR;
    if (!(Number.isInteger(offset) && offset >= 0 && offset <= total)) throw new RangeError(`text offset ${offset} is outside 0..${total}`);
    let index = Math.min(this.textSizes.slotAt(offset), this.blocks.length - 1);
    let local = offset - this.textSizes.sumBefore(index);
    const length = this.measures[index]!.text.length;
    if (bias === 'start' && local >= length && index + 1 < this.blocks.length) {
      index += 1;
      local = 0;
    } else if (bias === 'end' && local === 0 && index > 0) {
      index -= 1;
      local = this.measures[index]!.text.length;
    }
    local = Math.min(local, this.measures[index]!.text.length);
    const block = this.blocks[index]!;
    return { block, textOffset: local, pmOffset: pmOffsetForTextOffset(block, local, bias) };
  }

  /** The point at a ProseMirror position; positions between blocks clamp into the nearer content edge. */
  pointAtPmPosition(pos: number): BlockPoint {
    if (this.blocks.length === 0) throw new RangeError('the text has no blocks');
    const total = this.pmSizes.total();
    if (!(Number.isInteger(pos) && pos >= 0 && pos <= total)) throw new RangeError(`position ${pos} is outside 0..${total}`);
    const index = Math.min(this.pmSizes.slotAt(pos), this.blocks.length - 1);
    const block = this.blocks[index]!;
    const size = this.measures[index]!.size;
    const pmOffset = Math.max(0, Math.min(size, pos - this.pmSizes.sumBefore(index) - 1));
    return { block, pmOffset, textOffset: textOffsetForPmOffset(block, pmOffset) };
  }
}

/**
 * The ProseMirror offset, inside `block`, of a text offset. With a `start` bias the point
 * sits just before the next character (after any atoms in between); with an `end` bias just
 * after the previous character (before any atoms).
 */
export function pmOffsetForTextOffset(block: Y.XmlElement, textOffset: number, bias: Bias): number {
  let pm = 0;
  let text = 0;
  if (bias === 'end' && textOffset === 0) return 0;
  for (let item = block._start; item !== null; item = item.right) {
    const child = liveChildType(item);
    if (child === null) continue;
    if (child instanceof Y.XmlText) {
      const length = child.length;
      const inside = bias === 'start' ? textOffset < text + length : textOffset <= text + length;
      if (inside) return pm + (textOffset - text);
      text += length;
    }
    pm += inlineSize(child);
  }
  return pm;
}

/** The projection offset, inside `block`, of a ProseMirror offset (characters before it). */
export function textOffsetForPmOffset(block: Y.XmlElement, pmOffset: number): number {
  let pm = 0;
  let text = 0;
  for (let item = block._start; item !== null && pm < pmOffset; item = item.right) {
    const child = liveChildType(item);
    if (child === null) continue;
    const size = inlineSize(child);
    if (child instanceof Y.XmlText) text += Math.min(size, pmOffset - pm);
    pm += size;
  }
  return text;
}
