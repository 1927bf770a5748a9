import { quoteIn } from './chapter-reading.ts';
import type { ChapterReading, ReadingBlock } from './chapter-reading.ts';
import type { Finding } from './finding.ts';
import { typographyFinding } from './typography-finding.ts';

/**
 * Quotation-mark and apostrophe style: straight (' ") against curly (‘ ’ “ ”). The style
 * most marks of the chapter use is the house style; every block holding marks of the other
 * style gets one finding (`quote-style`) at its first such mark, saying whether the block
 * mixes the two itself or is wholly in the minority style. A tie counts curly as the house
 * style, since that is what typesetting intends. Primes after digits (5′, 10″) are not marks.
 */

type MarkStyle = 'straight' | 'curly';

interface Mark {
  offset: number;
  char: string;
  style: MarkStyle;
}

const STRAIGHT = new Set(["'", '"']);
const CURLY = new Set(['‘', '’', '“', '”']);

function marksOf(block: ReadingBlock): Mark[] {
  const marks: Mark[] = [];
  for (let i = 0; i < block.text.length; i++) {
    const char = block.text[i] ?? '';
    const style: MarkStyle | null = STRAIGHT.has(char) ? 'straight' : CURLY.has(char) ? 'curly' : null;
    if (style === null || (style === 'straight' && /\d/.test(block.text[i - 1] ?? ''))) continue;
    marks.push({ offset: i, char, style });
  }
  return marks;
}

function isOpening(text: string, offset: number): boolean {
  const char = text[offset] ?? '';
  if (char === '‘' || char === '“') return true;
  if (char === '’' || char === '”') return false;
  return /^$|[\s([{—–-]/.test(text[offset - 1] ?? '') && /\p{L}|\p{N}/u.test(text[offset + 1] ?? '');
}

const CLOSER_OF: Record<string, RegExp> = { '‘': /’(?!\p{L})/u, '“': /”/, "'": /'(?!\p{L})/u, '"': /"/ };

/** The span to quote for a mark: the quoted phrase it opens, or the word it sits in. */
function markSpan(text: string, mark: Mark): { start: number; end: number } {
  if (isOpening(text, mark.offset)) {
    const closer = CLOSER_OF[mark.char]?.exec(text.slice(mark.offset + 1, mark.offset + 121));
    if (closer) return { start: mark.offset, end: mark.offset + 1 + closer.index + 1 };
  }
  let start = mark.offset;
  let end = mark.offset + 1;
  while (start > 0 && /\p{L}/u.test(text[start - 1] ?? '')) start--;
  while (end < text.length && /\p{L}/u.test(text[end] ?? '')) end++;
  return { start, end };
}

/** Rewrites the marks of `exact` in `style`. */
function restyle(exact: string, style: MarkStyle): string {
  if (style === 'straight') return exact.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  return exact.replace(/['"]/g, (char, offset: number) => {
    const opening = isOpening(exact, offset);
    if (char === '"') return opening ? '“' : '”';
    return opening ? '‘' : '’';
  });
}

function blockKind(block: ReadingBlock): string {
  if (block.type === 'footnote') return `Note ${block.n}`;
  return block.type === 'heading' ? 'This heading' : 'This paragraph';
}

/** One finding per block that holds marks of the chapter's minority style. */
export function quoteMarkFindings(reading: ChapterReading): Finding[] {
  const perBlock = reading.blocks.map((block) => ({ block, marks: marksOf(block) }));
  const count = (style: MarkStyle) => perBlock.reduce((n, b) => n + b.marks.filter((m) => m.style === style).length, 0);
  const straight = count('straight');
  const curly = count('curly');
  const house: MarkStyle = straight > curly ? 'straight' : 'curly';
  const minority: MarkStyle = house === 'straight' ? 'curly' : 'straight';
  const findings: Finding[] = [];
  for (const { block, marks } of perBlock) {
    const odd = marks.filter((m) => m.style === minority);
    const first = odd[0];
    if (!first) continue;
    const span = markSpan(block.text, first);
    const quote = quoteIn(block, span.start, span.end);
    const mixed = odd.length < marks.length;
    const message = mixed
      ? `${blockKind(block)} mixes ${minority} and ${house} quotation marks or apostrophes (${minority} first at ${quote.exact}).`
      : `${blockKind(block)} uses ${minority} quotation marks and apostrophes (${quote.exact}, ${odd.length} in all) where the chapter mostly uses ${house} ones (${Math.max(straight, curly)} to ${Math.min(straight, curly)}).`;
    findings.push(typographyFinding(reading, {
      rule: 'quote-style',
      quote,
      message,
      note: `Use ${house} quotation marks and apostrophes, like most of the chapter (${odd.length} ${minority} here).`,
      correction: restyle(quote.exact, house),
      count: odd.length,
    }));
  }
  return findings;
}
