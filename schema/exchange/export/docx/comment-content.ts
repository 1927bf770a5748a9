import { Paragraph, TextRun } from 'docx';
import type { ICommentOptions } from 'docx';
import { statusLabel, tagLabel } from '../annotation-labels.ts';
import { isClosed } from '../export-selection.ts';
import { xmlChars } from '../tei/xml-text.ts';
import type { PlannedComment } from './review-plan.ts';

/**
 * The text of the Word comments: what kind of annotation it is, its status and footnotes, the
 * note, the correction when it could not be a tracked change, and the thread as replies.
 */

/** One paragraph per line of `text` (Word comments have no line breaks inside a run). */
function lines(text: string, options: { italics?: boolean } = {}): Paragraph[] {
  return xmlChars(text)
    .split(/\r\n|\r|\n/)
    .map((line) => new Paragraph({ children: [new TextRun({ text: line, italics: options.italics ?? false })] }));
}

function heading(comment: PlannedComment): Paragraph {
  const a = comment.entry.annotation;
  const parts = [tagLabel(a)];
  if (a.status !== 'open') parts.push(statusLabel(a));
  if (a.footnotes.length > 0) parts.push(`${a.footnotes.length === 1 ? 'footnote' : 'footnotes'} ${a.footnotes.join(', ')}`);
  return new Paragraph({ children: [new TextRun({ text: parts.join(' · '), bold: true })] });
}

/** The paragraphs saying what the annotation proposes or records about the text. */
function correctionLines(comment: PlannedComment): Paragraph[] {
  const a = comment.entry.annotation;
  if (a.applied) return lines(`Applied: “${a.applied.original}” → “${a.correction ?? ''}”`);
  if (a.correction === null || comment.withChange) return [];
  return lines(a.correction === '' ? 'Proposed: delete the passage.' : `Proposed correction: “${a.correction}”`);
}

function displacedLines(comment: PlannedComment): Paragraph[] {
  const quote = comment.entry.annotation.anchor.quote.exact;
  const displaced = comment.displaced;
  if (displaced?.kind === 'orphaned') return lines(`The annotated passage is no longer in the text. It read: “${quote}”`, { italics: true });
  if (displaced?.kind === 'degraded') return lines(`The passage has changed since this was written. It read: “${quote}”`, { italics: true });
  if (displaced?.kind === 'in-note') return lines(`In note ${displaced.n}: “${displaced.passage}”`, { italics: true });
  return [];
}

/** Word initials from a display name: "Anna Petrova" → "AP". */
function initials(name: string): string {
  const letters = name.split(/\s+/).filter(Boolean).map((word) => [...word][0]!.toLocaleUpperCase());
  return xmlChars(letters.slice(0, 3).join('') || '?');
}

/** The dated author fields of a Word comment (for an unreadable time, the docx package writes the export's). */
function signed(name: string, iso: string): Pick<ICommentOptions, 'author' | 'initials' | 'date'> {
  const date = new Date(iso);
  return { author: xmlChars(name), initials: initials(name), ...(Number.isNaN(date.getTime()) ? {} : { date }) };
}

/**
 * The Word comments of one planned comment: the annotation's own (id `id`) and one reply per
 * message of its thread (ids `id + 1`…, each a reply to the first, as Word threads them). A
 * closed annotation's comments are marked done.
 */
export function commentDefinitions(comment: PlannedComment, id: number): ICommentOptions[] {
  const { annotation: a, replies } = comment.entry;
  const done = isClosed(a);
  const body = [heading(comment), ...displacedLines(comment), ...(a.note.trim() ? lines(a.note) : []), ...correctionLines(comment)];
  const own: ICommentOptions = { id, ...signed(a.authorName, a.created), children: body, resolved: done };
  return [own, ...replies.map((reply, i) => ({ id: id + 1 + i, parentId: id, ...signed(reply.authorName, reply.created), children: lines(reply.body), resolved: done }))];
}
