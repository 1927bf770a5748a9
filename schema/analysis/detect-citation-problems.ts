import { idForFinding, quoteIn } from './chapter-reading.ts';
import type { ChapterReading, ReadingBlock, TextSpan } from './chapter-reading.ts';
import { workKey } from './detect-ibid.ts';
import type { Finding, FindingQuote } from './finding.ts';
import type { Citation, NoteCitations } from './footnote-citations.ts';
import { romanisationKey } from './romanisation.ts';
import { wordTokens } from './word-tokens.ts';
import type { WordToken } from './word-tokens.ts';

/**
 * Citation problems reported with the Ibid. findings (type `ibid`):
 * - `unitalicised-title`: a title set in roman type in one note and in italics in another;
 * - `incomplete-citation`: an author named by a bare surname that no other citation completes;
 * - `duplicate-citation`: the same work and pages cited twice in one note, or two notes with
 *   the same text.
 */

interface ItalicTitle {
  note: number;
  keys: string[];
}

const MIN_TITLE_WORDS = 2;
const MIN_MATCHED_WORDS = 3;

function keysOf(words: readonly WordToken[]): string[] {
  return words.map((w) => romanisationKey(w.text));
}

function italicTitles(notes: readonly NoteCitations[]): ItalicTitle[] {
  return notes.flatMap(({ block, citations }) =>
    citations
      .filter((c) => c.titleItalic && c.title)
      .map((c) => ({ note: block.n ?? 0, keys: keysOf(wordTokens(c.title?.text ?? '')) }))
      .filter((t) => t.keys.length >= MIN_TITLE_WORDS),
  );
}

