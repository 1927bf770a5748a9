import type * as Y from 'yjs';
import { listAnnotations } from '../../schema/index.ts';
import type { CollabDoc } from '../collab/collab-doc.ts';
import type { Logger } from '../logger.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import { liveAnnotationCounts } from './annotation-counts.ts';
import type { RoomStatsRecord, RoomStatsStore } from '../persistence/room-stats-store.ts';
import type { RoomStore } from '../persistence/room-store.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { docNameOf } from './doc-names.ts';

/**
 * What a seminar page shows of each chapter without opening it — how many annotations, how many
 * open problems, when it last changed — kept in `room_stats`. Counted from the live annotation
 * document (incrementally, `annotation-counts.ts`) a moment after its changes are stored (at most one write per room per
 * `debounceMs`, so a busy room costs one small write every few seconds), and from the stored
 * documents for a room nobody has opened since (a DATA_DIR from before seminars, or counts left
 * stale when a room unloaded first).
 */

/** A chapter's figures as the seminar page shows them. */
export interface ChapterFigures {
  annotations: number;
  openProblems: number;
  lastActivityAt: number | null;
}

/** Counts annotations and open problems in an annotation document. */
export function countAnnotations(ydoc: Y.Doc): { annotations: number; openProblems: number } {
  const annotations = listAnnotations(ydoc);
  return { annotations: annotations.length, openProblems: annotations.filter((a) => a.kind === 'problem' && a.status === 'open').length };
}

/** What the stats are kept from. */
export interface RoomStatsOptions {
  stats: RoomStatsStore;
  rooms: RoomStore;
  updates: UpdateStore;
  log: Logger;
  /** The live, ready annotation document of a room, if it is loaded. */
  liveAnnotations(room: string): Y.Doc | null;
  debounceMs?: number;
}

/** Keeps the chapter figures of `room_stats` current. */
export class RoomStats {
  readonly #options: RoomStatsOptions;
  readonly #pending = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(options: RoomStatsOptions) {
    this.#options = options;
  }

  /** Called after documents' changes were stored: schedules their rooms' figures. */
  committed(docs: Iterable<CollabDoc>, at = Date.now()): void {
    for (const doc of docs) {
      const pending = this.#pending.get(doc.room);
      if (pending) {
        pending.at = at;
        continue;
      }
      const timer = setTimeout(() => void this.#write(doc.room), this.#options.debounceMs ?? 2000);
      timer.unref();
      this.#pending.set(doc.room, { at, timer });
    }
  }

  /** Writes a room's figures: counted from the live document, or only its activity (stale) if it left memory. */
  async #write(room: string): Promise<void> {
    const pending = this.#pending.get(room);
    this.#pending.delete(room);
    if (!pending) return;
    const { stats, rooms, log } = this.#options;
    try {
      if (!(await rooms.get(room))) return;
      const live = this.#options.liveAnnotations(room);
      if (live) {
        const counts = liveAnnotationCounts(live);
        await stats.putCounts(room, counts.annotations, counts.openProblems, pending.at);
      } else {
        await stats.touch(room, pending.at);
      }
    } catch (error) {
      // Derived figures: the next change or the next reader counts again.
      log.warn('room.stats-failed', { room, error });
    }
  }

  /** Writes every scheduled room's figures now (shutdown, tests). */
  async flush(): Promise<void> {
    for (const [room, pending] of [...this.#pending]) {
      clearTimeout(pending.timer);
      await this.#write(room);
    }
  }

  /** Forgets a room (it is being deleted). */
  forget(room: string): void {
    const pending = this.#pending.get(room);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(room);
  }

  /** A room's figures, counted now from the live or stored documents when missing or stale. */
  async figuresOf(room: string): Promise<ChapterFigures> {
    const stored = await this.#options.stats.get(room);
    if (stored && !stored.stale) return { annotations: stored.annotations, openProblems: stored.openProblems, lastActivityAt: stored.lastActivityAt };
    return this.#recount(room, stored);
  }

  async #recount(room: string, stored: RoomStatsRecord | null): Promise<ChapterFigures> {
    const { stats, updates, log } = this.#options;
    const lastWrite = Math.max((await updates.lastWriteAt(docNameOf(room, 'text'))) ?? 0, (await updates.lastWriteAt(docNameOf(room, 'annotations'))) ?? 0);
    const lastActivityAt = Math.max(stored?.lastActivityAt ?? 0, lastWrite) || null;
    const live = this.#options.liveAnnotations(room);
    let counts = live ? liveAnnotationCounts(live) : null;
    if (!counts) {
      const replayed = replayStoredDoc(await updates.loadDoc(docNameOf(room, 'annotations')));
      if (!replayed.ok) {
        log.warn('room.stats-unreadable', { room, error: replayed.error });
        return { annotations: stored?.annotations ?? 0, openProblems: stored?.openProblems ?? 0, lastActivityAt };
      }
      counts = countAnnotations(replayed.value);
      replayed.value.destroy();
    }
    await stats.putCounts(room, counts.annotations, counts.openProblems, lastActivityAt);
    return { ...counts, lastActivityAt };
  }
}
