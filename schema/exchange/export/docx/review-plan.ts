import type { ChapterBlock } from '../chapter-pieces.ts';
import { selectAnnotations } from '../export-selection.ts';
import type { ExportSelection } from '../export-selection.ts';
import type { RoomSnapshot, SnapshotAnnotation } from '../snapshot.ts';

/**
 * What the Word export makes of each annotation: a tracked change (the translator accepts or
 * rejects the proposed correction) or a comment on the passage (with its thread as replies).
 * Pure decisions on plain data, kept apart from the docx writer so they can be tested alone.
 */

/** A proposed correction as a tracked change: the passage [start, end) deleted, `correction` inserted after it. */
export interface PlannedChange {
  entry: SnapshotAnnotation;
  start: number;
  end: number;
  correction: string;
}

/** A comment spanning [start, end). */
export interface PlannedComment {
  entry: SnapshotAnnotation;
  start: number;
  end: number;
  /** Why the passage is not the annotation's own (it was deleted, or it changed), or null. */
  displaced: 'orphaned' | 'degraded' | null;
  /** The comment accompanies a tracked change (it carries the problem's note and thread). */
  withChange: boolean;
}

/** The whole plan, each list in the order of the text. */
export interface ReviewPlan {
  changes: PlannedChange[];
  comments: PlannedComment[];
}

/** Which stretch of the document a block belongs to: the body, or one footnote (Word keeps each note apart). */
function areaOf(block: ChapterBlock): string {
  return block.type === 'footnote' ? `note-${block.n}` : 'body';
}

function blockAt(blocks: readonly ChapterBlock[], offset: number): ChapterBlock | undefined {
  return blocks.find((b) => offset >= b.start && offset <= b.end);
}

/**
 * Whether a problem's correction can be a tracked change: it is open or accepted, proposes a
 * correction, is anchored on exactly its quote (so the deletion removes precisely the words it
 * was made on) within one area, and meets no change already planned (Word cannot delete the
 * same words twice).
 */
function asChange(entry: SnapshotAnnotation, text: string, blocks: readonly ChapterBlock[], taken: readonly PlannedChange[]): PlannedChange | null {
  const { annotation: a, resolved } = entry;
  if (a.kind !== 'problem' || a.correction === null || (a.status !== 'open' && a.status !== 'resolved')) return null;
  if ((resolved.state !== 'anchored' && resolved.state !== 'relocated') || resolved.start === null || resolved.end === null) return null;
  const { start, end } = resolved;
  if (start >= end || text.slice(start, end) !== a.anchor.quote.exact) return null;
  const first = blockAt(blocks, start);
  const last = blockAt(blocks, end);
  if (!first || !last || areaOf(first) !== areaOf(last)) return null;
  if (taken.some((change) => change.start < end && start < change.end)) return null;
  return { entry, start, end, correction: a.correction };
}

/** Where a comment goes: its passage, cut to the area it starts in, or the title when the passage is gone. */
function commentRange(entry: SnapshotAnnotation, blocks: readonly ChapterBlock[]): Pick<PlannedComment, 'start' | 'end' | 'displaced'> {
  const { resolved } = entry;
  const first = resolved.start !== null ? blockAt(blocks, resolved.start) : undefined;
  if (resolved.start === null || resolved.end === null || resolved.start >= resolved.end || !first) {
    const title = blocks.find((b) => b.start < b.end) ?? blocks[0]!;
    return { start: title.start, end: title.end, displaced: 'orphaned' };
  }
  const area = areaOf(first);
  const areaEnd = blocks.filter((b) => areaOf(b) === area && b.start <= resolved.end!).at(-1)!.end;
  return { start: resolved.start, end: Math.min(resolved.end, areaEnd), displaced: resolved.state === 'degraded' ? 'degraded' : null };
}

/**
 * Plans the Word review of a room: the selected annotations in reading order; problems whose
 * correction can be tracked become changes (with a comment too when they have a note or
 * replies), everything else a comment.
 */
export function planReview(snapshot: RoomSnapshot, blocks: readonly ChapterBlock[], selection: ExportSelection): ReviewPlan {
  const changes: PlannedChange[] = [];
  const comments: PlannedComment[] = [];
  const text = snapshot.projection.text;
  for (const entry of selectAnnotations(snapshot.annotations, selection)) {
    const change = asChange(entry, text, blocks, changes);
    if (change) changes.push(change);
    if (change && entry.annotation.note.trim() === '' && entry.replies.length === 0) continue;
    comments.push(change ? { entry, start: change.start, end: change.end, displaced: null, withChange: true } : { entry, ...commentRange(entry, blocks), withChange: false });
  }
  const byStart = (x: { start: number; end: number }, y: { start: number; end: number }) => x.start - y.start || y.end - x.end;
  return { changes: changes.sort(byStart), comments: comments.sort(byStart) };
}
