import type { Logger } from '../logger.ts';
import type { FailedEntry } from './doc-replay.ts';
import type { StoreHealth } from './store-health.ts';
import type { UpdateStore } from './update-store.ts';

/**
 * What the server does about a stored document it found not whole, wherever it read it (the
 * collaboration server loading a room, an export or import reading it in a worker): said loudly
 * in the log and in health, and, for intact entries that do not load (issue 14, P1), moved out
 * of the log into quarantine so that they never take the room with them again.
 */

/** Where findings go. */
export interface DamageSinks {
  log: Logger;
  health?: StoreHealth | undefined;
}

/**
 * Quarantines log entries that did not load (keeping them in `doc_quarantine` for an operator),
 * logs each, and raises the document's quarantine problem. Returns how many were moved; when the
 * store cannot move them they stay, and the caller must not compact over them.
 */
export async function quarantineFailedEntries(store: UpdateStore, docName: string, failed: readonly FailedEntry[], sinks: DamageSinks): Promise<number> {
  if (failed.length === 0) return 0;
  for (const entry of failed) sinks.log.error('store.entry-quarantined', { doc: docName, seq: entry.seq, error: entry.error });
  const message = `${failed.length} stored log entr${failed.length === 1 ? 'y' : 'ies'} did not load and ${failed.length === 1 ? 'was' : 'were'} quarantined (first: ${failed[0]!.error})`;
  sinks.health?.raise(`quarantined:${docName}`, { kind: 'quarantined', doc: docName, message });
  const movable = failed.filter((entry): entry is FailedEntry & { seq: number } => entry.seq !== null);
  try {
    return await store.quarantine(docName, movable.map((entry) => ({ seq: entry.seq, reason: entry.error })));
  } catch (error) {
    sinks.log.error('store.quarantine-failed', { doc: docName, error });
    return 0;
  }
}

/** Logs damage found in a document (P5) and raises its problem; `outcome` says what was done about it. */
export function reportDamage(docName: string, damage: readonly string[], outcome: string, sinks: DamageSinks): void {
  const detail = damage.slice(0, 3).join('; ');
  sinks.log.error('store.damaged', { doc: docName, damage: detail, outcome });
  sinks.health?.raise(`damaged:${docName}`, { kind: 'damaged', doc: docName, message: `stored state damaged (${detail}); ${outcome}` });
}
