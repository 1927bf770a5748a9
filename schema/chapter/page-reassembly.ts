import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import { appendContinuation, fragmentTail, piecesOf } from './fragments.ts';
import type { BodyFragment, FootnoteFragment, RawPiece } from './fragments.ts';
import { endsBound, endsSentence, footnoteIsUnfinished, startsMidSentence } from './sentence-shape.ts';
import type { ClassifiedBlock, FootnoteBlock, TextBlock } from './footnote-sequence.ts';
import { isSectionHeading } from './heading-detection.ts';
import type { FollowingBlock } from './heading-detection.ts';

/**
 * Puts a typeset chapter's pages back together.
 *
 * The page model: each printed page is its body blocks, then its footnote zone. The zone is
 * the `NNN ` footnote blocks, plus the continuation of a footnote left unfinished on the
 * page before, which sits just before those blocks (slot a) or just after them (slot b).
 * A page ends after its zone; when a page has no footnotes its end shows only where a
 * paragraph stops mid-sentence and the next block goes on with it.
 *
 * The walk keeps the "open" fragments: the last body paragraph if it ends mid-sentence,
 * and footnotes that end mid-sentence, each due in the next zone. A block that starts
 * mid-sentence continues one of them, and a page break is recorded where it joins.
 */

/** The walk's input: classified blocks and where the chapter's pages are numbered from. */
export interface ReassemblyInput {
  blocks: readonly ClassifiedBlock[];
  firstPage: number;
  /** Index of the block that is the chapter title, or null when there is none. */
  titleIndex: number | null;
}

/** The rebuilt chapter: body blocks in reading order, footnotes in input order, pages seen. */
export interface ReassembledChapter {
  body: BodyFragment[];
  footnotes: FootnoteFragment[];
  pages: number;
  findings: ImportFinding[];
}

/** An unfinished footnote and the zone it was opened in; its continuation is due in the next. */
interface PendingFootnote {
  fragment: FootnoteFragment;
  zone: number;
}

/** The state of the walk through the blocks. */
interface Walk {
  blocks: readonly ClassifiedBlock[];
  page: number;
  /** How many footnote zones have started so far. */
  zone: number;
  /** A zone has ended: the next body block is on a new page. */
  pageEnded: boolean;
  openBody: BodyFragment | null;
  pending: PendingFootnote[];
  body: BodyFragment[];
  footnotes: FootnoteFragment[];
  findings: ImportFinding[];
}

/** Describes the block after index `i` for heading detection. */
function following(walk: Walk, i: number): FollowingBlock | undefined {
  const next = walk.blocks[i + 1];
  return next && { kind: next.kind === 'footnote' ? 'footnote' : 'text', text: next.source.text };
}

// --- footnotes -------------------------------------------------------------------------

/** Reports and forgets unfinished footnotes opened in zone `lastZone` or earlier. */
function expirePending(walk: Walk, lastZone: number): void {
  for (const { fragment } of walk.pending.filter((p) => p.zone <= lastZone)) {
    walk.findings.push(importFinding('unfinished-footnote', fragment.line,
      `footnote ${fragment.n} ends mid-sentence and no continuation was found on the next page`, fragment.n));
  }
  walk.pending = walk.pending.filter((p) => p.zone > lastZone);
}

/** Adds a footnote block; starting a zone ends the chance of older unfinished footnotes. */
function placeFootnote(walk: Walk, block: FootnoteBlock, i: number): void {
  const pageStart: RawPiece[] = [];
  if (walk.blocks[i - 1]?.kind !== 'footnote') {
    walk.zone += 1;
    expirePending(walk, walk.zone - 2);
    // A page with footnotes but no body text: it still began somewhere.
    if (walk.pageEnded) pageStart.push({ kind: 'page', page: startPage(walk) });
  }
  const pieces = pageStart.concat(piecesOf(block.source, block.prefixLength));
  const fragment: FootnoteFragment = { n: block.n, line: block.source.line, pieces };
  walk.footnotes.push(fragment);
  // Only a zone's last footnote can run over to the next page.
  const lastOfZone = walk.blocks[i + 1]?.kind !== 'footnote';
  if (lastOfZone && footnoteIsUnfinished(fragmentTail(pieces))) walk.pending.push({ fragment, zone: walk.zone });
  if (lastOfZone && walk.blocks[i + 1] !== undefined) walk.pageEnded = true;
}

