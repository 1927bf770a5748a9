import { dayLabel, statusLabel, tagLabel } from '../annotation-labels.ts';
import type { ChapterBlock } from '../chapter-pieces.ts';
import { DEFAULT_SELECTION } from '../export-selection.ts';
import type { ExportSelection } from '../export-selection.ts';
import { markedSteps } from '../marked-pieces.ts';
import type { MarkRange } from '../marked-pieces.ts';
import type { ExportOptions, RoomSnapshot } from '../snapshot.ts';
import { buildPrintModel } from './apparatus-model.ts';
import type { ApparatusEntry, MarkCategory, PrintModel, PrintSection } from './apparatus-model.ts';
import { PRINT_STYLESHEET } from './print-styles.ts';

/**
 * The printed apparatus as HTML: one renderer for the browser's Print action (which puts the
 * article into the page and prints it with PRINT_STYLESHEET) and for `format=print` (a
 * standalone document to print or save as PDF). Every piece of room text goes through
 * escapeHtml; nothing else is interpolated.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** What the header of the printed page says besides the title. */
export interface PrintHeader {
  room: string;
  /** ISO time of printing. */
  printedAt: string;
  /** What the printed selection is, e.g. "only: Contested, Problem · by Anna"; null when nothing is filtered. */
  filterNote: string | null;
}

/** The legend's words for each mark style. */
const CATEGORY_NAMES: Record<MarkCategory, string> = {
  sourced: 'sourced claim',
  contested: 'contested claim',
  interpretive: 'interpretive claim',
  problem: 'problem',
  comment: 'comment',
};

const MAX_DEPTH = 4;

function markOpen(entry: ApparatusEntry, depth: number): string {
  return `<span class="ap-pm ap-pm--${entry.category} ap-pm--d${Math.min(depth, MAX_DEPTH)}">`;
}

/**
 * One block's inline HTML. Passages are spans; where passages overlap without nesting, the
 * inner spans are closed and reopened around the end of the outer one, so each keeps its own
 * underline. A passage's letter follows its last word.
 */
function inlineHtml(block: ChapterBlock, marks: readonly MarkRange<ApparatusEntry>[]): string {
  let out = '';
  const open: MarkRange<ApparatusEntry>[] = [];
  for (const step of markedSteps(block, marks)) {
    if (step.kind === 'open') {
      open.push(step.mark);
      out += markOpen(step.mark.value, open.length);
    } else if (step.kind === 'close') {
      const closing = open.splice(open.indexOf(step.mark));
      out += '</span>'.repeat(closing.length);
      if (step.mark.end <= block.end) out += `<sup class="ap-print__mark">${step.mark.value.label}</sup>`;
      for (const mark of closing.slice(1)) {
        open.push(mark);
        out += markOpen(mark.value, open.length);
      }
    } else if (step.piece.kind === 'text') {
      out += step.piece.em ? `<em>${escapeHtml(step.piece.text)}</em>` : escapeHtml(step.piece.text);
    } else if (step.piece.kind === 'footnote-ref') {
      out += `<sup class="ap-print__fn">${step.piece.n}</sup>`;
    } else {
      out += `<span class="ap-print__pb" role="note" aria-label="page ${step.piece.page}"><span class="ap-print__page">${step.piece.page}</span></span>`;
    }
  }
  return out;
}

function blockHtml(block: ChapterBlock, marks: readonly MarkRange<ApparatusEntry>[]): string {
  const inner = inlineHtml(block, marks.filter((m) => m.start < block.end && m.end > block.start));
  if (block.type === 'heading') return block.level === 1 ? `<h1 class="ap-print__title">${inner}</h1>` : `<h2>${inner}</h2>`;
  if (block.type === 'footnote') return `<li class="ap-print__note"><span class="ap-print__note-n">${block.n}</span> ${inner}</li>`;
  return `<p>${inner}</p>`;
}

const paragraphs = (text: string, className: string) =>
  text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => `<p class="${className}">${escapeHtml(line)}</p>`)
    .join('');

/** A passage for the apparatus: whole when short, else its opening and closing words. */
function excerpt(passage: string): string {
  const flat = passage.replace(/\s+/g, ' ').trim();
  return flat.length <= 90 ? flat : `${flat.slice(0, 50).trimEnd()} … ${flat.slice(-30).trimStart()}`;
}

/** What the annotation asks of the text, or records about it. */
function correctionHtml(entry: ApparatusEntry): string {
  const a = entry.entry.annotation;
  if (a.applied) return `<p class="ap-print__correction">Applied: “${escapeHtml(a.applied.original)}” → “${escapeHtml(a.correction ?? '')}”</p>`;
  if (a.correction === null) return '';
  return `<p class="ap-print__correction">${a.correction === '' ? 'Proposed: delete the passage' : `Proposed: “${escapeHtml(a.correction)}”`}</p>`;
}