/** The roman-type stretches of a citation, outside italics and outside quotation marks. */
function romanRuns(citation: Citation): TextSpan[] {
  const { block, span } = citation;
  const runs: TextSpan[] = [];
  let from = span.start;
  for (const italic of block.emphasis.filter((s) => s.end > span.start && s.start < span.end)) {
    if (italic.start > from) runs.push({ start: from, end: italic.start });
    from = italic.end;
  }
  if (from < span.end) runs.push({ start: from, end: span.end });
  // A quoted title (an article, a chapter) is correctly in roman type.
  return runs.filter((run) => !/[“"]\s*$/.test(block.text.slice(Math.max(0, run.start - 2), run.start)));
}

/** Finds `title` inside `words` (whole title, or its first three words or more); returns the word range. */
function findTitleIn(words: readonly WordToken[], keys: readonly string[], title: ItalicTitle): TextSpan | null {
  const need = Math.min(title.keys.length, Math.max(MIN_MATCHED_WORDS, MIN_TITLE_WORDS));
  for (let i = 0; i + need <= keys.length; i++) {
    let length = 0;
    while (i + length < keys.length && length < title.keys.length && keys[i + length] === title.keys[length]) length++;
    if (length >= need && (length === title.keys.length || i + length === keys.length || length >= MIN_MATCHED_WORDS)) {
      return { start: words[i]?.start ?? 0, end: words[i + length - 1]?.end ?? 0 };
    }
  }
  return null;
}

function problem(reading: ChapterReading, rule: string, quotes: FindingQuote[], footnotes: number[], message: string, note: string): Finding {
  return {
    id: idForFinding(reading, 'ibid', rule, quotes),
    type: 'ibid',
    rule,
    message,
    quotes,
    footnotes,
    severity: 'warning',
    score: 0.6,
    suggestion: { kind: 'problem', problemType: 'citation', note },
    details: { type: 'ibid' },
  };
}

function unitalicisedTitles(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  const titles = italicTitles(notes);
  const findings: Finding[] = [];
  for (const { block, citations } of notes) {
    const n = block.n ?? 0;
    const found = new Set<string>();
    for (const run of citations.flatMap(romanRuns)) {
      const words = wordTokens(block.text.slice(run.start, run.end), run.start);
      const keys = keysOf(words);
      for (const title of titles.filter((t) => t.note !== n)) {
        const hit = findTitleIn(words, keys, title);
        if (!hit || found.has(`${hit.start}`)) continue;
        found.add(`${hit.start}`);
        const others = [...new Set(titles.filter((t) => t.note !== n && findTitleIn(words, keys, t)?.start === hit.start).map((t) => t.note))].sort((a, b) => a - b);
        const quote = quoteIn(block, hit.start, hit.end);
        const where = others.length === 1 ? `note ${others[0]} sets` : `notes ${others.join(', ')} set`;
        findings.push(problem(reading, 'unitalicised-title', [quote], [n, ...others],
          `Note ${n} sets the title ${quote.exact} in roman type; ${where} it in italics.`,
          `Set the title in italics, as elsewhere (${others.map((o) => `note ${o}`).join(', ')}).`));
      }
    }
  }
  return findings;
}

const BARE_SURNAME = /^\p{Lu}[\p{Ll}'’-]+$/u;

function incompleteAuthors(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  const citations = notes.flatMap((note) => note.citations);
  const fuller = (surname: string) =>
    citations.some((c) => c.author && c.author.text !== surname && new RegExp(`(^|[\\s/.])${surname}\\b`, 'u').test(c.author.text));
  return citations
    .filter((c) => c.author && BARE_SURNAME.test(c.author.text) && !fuller(c.author.text))
    .map((c) => {
      const author = c.author as NonNullable<Citation['author']>;
      const quote = quoteIn(c.block, author.start, author.end);
      return problem(reading, 'incomplete-citation', [quote], [c.footnote],
        `Note ${c.footnote} names the author only as ${author.text}, with no initials, and no other note gives them.`,
        `Give the author's initials (${author.text} ?.).`);
    });
}

function duplicateWithinNote(reading: ChapterReading, block: ReadingBlock, citations: readonly Citation[]): Finding[] {
  const seen = new Map<string, Citation>();
  const findings: Finding[] = [];
  for (const c of citations.filter((x) => !x.ibid && x.title)) {
    const key = `${workKey(c)}|${c.volume ?? ''}|${c.pages ?? ''}`;
    const first = seen.get(key);
    if (!first) { seen.set(key, c); continue; }
    const quotes = [quoteIn(block, c.span.start, c.span.end), quoteIn(block, first.span.start, first.span.end)];
    findings.push({ ...problem(reading, 'duplicate-citation', quotes, [c.footnote],
      `Note ${c.footnote} cites the same work and pages twice.`, 'Remove the repeated citation.'), suggestion: { kind: 'problem', problemType: 'citation', note: 'Remove the repeated citation.', relatedQuoteIndex: 1 } });
  }
  return findings;
}

function duplicateNotes(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  const byText = new Map<string, ReadingBlock>();
  const findings: Finding[] = [];
  for (const { block } of notes) {
    const text = block.text.replace(/\s+/g, ' ').trim();
    const earlier = byText.get(text);
    if (text.length < 15) continue;
    if (!earlier) { byText.set(text, block); continue; }
    const quotes = [quoteIn(block, 0, block.text.length), quoteIn(earlier, 0, earlier.text.length)];
    findings.push({ ...problem(reading, 'duplicate-citation', quotes, [block.n ?? 0, earlier.n ?? 0],
      `Note ${block.n} repeats note ${earlier.n} word for word.`, `Repeats note ${earlier.n}; use Ibid. or a short form.`), suggestion: { kind: 'problem', problemType: 'citation', note: `Repeats note ${earlier.n}.`, relatedQuoteIndex: 1 } });
  }
  return findings;
}

/** Finds unitalicised titles, incomplete authors and duplicate citations in the chapter's notes. */
export function detectCitationProblems(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  return [
    ...unitalicisedTitles(reading, notes),
    ...incompleteAuthors(reading, notes),
    ...notes.flatMap(({ block, citations }) => duplicateWithinNote(reading, block, citations)),
    ...duplicateNotes(reading, notes),
  ];
}
