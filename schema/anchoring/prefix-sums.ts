/**
 * A Fenwick (binary indexed) tree of non-negative integers: point update, prefix sum and
 * "which slot holds this offset" in O(log n). The anchor block table keeps one per measure
 * (ProseMirror size, projection length) so that a keystroke in one block moves the start
 * offsets of every later block without walking the document.
 */
export class PrefixSums {
  private readonly tree: Float64Array;
  private readonly values: Float64Array;

  /** Builds the tree over `values` in O(n). */
  constructor(values: readonly number[]) {
    const n = values.length;
    this.values = Float64Array.from(values);
    this.tree = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      this.tree[i + 1]! += values[i]!;
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= n) this.tree[parent]! += this.tree[i + 1]!;
    }
  }

  /** The number of slots. */
  get length(): number {
    return this.values.length;
  }

  /** The value of slot `index`. */
  get(index: number): number {
    this.checkIndex(index);
    return this.values[index]!;
  }

  /** Sets slot `index` to `value`. */
  set(index: number, value: number): void {
    this.checkIndex(index);
    const delta = value - this.values[index]!;
    if (delta === 0) return;
    this.values[index] = value;
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
  }

  /** The sum of slots [0, index): the start offset of slot `index`. */
  sumBefore(index: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index <= this.values.length)) throw new RangeError(`prefix index ${index} is out of range`);
    let sum = 0;
    for (let i = index; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  /** The sum of every slot. */
  total(): number {
    return this.sumBefore(this.values.length);
  }

  /**
   * The slot whose span [sumBefore(i), sumBefore(i) + get(i)) contains `offset`, or
   * `length` when `offset` is at or past the total. Empty slots never contain an offset.
   */
  slotAt(offset: number): number {
    let index = 0;
    let remaining = offset;
    for (let step = highestPowerOfTwo(this.values.length); step > 0; step >>= 1) {
      const next = index + step;
      if (next < this.tree.length && this.tree[next]! <= remaining) {
        index = next;
        remaining -= this.tree[next]!;
      }
    }
    return index;
  }

  private checkIndex(index: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.values.length)) throw new RangeError(`slot ${index} is out of range`);
  }
}

function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return n === 0 ? 0 : p;
}
