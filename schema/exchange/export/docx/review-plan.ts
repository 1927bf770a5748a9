import type { ChapterBlock } from '../chapter-pieces.ts';
import { selectAnnotations } from '../export-selection.ts';
import type { ExportSelection } from '../export-selection.ts';
import type { RoomSnapshot, SnapshotAnnotation } from '../snapshot.ts';
import type { FootnotePlan } from './footnote-numbering.ts';

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

/**
 * Why a comment does not span the annotation's own passage: the passage was deleted (the
 * comment sits on the title) or changed, or it is inside a footnote (the comment sits on the
 * word before the note's marker).
 */
export type Displacement = { kind: 'orphaned' } | { kind: 'degraded' } | { kind: 'in-note'; n: number; passage: string };

/** A comment spanning [start, end). */
export interface PlannedComment {
  entry: SnapshotAnnotation;
  start: number;
  end: number;
  displaced: Displacement | null;
  /** The comment accompanies a tracked change (it carries the problem's note and thread). */
  withChange: boolean;
}

/** The whole plan, each list in the order of the text. */
export interface ReviewPlan {
  changes: PlannedChange[];
  comments: PlannedComment[];
}

/** Decides, for the chapter's blocks, where in Word a range can be marked. */
class Areas {
  constructor(
    private readonly blocks: readonly ChapterBlock[],
    private readonly notes: FootnotePlan,
  ) {}

  blockAt(offset: number): ChapterBlock | undefined {
    return this.blocks.find((b) => offset >= b.start && offset <= b.end);
  }

  /** The note a block is in Word (a footnote referred to from the body), or null when the block is in the body. */
  noteOf(block: ChapterBlock): number | null {
    if (block.type !== 'footnote') return null;
    return this.notes.ids.has(block.n!) && this.notes.notes.get(block.n!) === block ? block.n : null;
  }

  /** Which stretch of the document a block is in: the body, or one footnote (Word keeps each note apart). */
  areaOf(block: ChapterBlock): string {
    const n = this.noteOf(block);
    return n === null ? 'body' : `note-${n}`;
  }

  /** The end of the area that `block` is in, up to `limit`. */
  areaEnd(block: ChapterBlock, limit: number): number {
    const area = this.areaOf(block);
    return this.blocks.filter((b) => this.areaOf(b) === area && b.start <= limit).at(-1)!.end;
  }

  /**
   * Where a comment about a footnote's words goes: the word before the note's first marker in
   * the body (or after it, at a paragraph's start). LibreOffice refuses to open a document with
   * a comment inside a footnote, so the comment says which words of the note it means.
   */
  markerAnchor(n: number): { start: number; end: number } {
    for (const block of this.blocks) {
      if (block.type === 'footnote') continue;
      const marker = block.pieces.find((p) => p.kind === 'footnote-ref' && p.n === n);
      if (!marker || marker.kind !== 'footnote-ref') continue;
      const text = block.text;
      const at = marker.at - block.start;
      const before = /\S+\s*$/.exec(text.slice(0, at));
      if (before) return { start: block.start + before.index, end: block.start + at };
      const after = /^\s*\S+/.exec(text.slice(at));
      return { start: marker.at, end: marker.at + (after?.[0].length ?? 0) };
    }
    throw new RangeError(`footnote ${n} has no marker in the body`);
  }
}

/**
 * Whether a problem's correction can be a tracked change: it is open or accepted, proposes a
 * correction, is anchored on exactly its quote (so the deletion removes precisely the words it
 * was made on) within one area, and meets no change already planned (Word cannot delete the
 * same words twice).
 */
function asChange(entry: SnapshotAnnotation, text: string, areas: Areas, taken: readonly PlannedChange[]): PlannedChange | null {
  const { annotation: a, resolved } = entry;
  if (a.kind !== 'problem' || a.correction === null || (a.status !== 'open' && a.status !== 'resolved')) return null;
  if ((resolved.state !== 'anchored' && resolved.state !== 'relocated') || resolved.start === null || resolved.end === null) return null;
  const { start, end } = resolved;
  if (start >= end || text.slice(start, end) !== a.anchor.quote.exact) return null;
  const first = areas.blockAt(start);
  const last = areas.blockAt(end);
  if (!first || !last || areas.areaOf(first) !== areas.areaOf(last)) return null;
  if (taken.some((change) => change.start < end && start < change.end)) return null;
  return { entry, start, end, correction: a.correction };
}

/** Where a comment goes: its passage cut to the area it starts in, the marker of its note, or the title when the passage is gone. */
function commentPlace(entry: SnapshotAnnotation, text: string, areas: Areas, blocks: readonly ChapterBlock[]): Pick<PlannedComment, 'start' | 'end' | 'displaced'> {
  const { resolved } = entry;
  const first = resolved.start !== null ? areas.blockAt(resolved.start) : undefined;
  if (resolved.start === null || resolved.end === null || resolved.start >= resolved.end || !first) {
    const title = blocks.find((b) => b.start < b.end) ?? blocks[0]!;
    return { start: title.start, end: title.end, displaced: { kind: 'orphaned' } };
  }
  const end = Math.min(resolved.end, areas.areaEnd(first, resolved.end));
  const n = areas.noteOf(first);
  if (n !== null) return { ...areas.markerAnchor(n), displaced: { kind: 'in-note', n, passage: text.slice(resolved.start, end) } };
  return { start: resolved.start, end, displaced: resolved.state === 'degraded' ? { kind: 'degraded' } : null };
}

/**
 * Plans the Word review of a room: the selected annotations in reading order; problems whose
 * correction can be tracked become changes (with a comment too when they have a note or
 * replies), everything else a comment.
 */
export function planReview(snapshot: RoomSnapshot, blocks: readonly ChapterBlock[], notes: FootnotePlan, selection: ExportSelection): ReviewPlan {
  const changes: PlannedChange[] = [];
  const comments: PlannedComment[] = [];
  const text = snapshot.projection.text;
  const areas = new Areas(blocks, notes);
  for (const entry of selectAnnotations(snapshot.annotations, selection)) {
    const change = asChange(entry, text, areas, changes);
    if (change) changes.push(change);
    if (change && entry.annotation.note.trim() === '' && entry.replies.length === 0) continue;
    comments.push({ entry, ...commentPlace(entry, text, areas, blocks), withChange: change !== null });
  }
  const byStart = (x: { start: number; end: number }, y: { start: number; end: number }) => x.start - y.start || y.end - x.end;
  return { changes: changes.sort(byStart), comments: comments.sort(byStart) };
}