/** Appends a continuation to a pending footnote, keeping it pending in `zone` if still unfinished. */
function continueFootnote(walk: Walk, due: PendingFootnote, block: TextBlock, zone: number): void {
  appendContinuation(due.fragment.pieces, block.source, walk.page);
  walk.pending = walk.pending.filter((p) => p !== due);
  if (footnoteIsUnfinished(block.source.text)) walk.pending.push({ fragment: due.fragment, zone });
}

/**
 * Decides whether a mid-sentence block goes to a due footnote rather than to the
 * unfinished paragraph. The model says the footnote continues in this zone, so it wins
 * outright when the paragraph can still continue with `bodyNext` (the next body block):
 * that starts mid-sentence too, or the paragraph ends bound ("by") and a capital may
 * follow while the footnote also ends bound. A footnote that only ends on a lower-case
 * word, or a paragraph left with nothing to continue it, makes it a reported guess.
 */
function footnoteTakesBlock(walk: Walk, due: PendingFootnote, block: TextBlock, bodyNext: ClassifiedBlock | undefined): boolean {
  const body = walk.openBody;
  if (body === null) return true;
  if (bodyNext?.kind === 'text' && startsMidSentence(bodyNext.source.text)) return true;
  const bodyCanWait = bodyNext?.kind === 'text' && endsBound(fragmentTail(body.pieces));
  const footnoteBound = endsBound(fragmentTail(due.fragment.pieces));
  const takes = footnoteBound || bodyCanWait;
  if (!(footnoteBound && bodyCanWait)) {
    walk.findings.push(importFinding('ambiguous-continuation', block.source.line,
      `could continue footnote ${due.fragment.n} (line ${due.fragment.line}) or the paragraph at line ${body.line}; `
        + `read as ${takes ? "the footnote's" : "the paragraph's"} continuation`, due.fragment.n));
  }
  return takes;
}

/** Slot b: the first block after a zone continues a footnote opened in the zone before. */
function claimAfterZone(walk: Walk, block: TextBlock, i: number): boolean {
  const due = walk.pending.find((p) => p.zone === walk.zone - 1);
  if (due === undefined || !startsMidSentence(block.source.text)) return false;
  if (!footnoteTakesBlock(walk, due, block, walk.blocks[i + 1])) return false;
  continueFootnote(walk, due, block, walk.zone);
  return true;
}

/**
 * Slot a: a mid-sentence block just before a zone continues a footnote opened in the last
 * zone. With no zone after it, it is the page's whole zone, so the page ends with it.
 */
function claimBeforeZone(walk: Walk, block: TextBlock, i: number): boolean {
  const due = walk.pending.find((p) => p.zone === walk.zone);
  if (due === undefined || !startsMidSentence(block.source.text)) return false;
  let bodyNext = i + 1;
  while (walk.blocks[bodyNext]?.kind === 'footnote') bodyNext++;
  if (!footnoteTakesBlock(walk, due, block, walk.blocks[bodyNext])) return false;
  if (bodyNext > i + 1) {
    continueFootnote(walk, due, block, walk.zone + 1);
  } else {
    walk.zone += 1;
    walk.pageEnded = true;
    continueFootnote(walk, due, block, walk.zone);
  }
  return true;
}

// --- body ------------------------------------------------------------------------------

/** Starts the next page and returns its number. */
function startPage(walk: Walk): number {
  walk.pageEnded = false;
  walk.page += 1;
  return walk.page;
}

