/**
 * How a block of chapter text begins and ends, as far as sentences go. Page breaks cut
 * sentences, so whether a block ends a sentence and whether the next one starts mid-sentence
 * is the evidence the importer rejoins paragraphs and footnotes on.
 */

// Trailing characters that sit after a sentence's last punctuation: closing quotes and
// brackets, the `*` that closes an italic span, superscript footnote markers, spaces.
const TRAILING_DECORATION = /[\s’”"'»)\]*⁰¹²³⁴⁵⁶⁷⁸⁹]+$/u;
// Leading characters before a sentence's first letter: opening quotes, brackets, `*`.
const LEADING_DECORATION = /^[\s‘“"'«(\[*]+/u;
const SENTENCE_END = /[.!?…:]$/u;
// Punctuation that cannot end a sentence: the text must go on.
const BINDING_PUNCTUATION = /[,;(\-–—]$/u;

// English words a finished sentence practically never ends on; a page or paragraph that
// ends on one continues elsewhere. (The format is English text.)
const BINDING_WORDS = new Set([
  'a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'as', 'and', 'or',
  'but', 'nor', 'that', 'which', 'who', 'whom', 'whose', 'than', 'into', 'onto', 'upon', 'about',
  'against', 'between', 'under', 'over', 'after', 'before', 'during', 'without', 'within', 'through',
  'is', 'are', 'was', 'were', 'be', 'been', 'its', 'his', 'her', 'their', 'our', 'this', 'these',
  'those', 'such', 'not', 'no', 'if', 'when', 'where', 'while', 'because', 'although', 'via',
]);

// How much of a block's end the end checks read. Bounding it keeps the `…+$` patterns
// linear on hostile input (a megabyte of brackets would otherwise backtrack quadratically).
const TAIL_CHARS = 200;

/** Returns the last characters of the text, trailing spaces removed. */
function tailOf(text: string): string {
  return text.slice(-TAIL_CHARS).trimEnd();
}

/** Returns the text without trailing quotes, brackets, italics markers and footnote markers. */
function withoutTrailingDecoration(text: string): string {
  return tailOf(text).replace(TRAILING_DECORATION, '');
}

/** Returns the start of the text without leading quotes, brackets and italics markers. */
function withoutLeadingDecoration(text: string): string {
  return text.slice(0, TAIL_CHARS).replace(LEADING_DECORATION, '');
}

/** Returns the last word of the text in lower case, ignoring trailing decoration. */
function lastWord(text: string): string {
  const match = /([\p{L}\p{M}'’-]+)$/u.exec(withoutTrailingDecoration(text));
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * True if the text ends a sentence: its last character, ignoring closing quotes, brackets,
 * `*` and footnote markers, is `.`, `!`, `?`, `…` or `:`. Empty text counts as finished.
 */
export function endsSentence(text: string): boolean {
  const core = withoutTrailingDecoration(text);
  return core === '' || SENTENCE_END.test(core);
}

/**
 * True if the text ends in a way no finished sentence does: on a comma, semicolon, dash or
 * opening bracket, or on a function word such as "of", "the" or "and".
 */
export function endsBound(text: string): boolean {
  const trimmed = tailOf(text);
  if (BINDING_PUNCTUATION.test(trimmed)) return true;
  return BINDING_WORDS.has(lastWord(trimmed));
}

/**
 * True if a footnote's text is unfinished. Citations often end without a full stop
 * ("Ibid., p. 5", "Moscow, ROSSPEN"), so a footnote counts as unfinished only when it ends
 * bound (see `endsBound`) or on a lower-case word, the way a cut sentence does.
 */
export function footnoteIsUnfinished(text: string): boolean {
  if (endsSentence(text)) return false;
  return endsBound(text) || /\p{Ll}$/u.test(tailOf(text));
}

/**
 * True if the text starts mid-sentence: its first letter, after opening quotes and
 * brackets, is lower case (`opened the way`, `‘agents of…’`), or it starts with punctuation
 * that cannot begin a sentence (`, and`, `; the`, `— and`).
 */
export function startsMidSentence(text: string): boolean {
  const core = withoutLeadingDecoration(text);
  if (core === '') return false;
  const first = core[0]!;
  return /\p{Ll}/u.test(first) || /[,;:.)\]–—…-]/u.test(first);
}

/** True if the text starts like a sentence: a capital letter or a digit after opening quotes. */
export function startsLikeSentence(text: string): boolean {
  const core = withoutLeadingDecoration(text);
  return core !== '' && /[\p{Lu}\p{Lt}\p{N}]/u.test(core[0]!);
}
