import { describe, expect, it } from 'vitest';
import { importOk, sup } from '../helpers/chapter-text-builder.ts';
import { mulberry32 as random } from '../helpers/seeded-random.ts';

// Randomised round trip: build a logical chapter, typeset it into pages the way the book
// format does (paragraphs cut at page ends, each page's footnotes after its body, a
// footnote occasionally continued on the next page before or after that page's notes),
// import the text and expect the logical chapter back. Replay a failure with
// IMPORT_SEED=<seed> npx vitest run tests/unit/chapter-importer-random.test.ts (IMPORT_RUNS=<n> for more runs)

const RUNS = Number(process.env.IMPORT_RUNS ?? 60);
// A fixed base seed, so every run imports the same texts; IMPORT_SEED=<n> explores (and replays) others.
const baseSeed = Number(process.env.IMPORT_SEED ?? 1_000);

const WORDS = ['plan', 'party', 'workers', 'growth', 'famine', 'decree', 'villages', 'industry', 'policy', 'terror', 'purge',
  'congress', 'peasants', 'kolkhoz', 'cities', 'the', 'of', 'and', 'in', 'was', 'were', 'had', 'its', 'new', 'old', 'soviet',
  'however,', 'rapid', 'slowly', 'rose', 'fell', 'grain', 'housing', 'rations', 'leadership', 'opposition'];
const NAMES = ['Stalin', 'Kirov', 'Molotov', 'Moscow', 'Leningrad', 'Zinoviev'];
const BINDERS = ['of', 'by', 'in', 'with', 'to'];
const TITLE_WORDS = ['Plan', 'Party', 'Terror', 'Society', 'Constitution', 'Villages', 'Industry', 'Turning', 'Point', 'Policy'];

/** A generator of the pieces of a logical chapter. */
class ChapterDice {
  notes: string[] = [];
  constructor(readonly next: () => number, readonly firstNote: number) {}