/** Starts a new heading or paragraph, after a page break when `page` is given. */
function startBlock(walk: Walk, block: TextBlock, i: number, page: number | null): void {
  const { text, line } = block.source;
  if (startsMidSentence(text) && walk.pending.length > 0) {
    const due = walk.pending[0]!;
    walk.findings.push(importFinding('ambiguous-continuation', line,
      `starts mid-sentence with no unfinished paragraph before it; read as the continuation of footnote ${due.fragment.n} (line ${due.fragment.line})`, due.fragment.n));
    continueFootnote(walk, due, block, due.zone);
    return;
  }
  if (startsMidSentence(text)) {
    walk.findings.push(importFinding('unplaced-block', line, 'starts mid-sentence but nothing before it is unfinished; kept as a paragraph of its own'));
  }
  const heading = isSectionHeading(text, following(walk, i));
  const pieces: RawPiece[] = page === null ? piecesOf(block.source) : [{ kind: 'page', page }, ...piecesOf(block.source)];
  const fragment: BodyFragment = { kind: heading ? 'heading' : 'paragraph', level: 2, line, pieces };
  walk.body.push(fragment);
  walk.openBody = !heading && !endsSentence(text) ? fragment : null;
}

/**
 * Joins a block to the unfinished paragraph across a page break. A block starting with a
 * capital or digit after a paragraph that could have ended (no comma or function word at
 * its end) is doubtful: joined and reported, or taken as a heading when it looks like one.
 */
function continueParagraph(walk: Walk, block: TextBlock, i: number, page: number): void {
  const target = walk.openBody!;
  const { text, line } = block.source;
  if (!startsMidSentence(text) && !endsBound(fragmentTail(target.pieces))) {
    if (isSectionHeading(text, following(walk, i))) {
      walk.findings.push(importFinding('ambiguous-continuation', line,
        `the paragraph at line ${target.line} ends without punctuation; this line is read as a heading, not its continuation`));
      walk.openBody = null;
      startBlock(walk, block, i, page);
      return;
    }
    walk.findings.push(importFinding('ambiguous-continuation', line,
      `joined to the unfinished paragraph at line ${target.line} across a page break, although it starts with a capital or digit`));
  }
  appendContinuation(target.pieces, block.source, page);
  walk.openBody = endsSentence(text) ? null : target;
}

/** Places a text block that is not the title. */
function placeText(walk: Walk, block: TextBlock, i: number): void {
  if (walk.pageEnded) {
    if (claimAfterZone(walk, block, i)) return;
    const page = startPage(walk);
    expirePending(walk, walk.zone - 1);
    if (walk.openBody !== null) continueParagraph(walk, block, i, page);
    else startBlock(walk, block, i, page);
    return;
  }
  if (claimBeforeZone(walk, block, i)) return;
  // An unfinished paragraph followed directly by more text: a page without footnotes ended.
  if (walk.openBody !== null) continueParagraph(walk, block, i, startPage(walk));
  else startBlock(walk, block, i, null);
}

/** Reports what is still unfinished at the end of the text. */
function finish(walk: Walk): void {
  if (walk.openBody !== null) {
    walk.findings.push(importFinding('unfinished-paragraph', walk.openBody.line, 'the paragraph ends mid-sentence and nothing continues it'));
  }
  expirePending(walk, Number.POSITIVE_INFINITY);
}

/**
 * Walks the classified blocks once and rebuilds whole paragraphs and footnotes with page
 * breaks where the original pages began (page `firstPage` is the first, unmarked).
 */
export function reassemblePages(input: ReassemblyInput): ReassembledChapter {
  const walk: Walk = {
    blocks: input.blocks, page: input.firstPage, zone: 0, pageEnded: false, openBody: null,
    pending: [], body: [], footnotes: [], findings: [],
  };
  input.blocks.forEach((block, i) => {
    if (block.kind === 'footnote') {
      placeFootnote(walk, block, i);
    } else if (i === input.titleIndex) {
      walk.body.push({ kind: 'heading', level: 1, line: block.source.line, pieces: piecesOf(block.source) });
    } else {
      placeText(walk, block, i);
    }
  });
  finish(walk);
  return { body: walk.body, footnotes: walk.footnotes, pages: walk.page - input.firstPage + 1, findings: walk.findings };
}
