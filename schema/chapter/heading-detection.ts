import { endsBound, endsSentence, startsLikeSentence } from './sentence-shape.ts';

/**
 * Which blocks are the chapter title and section headings. In text that came out of a
 * typeset book a heading is only a short line standing alone, so the rules look at its
 * shape and at what follows it.
 */

// Longest heading the importer accepts, in characters and words. Section titles are a
// phrase; a longer unpunctuated block is a paragraph cut by a page break.
const MAX_HEADING_CHARS = 120;
const MAX_HEADING_WORDS = 15;
const MAX_TITLE_CHARS = 200;

// A sentence boundary inside a block ("…either. He likely…"); two lower-case letters
// before the stop keep initials and abbreviations ("U.S. Policy", "Dr. Smith") out.
const INNER_SENTENCE_BOUNDARY = /\p{Ll}{2}[.!?]\s+\p{Lu}/u;
// The chapter title: a chapter number, a full stop, then the title (`5. Stalin's …`).
const NUMBERED_TITLE = /^\d+\.\s+\S/u;

/** What follows a block: another text block, a footnote block, or nothing. */
export interface FollowingBlock {
  kind: 'text' | 'footnote';
  text: string;
}

/**
 * True if the text has the shape of a heading: short (at most 120 characters and 15
 * words), starting with a capital or digit, one phrase without an inner sentence break,
 * and not ending on sentence punctuation, a comma or a function word.
 */
export function isHeadingShaped(text: string): boolean {
  if (text.length > MAX_HEADING_CHARS) return false;
  if (text.split(/\s+/u).length > MAX_HEADING_WORDS) return false;
  if (!startsLikeSentence(text)) return false;
  if (endsSentence(text) || endsBound(text)) return false;
  return !INNER_SENTENCE_BOUNDARY.test(text);
}

/**
 * True if the first block of a chapter is its title: a numbered title line (`5. Stalin's
 * "Soft Course" …`) of at most 200 characters, or any heading-shaped line.
 */
export function isTitleBlock(text: string): boolean {
  return (NUMBERED_TITLE.test(text) && text.length <= MAX_TITLE_CHARS) || isHeadingShaped(text);
}

/**
 * True if a block is a section heading: heading-shaped and followed by a text block that
 * starts like a sentence. A heading-shaped block followed by footnotes or by nothing sits
 * at a page bottom, where typesetters never leave a heading: it is a short paragraph.
 */
export function isSectionHeading(text: string, next: FollowingBlock | undefined): boolean {
  if (next === undefined || next.kind !== 'text') return false;
  return isHeadingShaped(text) && startsLikeSentence(next.text);
}
