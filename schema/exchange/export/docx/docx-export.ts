import {
  AlignmentType,
  BuilderElement,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import type { ICommentOptions, ParagraphChild } from 'docx';
import { readExportChapter } from '../chapter-pieces.ts';
import type { ChapterBlock } from '../chapter-pieces.ts';
import { DEFAULT_SELECTION } from '../export-selection.ts';
import type { ExportSelection } from '../export-selection.ts';
import { markedSteps } from '../marked-pieces.ts';
import type { MarkRange } from '../marked-pieces.ts';
import type { ExportOptions, RoomSnapshot } from '../snapshot.ts';
import { xmlChars } from '../tei/xml-text.ts';
import { commentDefinitions } from './comment-content.ts';
import { applyFootnoteNumbering, planFootnotes } from './footnote-numbering.ts';
import type { FootnotePlan } from './footnote-numbering.ts';
import { planReview } from './review-plan.ts';
import type { PlannedChange, PlannedComment } from './review-plan.ts';

/** Options of the Word export. */
export interface DocxExportOptions extends ExportOptions {
  /** Which annotations to carry; every kind, open ones only, by default. */
  selection?: ExportSelection;
}

/** A range the writer marks up: a comment (with the Word ids of it and its replies) or a tracked change. */
type ReviewMark = { type: 'comment'; ids: number[] } | { type: 'change'; change: PlannedChange };

/** What the paragraph writer needs besides the block: the footnotes' Word ids and a counter for revision ids. */
interface WriteContext {
  footnotes: FootnotePlan;
  /** Footnote numbers whose Word note has been referred to already. */
  referenced: Set<number>;
  nextRevision: () => number;
}

/**
 * The reference to footnote `n`: Word's own at the note's first marker, with the book's number
 * as a custom mark when Word's numbering would not reproduce it; later markers of the same
 * note, or markers without a note, keep their number as plain superscript.
 */
function footnoteReference(n: number, plan: FootnotePlan, referenced: Set<number>): ParagraphChild {
  const id = plan.ids.get(n);
  if (id === undefined || referenced.has(n)) return new TextRun({ text: String(n), superScript: true });
  referenced.add(n);
  if (plan.numbering.kind === 'sequence') return new FootnoteReferenceRun(id);
  const reference = new BuilderElement({ name: 'w:footnoteReference', attributes: { custom: { key: 'w:customMarkFollows', value: '1' }, id: { key: 'w:id', value: id } } });
  return new TextRun({ style: 'FootnoteReference', children: [reference, String(n)] });
}

/** Word wants revision times without fractions, in UTC. */
function revisionDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '1970-01-01T00:00:00Z' : `${date.toISOString().slice(0, 19)}Z`;
}

function revisionOf(change: PlannedChange, context: WriteContext) {
  const { authorName, created } = change.entry.annotation;
  return { id: context.nextRevision(), author: xmlChars(authorName), date: revisionDate(created) };
}

function commentStarts(ids: readonly number[]): ParagraphChild[] {
  return ids.map((id) => new CommentRangeStart(id));
}

function commentEnds(ids: readonly number[]): ParagraphChild[] {
  return ids.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]);
}

/**
 * One block as a Word paragraph. Comment ranges start where the comment's range starts and end
 * where it ends (a range over several paragraphs starts in the first and ends in the last). A
 * tracked change turns the text it covers into deleted runs and inserts the correction where it
 * ends; when it runs on into the next paragraph, this paragraph's mark is deleted too, so
 * accepting the change joins the paragraphs as deleting the passage would.
 */