  int(from: number, to: number): number {
    return from + Math.floor(this.next() * (to - from + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  capitalised(word: string): string {
    return word[0]!.toUpperCase() + word.slice(1);
  }

  /** A sentence as words; some carry footnote markers, names follow a binding word. */
  sentence(withMarkers = true): string[] {
    const words = [this.capitalised(this.pick(WORDS.filter((w) => !w.endsWith(','))))];
    for (let i = this.int(4, 16); i > 0; i--) {
      const roll = this.next();
      if (roll < 0.08) words.push(this.pick(BINDERS), this.pick(NAMES));
      else if (roll < 0.12) words.push('in', String(this.int(1917, 1939)));
      else if (roll < 0.15) words.push(`*${this.pick(WORDS.filter((w) => !w.endsWith(',')))}`, `${this.pick(WORDS.filter((w) => !w.endsWith(',')))}*`);
      else words.push(this.pick(WORDS));
    }
    words[words.length - 1] += '.';
    if (!withMarkers) return words;
    if (this.next() < 0.3) words[words.length - 1] += this.marker();
    else if (this.next() < 0.15) words[this.int(0, words.length - 2)] += this.marker();
    return words;
  }

  /** Adds a footnote and returns its marker. */
  marker(): string {
    const n = this.firstNote + this.notes.length;
    const tail = this.next() < 0.6 ? ` ${this.sentence(false).join(' ')}` : '';
    this.notes.push(`${this.pick(NAMES)} A., *${this.pick(TITLE_WORDS)} i ${this.pick(WORDS)}*, p. ${this.int(2, 400)}.${tail}`);
    return sup(n);
  }

  paragraph(): string[] {
    const words = this.next() < 0.1 ? [String(this.int(1917, 1939)), 'saw', 'the', 'new', 'plan.'] : [];
    for (let i = this.int(1, 5); i > 0; i--) words.push(...this.sentence());
    return words;
  }

  heading(): string {
    return Array.from({ length: this.int(2, 5) }, () => this.pick(TITLE_WORDS)).join(' ');
  }
}

type LogicalBlock = { kind: 'heading'; text: string } | { kind: 'paragraph'; words: string[] };

/** One typeset page: body block texts, its footnote zone, whether its last block was cut. */
interface Page {
  body: string[];
  notes: number[];
  endsCut: boolean;
  zoneBefore: string[];
  zoneAfter: string[];
}

const plain = (text: string) => text.replace(/[*⁰¹²³⁴⁵⁶⁷⁸⁹]/gu, '');
const lowerStart = (word: string) => /^\*?[a-z]/u.test(word);
const endsStop = (word: string) => /\.[⁰¹²³⁴⁵⁶⁷⁸⁹]*$/u.test(word);

/** A valid page-end cut before word c: mid-sentence, and a capital or year only after a binding word. */
function canCut(words: readonly string[], c: number): boolean {
  if (endsStop(words[c - 1]!) || words[c - 1]!.endsWith('*')) return false;
  return lowerStart(words[c]!) || BINDERS.includes(words[c - 1]!);
}

/** Chooses the cut nearest below `limit` (or above when there is none), or -1. */
function chooseCut(words: readonly string[], start: number, limit: number): number {
  for (let c = Math.min(limit, words.length - 1); c > start; c--) if (canCut(words, c)) return c;
  for (let c = limit + 1; c < words.length; c++) if (canCut(words, c)) return c;
  return -1;
}

/** Typesets blocks into pages of about `budget` words, cutting paragraphs at page ends. */
function typeset(blocks: readonly LogicalBlock[], budget: number): Page[] {
  const pages: Page[] = [];
  let page: Page = { body: [], notes: [], endsCut: false, zoneBefore: [], zoneAfter: [] };
  let used = 0;
  const close = (cut: boolean) => {
    pages.push({ ...page, endsCut: cut });
    page = { body: [], notes: [], endsCut: false, zoneBefore: [], zoneAfter: [] };
    used = 0;
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      // Typesetters keep a heading with the text that follows it.
      if (page.body.length > 0 && used + 8 > budget) close(false);
      page.body.push(block.text);
      used += 3;
      continue;
    }
    let start = 0;
    while (start < block.words.length) {
      const cut = block.words.length - start > budget - used ? chooseCut(block.words, start, start + Math.max(1, budget - used)) : -1;
      const end = cut === -1 ? block.words.length : cut;
      page.body.push(block.words.slice(start, end).join(' '));
      used += end - start;
      start = end;
      if (cut !== -1) close(true);
    }
  }
  close(false);
  return pages;
}

/** Merges pages whose end leaves no trace (no footnotes, not cut) into the next one. */
function visiblePages(pages: readonly Page[]): Page[] {
  const merged: Page[] = [];
  let carry: string[] = [];
  pages.forEach((page, i) => {
    const notes = [...page.body.join(' ').matchAll(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/gu)].map((m) => m[0]);
    const withCarry: Page = { ...page, body: [...carry, ...page.body], notes: notes.map((m) => Number([...m].map((c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)).join(''))) };
    if (withCarry.notes.length === 0 && !page.endsCut && i < pages.length - 1) {
      carry = withCarry.body;
      return;
    }
    carry = [];
    merged.push(withCarry);
  });
  return merged;
}

/** Expected footnote texts after continuations are placed, keyed by number. */
type NoteTexts = Map<number, string>;

/** Where footnotes were cut: footnote number → words kept on the first page. */
type NoteCuts = Map<number, number>;

/** Cuts the last footnote of some pages and places its rest on the next page (slot a, slot b or alone). */
function continueSomeNotes(dice: ChapterDice, pages: Page[], notes: NoteTexts, cuts: NoteCuts, features: Set<string>): Array<{ n: number; page: number }> {
  const continued: Array<{ n: number; page: number }> = [];
  pages.forEach((page, i) => {
    const n = page.notes[page.notes.length - 1];
    if (n === undefined || i === pages.length - 1 || dice.next() > 0.5) return;
    const words = notes.get(n)!.split(' ');
    const candidates = words.map((_, c) => c).filter((c) => c > 4 && /^[a-z]/u.test(words[c]!) && /[a-z]$/u.test(words[c - 1]!));
    if (candidates.length === 0) return;
    const c = dice.pick(candidates);
    const next = pages[i + 1]!;
    const rest = words.slice(c).join(' ');
    const slot = next.notes.length === 0 ? 'alone' : dice.next() < 0.5 ? 'after' : 'before';
    (slot === 'after' ? next.zoneAfter : next.zoneBefore).push(rest);
    features.add(slot === 'alone' ? 'note continued on a next page without notes' : `note continued ${slot} the next page's notes`);
    cuts.set(n, c);
    continued.push({ n, page: i + 1 });
  });
  return continued;
}

/** Writes the typeset pages as the plain-text format. */
function render(title: string, pages: readonly Page[], notes: NoteTexts, cuts: NoteCuts): string {
  const blocks = [title];
  for (const page of pages) {
    blocks.push(...page.body, ...page.zoneBefore);
    for (const n of page.notes) blocks.push(`${n} ${notes.get(n)!.split(' ').slice(0, cuts.get(n)).join(' ')}`);
    blocks.push(...page.zoneAfter);
  }
  return blocks.join('\n\n');
}

/** Builds one random case: its text and what the import must give back. */
function randomCase(seed: number) {
  const dice = new ChapterDice(random(seed), random(seed)() < 0.5 ? 1 : 130);
  const blocks: LogicalBlock[] = [];
  for (let s = dice.int(1, 3); s > 0; s--) {
    blocks.push({ kind: 'heading', text: dice.heading() });
    for (let p = dice.int(1, 5); p > 0; p--) blocks.push({ kind: 'paragraph', words: dice.paragraph() });
  }
  const pages = visiblePages(typeset(blocks, dice.int(40, 160)));
  const notes: NoteTexts = new Map(dice.notes.map((text, i) => [dice.firstNote + i, text]));
  const cuts: NoteCuts = new Map();
  const features = new Set<string>();
  const continued = continueSomeNotes(dice, pages, notes, cuts, features);
  pages.forEach((page, i) => {
    const first = pages[i + 1]?.body[0];
    if (!page.endsCut || first === undefined) return;
    features.add(`paragraph continued ${/^\d/u.test(first) ? 'with a year' : /^[A-Z]/u.test(first) ? 'with a capital' : 'in lower case'}${page.notes.length > 0 ? ' after notes' : ' without notes'}`);
  });
  return {
    text: render(`${dice.int(1, 12)}. ${dice.heading()}`, pages, notes, cuts),
    headings: blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : [])),
    paragraphs: blocks.flatMap((b) => (b.kind === 'paragraph' ? [plain(b.words.join(' '))] : [])),
    notes: [...notes.entries()].map(([n, text]) => [n, plain(text)] as const),
    pageStarts: pages.slice(1).map((page, i) => [i + 2, plain(page.body[0]!)] as const),
    continued: continued.map(({ n, page }) => [`fn-${n}`, page + 1] as const),
    features,
  };
}

