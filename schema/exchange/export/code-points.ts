/**
 * Offsets in the plain-text projection are UTF-16 code units (JavaScript string indices);
 * W3C TextPositionSelector counts Unicode code points. A `CodePointIndex` converts between
 * the two for one text in O(log n) per offset, so exporting 10,000 selectors stays cheap.
 */
export interface CodePointIndex {
  /** Converts a UTF-16 offset to a code-point offset. */
  toCodePoints(utf16Offset: number): number;
  /** Converts a code-point offset to a UTF-16 offset, or null when it lies past the end. */
  toUtf16(codePointOffset: number): number | null;
  /** Length of the text in code points. */
  readonly codePointLength: number;
}

/** Builds a converter for `text`, recording where its astral (surrogate-pair) characters sit. */
export function codePointIndex(text: string): CodePointIndex {
  // UTF-16 offsets of each surrogate pair's high half, ascending.
  const astralStarts: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      astralStarts.push(i);
      i++;
    }
  }
  const codePointLength = text.length - astralStarts.length;
  return {
    codePointLength,
    toCodePoints(utf16Offset) {
      checkOffset(utf16Offset, text.length, 'UTF-16 offset');
      // Each pair that ends at or before the offset counted two units for one code point.
      return utf16Offset - countBelow(astralStarts, utf16Offset - 1);
    },
    toUtf16(codePointOffset) {
      checkOffset(codePointOffset, Number.MAX_SAFE_INTEGER, 'code-point offset');
      if (codePointOffset > codePointLength) return null;
      return utf16FromCodePoints(astralStarts, codePointOffset);
    },
  };
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function checkOffset(offset: number, max: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > max) throw new RangeError(`${what} out of range: ${offset}`);
}

/** Number of entries of the sorted array that are < limit. */
function countBelow(sorted: number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The UTF-16 offset of code point number `target`: target plus the pairs wholly before it. */
function utf16FromCodePoints(astralStarts: number[], target: number): number {
  // The k-th pair (0-based) starts at code-point offset astralStarts[k] - k.
  let lo = 0;
  let hi = astralStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (astralStarts[mid]! - mid < target) lo = mid + 1;
    else hi = mid;
  }
  return target + lo;
}