function entryHtml(item: ApparatusEntry): string {
  const { annotation: a, replies } = item.entry;
  const facts = [
    `<span class="ap-print__tag ap-pm ap-pm--${item.category}">${escapeHtml(tagLabel(a))}</span>`,
    ...(a.status !== 'open' ? [escapeHtml(statusLabel(a))] : []),
    `${escapeHtml(a.authorName)}, ${escapeHtml(dayLabel(a.created))}`,
    ...(item.page !== null ? [`p. ${item.page}`] : []),
    ...(a.footnotes.length > 0 ? [`${a.footnotes.length === 1 ? 'note' : 'notes'} ${a.footnotes.join(', ')}`] : []),
  ];
  const thread = replies.length
    ? `<ul class="ap-print__replies">${replies.map((r) => `<li><strong>${escapeHtml(r.authorName)}</strong>, ${escapeHtml(dayLabel(r.created))}: ${escapeHtml(r.body).replace(/\r\n|\r|\n/g, '<br>')}</li>`).join('')}</ul>`
    : '';
  return `<li class="ap-print__entry" id="ap-entry-${item.label}"><span class="ap-print__label">${item.label}</span><div class="ap-print__entry-body">
<p class="ap-print__facts">${facts.join(' · ')}</p>
<p class="ap-print__passage">${item.range ? '' : 'No longer in the text. It read: '}“${escapeHtml(excerpt(item.passage))}”</p>
${paragraphs(a.note, 'ap-print__note-text')}${correctionHtml(item)}${thread}</div></li>`;
}

function apparatusHtml(entries: readonly ApparatusEntry[], heading: string): string {
  if (entries.length === 0) return '';
  return `<section class="ap-print__apparatus" aria-label="${escapeHtml(heading)}"><h3>${escapeHtml(heading)}</h3><ol>${entries.map(entryHtml).join('\n')}</ol></section>`;
}

function sectionHtml(section: PrintSection, marks: readonly MarkRange<ApparatusEntry>[]): string {
  if (section.kind === 'notes') {
    return `<section class="ap-print__section ap-print__section--notes"><h2>Notes</h2><ol class="ap-print__notes">${section.blocks.map((b) => blockHtml(b, marks)).join('\n')}</ol>${apparatusHtml(section.entries, 'Apparatus to the notes')}</section>`;
  }
  const heading = section.blocks.find((b) => b.type === 'heading' && b.level !== 1);
  const name = heading ? `Apparatus to “${heading.text}”` : 'Apparatus';
  return `<section class="ap-print__section">${section.blocks.map((b) => blockHtml(b, marks)).join('\n')}${apparatusHtml(section.entries, name)}</section>`;
}

function legendHtml(): string {
  const samples = (Object.keys(CATEGORY_NAMES) as MarkCategory[]).map((c) => `<span class="ap-print__legend-item"><span class="ap-pm ap-pm--${c} ap-pm--d1">${CATEGORY_NAMES[c]}</span></span>`);
  return `<p class="ap-print__legend">Marked passages: ${samples.join(' ')}. The letter after a passage leads to its entry in the apparatus after the section; superscript numbers are the chapter’s own footnotes.</p>`;
}

/** The printed chapter with its apparatus as an HTML `<article class="ap-print">`. */
export function renderPrintArticle(model: PrintModel, header: PrintHeader): string {
  const marks: MarkRange<ApparatusEntry>[] = model.sections
    .flatMap((s) => s.entries)
    .map((entry) => ({ start: entry.range!.start, end: entry.range!.end, value: entry }))
    .sort((x, y) => x.start - y.start || y.end - x.end);
  const meta = [`Printed ${escapeHtml(dayLabel(header.printedAt))} from Apparatus, room ${escapeHtml(header.room)}`, `${model.count} ${model.count === 1 ? 'annotation' : 'annotations'}`];
  if (header.filterNote) meta.push(escapeHtml(header.filterNote));
  return `<article class="ap-print" lang="en">
<header class="ap-print__header"><p class="ap-print__meta">${meta.join(' · ')}</p>${model.count > 0 ? legendHtml() : ''}</header>
${model.sections.map((s) => sectionHtml(s, marks)).join('\n')}
${apparatusHtml(model.displaced, 'Annotations whose passage is no longer in the text')}
</article>`;
}

/** Options of the standalone printable page. */
export interface PrintExportOptions extends ExportOptions {
  selection?: ExportSelection;
}

/**
 * Exports a room as a standalone printable HTML page (`format=print`): the chapter with the
 * selected annotations marked and lettered, the apparatus after each section, the footnotes,
 * and the print stylesheet inline. It runs no script (its own CSP forbids any).
 */
export function exportPrintHtml(snapshot: RoomSnapshot, options: PrintExportOptions): string {
  const model = buildPrintModel(snapshot, options.selection ?? DEFAULT_SELECTION);
  const article = renderPrintArticle(model, { room: snapshot.room.id, printedAt: options.exportedAt, filterNote: null });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<style>${PRINT_STYLESHEET}</style>
</head>
<body class="ap-print-page">
${article}
</body>
</html>
`;
}
