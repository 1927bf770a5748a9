import type { ReadingBlock, TextSpan } from './chapter-reading.ts';

/**
 * Footnotes parsed into citations. A note is cut into segments at top-level semicolons; a
 * segment is a citation when it names a work (an italic or quoted title, a title followed by
 * a locator) or is an Ibid. Commentary around the citations ("The decree stated: …") is left
 * out. Parsing is deliberately forgiving: notes of translated books mix conventions, and the
 * detectors only need author, title, volume, pages and archive references.
 */

/** A field of a citation: its text and block-relative span. */
export interface CitationField extends TextSpan {
  text: string;
}

/** One cited work (or an Ibid.) inside a footnote. */
export interface Citation {
  footnote: number;
  block: ReadingBlock;
  /** The citation's span in the footnote, commentary excluded. */
  span: TextSpan;
  /** The span of the word "Ibid" when the citation is an Ibid. */
  ibid: CitationField | null;
  author: CitationField | null;
  title: CitationField | null;
  /** True when the title is set in italics. */
  titleItalic: boolean;
  volume: string | null;
  pages: string | null;
  archive: string | null;
}

const LEAD_IN = /^(?:(?:for\s+(?:more\s+)?details?|see|cf\.|also|e\.\s?g\.|compare|quoted\s+in)[\s,:]*)+/i;
const IBID = /^ibid\b\.?/i;
const LOCATOR = /\b(?:pp?|Vol|Vols|vol|sv|Bd|Tom|t)\.\s*(?:[IVXLC]+\b|\d)/;
const VOLUME = /\b(?:Vols?|vol|sv|Bd|Tom|t)\.\s*([IVXLC]+\b|\d+)/;
const PAGES = /\bpp?\.\s*(\d[\d–\-—]*(?:\s*(?:,|and)\s*\d[\d–\-—]*)*)/;
// A bare page number closing the citation (`Chozjain, 237`); four-digit years are not pages.
const BARE_PAGES = /,\s*((?!1[5-9]\d\d\b|20\d\d\b)\d{1,4}(?:[–\-]\d{1,4})?)\.?\s*$/;
const ARCHIVE = /\b(?:f|op|d|ll?)\.\s*\d+|\bfond\s+\d+|\b(?:RGASPI|GARF|RGAE|RGVA|RGANI|APRF|TsAMO)\b|\barchiv\w*/i;
const AUTHOR_BEFORE_PLAIN_TITLE = /^((?:\p{Lu}\.\s?)+\p{Lu}[\p{L}'’-]+|\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{Ll}]?\.)+)\s*[,:]\s*/u;
// Commentary that follows a citation: a locator, a full stop, then an ordinary sentence.
const COMMENTARY_AFTER = /(?:\bpp?\.\s*[\d–\-—, and]+|\d{4})\.\s+(?=\p{Lu}\p{Ll}*\s+\p{Ll})/u;
const SEE_INSIDE = /[.)]\s+(?:See|Cf\.)\s/;

/** Splits a note's text at semicolons outside brackets, quotes and italics. */
function segmentSpans(block: ReadingBlock): TextSpan[] {
  const spans: TextSpan[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < block.text.length; i++) {
    const ch = block.text[i];
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (ch === '“' || ch === '”' || ch === '"') quoted = ch === '“' ? true : ch === '”' ? false : !quoted;
    else if (ch === ';' && depth === 0 && !quoted && !block.emphasis.some((s) => s.start <= i && i < s.end)) {
      spans.push({ start: from, end: i });
      from = i + 1;
    }
  }
  spans.push({ start: from, end: block.text.length });
  return spans;
}

/** Narrows a segment to its citation: past leading commentary, before trailing commentary. */
function citationSpan(block: ReadingBlock, segment: TextSpan): TextSpan {
  let { start, end } = segment;
  const text = block.text.slice(start, end);
  const see = SEE_INSIDE.exec(text);
  if (see) start += see.index + see[0].search(/See|Cf/);
  const rest = block.text.slice(start, end);
  const commentary = COMMENTARY_AFTER.exec(rest);
  if (commentary) end = start + commentary.index + commentary[0].trimEnd().length;
  while (start < end && /\s/.test(block.text[start] ?? '')) start++;
  while (end > start && /\s/.test(block.text[end - 1] ?? '')) end--;
  return { start, end };
}

function field(block: ReadingBlock, start: number, end: number): CitationField | null {
  while (start < end && /[\s,:;“”"'‘’(]/.test(block.text[start] ?? '')) start++;
  while (end > start && /[\s,:;.“”"'‘’)]/.test(block.text[end - 1] ?? '')) end--;
  // Keep the full stop of a final initial (`Khlevniuk O.`).
  if (/(?:^|\s|\.)\p{Lu}\p{Ll}?$/u.test(block.text.slice(start, end)) && block.text[end] === '.') end++;
  return end > start ? { start, end, text: block.text.slice(start, end) } : null;
}

/** The italic span that titles the citation: the first one before any locator (later ones quote the source). */
function italicTitle(block: ReadingBlock, span: TextSpan, bodyStart: number): TextSpan | null {
  const locator = LOCATOR.exec(block.text.slice(bodyStart, span.end));
  const limit = locator ? bodyStart + locator.index : span.end;
  const italic = block.emphasis.find((s) => s.start >= bodyStart && s.start < limit && s.end <= span.end + 1);
  return italic ? { start: italic.start, end: Math.min(italic.end, span.end) } : null;
}

/** A plain (roman) title: after an author in `I. Surname,` form, up to the first locator or comma before a number. */
function plainTitle(block: ReadingBlock, span: TextSpan, bodyStart: number): { author: TextSpan | null; title: TextSpan } | null {
  const text = block.text.slice(bodyStart, span.end);
  const author = AUTHOR_BEFORE_PLAIN_TITLE.exec(text);
  const titleStart = bodyStart + (author ? author[0].length : 0);
  const after = block.text.slice(titleStart, span.end);
  const stop = /[,.]\s*(?:pp?|Vols?|vol|sv|Bd)\.\s*[\dIVXLC]/.exec(after);
  // A title is a name, not a sentence: short, and without a full stop followed by a new sentence.
  if (!stop || stop.index < 3 || stop.index > 120 || /\.\s+\p{Lu}\p{Ll}+\s+\p{Ll}/u.test(after.slice(0, stop.index))) return null;
  const authorSpan = author ? { start: bodyStart, end: bodyStart + (author[1]?.length ?? 0) } : null;
  return { author: authorSpan, title: { start: titleStart, end: titleStart + stop.index } };
}

/** Parses one citation span; returns null for a segment that names no work. */
function parseCitation(block: ReadingBlock, span: TextSpan): Citation | null {
  const text = block.text.slice(span.start, span.end);
  const bodyStart = span.start + (LEAD_IN.exec(text)?.[0].length ?? 0);
  const body = block.text.slice(bodyStart, span.end);
  const base = { footnote: block.n ?? 0, block, span, volume: VOLUME.exec(body)?.[1] ?? null, archive: ARCHIVE.exec(body)?.[0] ?? null };
  const pages = PAGES.exec(body)?.[1] ?? BARE_PAGES.exec(body)?.[1] ?? null;
  const ibid = IBID.exec(body);
  if (ibid) {
    const ibidField = { start: bodyStart, end: bodyStart + ibid[0].replace(/\.$/, '').length, text: 'Ibid' };
    ibidField.text = block.text.slice(ibidField.start, ibidField.end);
    return { ...base, pages, ibid: ibidField, author: null, title: null, titleItalic: false };
  }
  const italic = italicTitle(block, span, bodyStart);
  if (italic) {
    // A quoted phrase before the italics is the first part of the title (`“Schastie literatury”: *gosudarstvo…*`).
    const quotedLead = /^[“"]/.test(body) ? bodyStart : null;
    if (quotedLead !== null) return { ...base, pages, ibid: null, author: null, title: field(block, quotedLead, italic.end), titleItalic: true };
    const author = field(block, bodyStart, italic.start);
    const plausibleAuthor = author && author.text.length <= 60 && !/\d/.test(author.text) && /^\p{Lu}/u.test(author.text);
    return { ...base, pages, ibid: null, author: plausibleAuthor ? author : null, title: field(block, italic.start, italic.end), titleItalic: true };
  }
  const plain = plainTitle(block, span, bodyStart);
  if (!plain) {
    // An archive reference (fond, opis', delo, list) cites a document without a title.
    return base.archive ? { ...base, pages, ibid: null, author: null, title: null, titleItalic: false } : null;
  }
  const author = plain.author ? field(block, plain.author.start, plain.author.end) : null;
  return { ...base, pages, ibid: null, author, title: field(block, plain.title.start, plain.title.end), titleItalic: false };
}

/** Parses a footnote into the works it cites, in order. A bare locator segment extends the citation before it. */
export function parseFootnoteCitations(block: ReadingBlock): Citation[] {
  if (block.type !== 'footnote') throw new TypeError(`block ${block.id ?? block.index} is a ${block.type}, not a footnote`);
  const citations: Citation[] = [];
  for (const segment of segmentSpans(block)) {
    const span = citationSpan(block, segment);
    if (span.end <= span.start) continue;
    const citation = parseCitation(block, span);
    const previous = citations[citations.length - 1];
    if (citation) citations.push(citation);
    else if (previous && /^\s*pp?\.\s*\d/.test(block.text.slice(span.start, span.end))) {
      previous.pages = [previous.pages, PAGES.exec(block.text.slice(span.start, span.end))?.[1]].filter(Boolean).join(', ');
    }
  }
  return citations;
}

/** The citations of one footnote. */
export interface NoteCitations {
  block: ReadingBlock;
  citations: Citation[];
}

/** Parses every footnote of the chapter, in document order. */
export function citeFootnotes(footnotes: readonly ReadingBlock[]): NoteCitations[] {
  return footnotes.map((block) => ({ block, citations: parseFootnoteCitations(block) }));
}

/** A short human description of a cited work: author and title, or "Ibid.". */
export function describeCitation(citation: Citation): string {
  if (citation.ibid) return 'Ibid.';
  const title = citation.title?.text ?? 'untitled work';
  const shortTitle = title.length > 60 ? `${title.slice(0, 57)}…` : title;
  return citation.author ? `${citation.author.text}, ${shortTitle}` : shortTitle;
}
