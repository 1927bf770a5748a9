/**
 * Words of a block with their offsets, and the English function words the detectors ignore
 * when they compare content.
 */

/** A word of a block: its text and block-relative span. */
export interface WordToken {
  text: string;
  start: number;
  end: number;
}

// A word runs from letter to letter and may hold apostrophes (a soft sign: Pis'ma, ljud'mi).
const WORD = /\p{L}(?:[\p{L}\p{M}'’]*[\p{L}\p{M}])?/gu;

/** Returns the words of `text` in order, a trailing possessive (`Stalin's`) cut off. */
export function wordTokens(text: string, offset = 0): WordToken[] {
  const words: WordToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0].replace(/['’]s$/u, '');
    const start = offset + match.index;
    words.push({ text: word, start, end: start + word.length });
  }
  return words;
}

/** English function words: frequent, carrying no content, never a romanised name. */
export const ENGLISH_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also although am among an and another any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each either even ever every few for from ' +
    'further had has have having he her here hers herself him himself his how however i if in into is it its itself ' +
    'just least less many may me might more most much must my myself neither no nor not now of off often on once only ' +
    'or other others our ours ourselves out over own per quite rather same several she should since so some such than ' +
    'that the their theirs them themselves then there these they this those though through thus to too toward towards ' +
    'under until up upon us very was we were what whatever when where whether which while who whom whose why will with ' +
    'within without would yet you your yours yourself one ones first second third'
  ).split(' '),
);
