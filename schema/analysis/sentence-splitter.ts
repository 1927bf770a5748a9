import type { ReadingBlock, TextSpan } from './chapter-reading.ts';

/**
 * Sentence segmentation for scholarly prose: splits after `.`, `!`, `?` or `…` (and any
 * closing quotes or brackets) when the next word starts a sentence, but not after initials
 * (`Sergei M. Kirov`, `N.I. Yezhov`) or the abbreviations of citations and prose (`Vol.`,
 * `pp.`, `e.g.`, `cf.`).
 */

/** A sentence of a block: its block-relative span and the footnote markers it carries. */
export interface Sentence extends TextSpan {
  block: ReadingBlock;
  /** Position of the sentence within its block, from 0. */
  ordinal: number;
  text: string;
  /** Numbers of the footnote markers inside the sentence or right after its final stop. */
  footnotes: number[];
}

// Lower-cased words that end with a full stop without ending a sentence.
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'cf', 'vol', 'vols', 'pp', 'p', 'no', 'nos', 'st', 'dr', 'mr', 'mrs', 'ms', 'prof', 'gen', 'col', 'lt',
  'capt', 'ed', 'eds', 'al', 'ca', 'approx', 'fig', 'ch', 'chap', 'sv', 'jr', 'sr', 'vs', 'viz', 'op', 'cit', 'ibid',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'ye', 'yu', 'ya', 'ju', 'ja',
]);

const TERMINATOR = /[.!?…]/;
const CLOSERS = /['"’”)\]»]/;
const OPENERS_OR_CAPITAL = /['"‘“(\[«\p{Lu}\p{N}]/u;

/** Returns true when the full stop at `dot` ends an initial or an abbreviation rather than a sentence. */
function endsAbbreviation(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 12), dot);
  const word = /([\p{L}.]+)$/u.exec(before)?.[1] ?? '';
  if (word === '') return false;
  // A single capital is an initial (`M.`), a dotted group an abbreviation (`V.R.`, `e.g.`).
  if (/^\p{Lu}$/u.test(word) || word.includes('.')) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Returns the offsets just after each sentence-ending stop of `text`. */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!TERMINATOR.test(text[i] ?? '')) continue;
    let end = i + 1;
    while (end < text.length && (TERMINATOR.test(text[end] ?? '') || CLOSERS.test(text[end] ?? ''))) end++;
    const gap = /^\s+/.exec(text.slice(end))?.[0].length ?? 0;
    const next = text[end + gap] ?? '';
    if (end + gap >= text.length) continue;
    if (gap === 0 || !OPENERS_OR_CAPITAL.test(next)) continue;
    if (text[i] === '.' && endsAbbreviation(text, i)) continue;
    ends.push(end);
    i = end - 1;
  }
  ends.push(text.length);
  return ends;
}

/** Splits a block's text into sentences, trimmed of surrounding white space. */
export function splitSentences(block: ReadingBlock): Sentence[] {
  const sentences: Sentence[] = [];
  let from = 0;
  for (const end of sentenceEnds(block.text)) {
    const raw = block.text.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const start = from + lead;
    const trimmedEnd = start + raw.trim().length;
    if (trimmedEnd > start) {
      const footnotes = block.markers.filter((m) => m.offset > start && m.offset <= Math.max(trimmedEnd, end)).map((m) => m.n);
      sentences.push({ block, ordinal: sentences.length, start, end: trimmedEnd, text: block.text.slice(start, trimmedEnd), footnotes });
    }
    from = end;
  }
  return sentences;
}