describe('importing randomly typeset chapters', () => {
  it(`gives back the logical chapter (seed ${baseSeed}, ${RUNS} runs)`, () => {
    console.log(`chapter-importer-random: IMPORT_SEED=${baseSeed}`);
    const seen = new Map<string, number>();
    for (let run = 0; run < RUNS; run++) {
      const seed = baseSeed + run;
      const expected = randomCase(seed);
      for (const feature of expected.features) seen.set(feature, (seen.get(feature) ?? 0) + 1);
      const chapter = importOk(expected.text);
      const where = `seed ${seed} (replay with IMPORT_SEED=${seed})\n${expected.text}`;
      // The generator writes well-formed chapters; the importer may voice a doubt (a footnote
      // cut after an ordinary word competes with a paragraph) but must still guess right.
      expect(chapter.report.findings.filter((f) => f.code !== 'ambiguous-continuation'), where).toEqual([]);
      expect(chapter.headings.slice(1), where).toEqual(expected.headings);
      expect(chapter.paragraphs, where).toEqual(expected.paragraphs);
      expect([...chapter.footnotes.entries()], where).toEqual(expected.notes);
      expect(chapter.refs, where).toEqual(expected.notes.map(([n]) => n));
      const bodyBreaks = chapter.pageBreaks.filter((b) => !b.blockId.startsWith('fn-'));
      expect(bodyBreaks.map((b) => b.page), where).toEqual(expected.pageStarts.map(([page]) => page));
      bodyBreaks.forEach((b, i) => expect(expected.pageStarts[i]![1].startsWith(b.after), where).toBe(true));
      const noteBreaks = chapter.pageBreaks.filter((b) => b.blockId.startsWith('fn-')).map((b) => [b.blockId, b.page]);
      expect(noteBreaks, where).toEqual(expected.continued);
    }
    console.log(`chapter-importer-random: cases covered ${JSON.stringify(Object.fromEntries(seen))}`);
    // Guard against a generator that silently stopped producing the hard cases.
    const core = ["note continued before the next page's notes", "note continued after the next page's notes",
      'paragraph continued in lower case after notes', 'paragraph continued with a capital after notes'];
    if (RUNS >= 60) expect(core.filter((feature) => !seen.has(feature))).toEqual([]);
  });
});