function blockParagraph(block: ChapterBlock, marks: readonly MarkRange<ReviewMark>[], context: WriteContext, lead: ParagraphChild[] = []): Paragraph {
  const children: ParagraphChild[] = [...lead];
  const referenced = context.referenced;
  let active: PlannedChange | null = null;
  let markDeletedBy: PlannedChange | null = null;
  for (const step of markedSteps(block, marks)) {
    if (step.kind === 'open' || step.kind === 'close') {
      const { mark } = step;
      const value = mark.value;
      if (value.type === 'comment') {
        if (step.kind === 'open' && mark.start >= block.start) children.push(...commentStarts(value.ids));
        if (step.kind === 'close' && mark.end <= block.end) children.push(...commentEnds(value.ids));
      } else if (step.kind === 'open') {
        active = value.change;
      } else {
        active = null;
        if (mark.end > block.end) markDeletedBy = value.change;
        else if (value.change.correction !== '') children.push(new InsertedTextRun({ text: xmlChars(value.change.correction), ...revisionOf(value.change, context) }));
      }
      continue;
    }
    const piece = step.piece;
    if (piece.kind === 'text') {
      const text = xmlChars(piece.text);
      const italics = piece.em ? { italics: true } : {};
      children.push(active ? new DeletedTextRun({ text, ...italics, ...revisionOf(active, context) }) : new TextRun({ text, ...italics }));
    } else if (piece.kind === 'footnote-ref') {
      children.push(footnoteReference(piece.n, context.footnotes, referenced));
    }
  }
  const run = markDeletedBy ? { deletion: revisionOf(markDeletedBy, context) } : undefined;
  if (block.type === 'heading') {
    return new Paragraph({ children, heading: block.level === 1 ? HeadingLevel.TITLE : HeadingLevel.HEADING_1, ...(run ? { run } : {}) });
  }
  return new Paragraph({ children, ...(run ? { run } : {}), ...(block.type === 'paragraph' ? { alignment: AlignmentType.JUSTIFIED } : {}) });
}

/** The review marks, in the order markedSteps needs: by start, longer first, a change's comment around the change. */
function reviewMarks(comments: readonly { comment: PlannedComment; ids: number[] }[], changes: readonly PlannedChange[]): MarkRange<ReviewMark>[] {
  const marks: (MarkRange<ReviewMark> & { rank: number })[] = [
    ...comments.map(({ comment, ids }) => ({ start: comment.start, end: comment.end, value: { type: 'comment' as const, ids }, rank: 0 })),
    ...changes.map((change) => ({ start: change.start, end: change.end, value: { type: 'change' as const, change }, rank: 1 })),
  ];
  return marks.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
}

/**
 * Exports a room as a Word document (.docx bytes) for the translator: the chapter as it reads
 * now (title, headings, paragraphs; footnotes as Word footnotes numbered as in the book), every
 * open or accepted problem with a proposed correction as a tracked change by its author, and
 * every other selected annotation as a comment on its passage with its thread as replies.
 * Revision tracking is switched on, so the translator's own edits are tracked as well.
 */
export async function exportDocx(snapshot: RoomSnapshot, options: DocxExportOptions): Promise<Uint8Array> {
  const { blocks } = readExportChapter(snapshot);
  const notePlan = planFootnotes(blocks);
  const plan = planReview(snapshot, blocks, notePlan, options.selection ?? DEFAULT_SELECTION);
  // Footnotes, comments and revisions take ids from one sequence (footnotes 1…n first): OOXML
  // 17.13.4 wants comment and revision ids distinct, and LibreOffice 7.4 gives a footnote the
  // text of another when a comment's id equals a footnote's.
  let lastId = notePlan.ids.size;
  const definitions: ICommentOptions[] = [];
  const numbered = plan.comments.map((comment) => {
    const own = commentDefinitions(comment, lastId + 1);
    definitions.push(...own);
    lastId += own.length;
    return { comment, ids: own.map((c) => c.id) };
  });
  const marks = reviewMarks(numbered, plan.changes);
  let revision = lastId;
  const context: WriteContext = { footnotes: notePlan, referenced: new Set(), nextRevision: () => ++revision };
  const marksIn = (block: ChapterBlock) => marks.filter((m) => m.start < block.end && m.end > block.start);
  const body = blocks.filter((b) => b.type !== 'footnote').map((block) => blockParagraph(block, marksIn(block), context));
  const footnotes = Object.fromEntries(
    [...notePlan.ids].map(([n, id]) => {
      const note = notePlan.notes.get(n)!;
      return [String(id), { children: [blockParagraph(note, marksIn(note), context)] }];
    }),
  );
  // Never drop text: a note Word cannot attach to a marker follows the body, labelled.
  for (const note of notePlan.unreferenced) {
    body.push(blockParagraph(note, marksIn(note), context, [new TextRun({ text: `Footnote ${note.n} (no marker in the text): `, bold: true })]));
  }
  const document = new Document({
    title: xmlChars(snapshot.room.title),
    creator: 'Apparatus',
    description: xmlChars(`Review of room ${snapshot.room.id}, exported ${options.exportedAt}`),
    features: { trackRevisions: true },
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 } } } },
    comments: { children: definitions },
    footnotes,
    sections: [{ children: body }],
  });
  return applyFootnoteNumbering(new Uint8Array(await Packer.toArrayBuffer(document)), notePlan);
}
