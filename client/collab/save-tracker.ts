import * as Y from 'yjs';

/**
 * One local change not yet confirmed as durably stored by the server. A change that adds
 * content advances the writer's clock, so it is stored once the server's stored state
 * vector reaches `clock`. A change that only deletes (say, removing an annotation) does not
 * advance any clock: it counts as stored at the first acknowledgement that follows its
 * transmission.
 */
export interface PendingChange {
  client: number;
  clock: number;
  deleteOnly: boolean;
  /** Whether the change has gone out on a live connection. */
  transmitted: boolean;
}

/** What a reload reads back where the list of pending changes is kept, or that it could not read it. */
export type StoredPendingList = { readable: true; value: unknown } | { readable: false };

function isPendingChange(value: unknown): value is Omit<PendingChange, 'transmitted'> {
  const v = value as PendingChange;
  return typeof v === 'object' && v !== null && Number.isInteger(v.client) && Number.isInteger(v.clock) && typeof v.deleteOnly === 'boolean';
}

/**
 * The changes still pending after a reload, from the list the last page kept (a JSON string,
 * absent when nothing was ever pending). That list is what "Saved" rests on, so a list that
 * cannot be read (storage error, not JSON, a malformed entry) is never taken as "nothing
 * pending": then everything the restored document holds counts as unconfirmed, plus one
 * deletion, until an acknowledgement from the server covers it all.
 */
export function restoredPending(stored: StoredPendingList, ydoc: Y.Doc): Omit<PendingChange, 'transmitted'>[] {
  if (stored.readable && stored.value === undefined) return [];
  if (stored.readable && typeof stored.value === 'string') {
    try {
      const parsed = JSON.parse(stored.value) as unknown;
      if (Array.isArray(parsed) && parsed.every(isPendingChange)) return parsed.map(({ client, clock, deleteOnly }) => ({ client, clock, deleteOnly }));
    } catch {
      // Unreadable: fall through to the safe answer.
    }
  }
  const held = [...Y.decodeStateVector(Y.encodeStateVector(ydoc))].map(([client, clock]) => ({ client, clock, deleteOnly: false }));
  return [...held, { client: ydoc.clientID, clock: 0, deleteOnly: true }];
}

/** Whether a transaction came from this browser rather than the server or IndexedDB. */
function isLocalWrite(transaction: Y.Transaction): boolean {
  // Remote updates and IndexedDB restores come through Y.applyUpdate, which marks them non-local.
  return transaction.local;
}

/**
 * Tracks which local changes of one Yjs document the server has durably stored, from the
 * server's "stored" acknowledgements (a state vector). It never guesses: a change counts as
 * saved only when an acknowledgement covers it.
 */
export class SaveTracker {
  private pending: PendingChange[] = [];
  private connected = false;
  private readonly listeners = new Set<() => void>();
  private readonly onAfterTransaction = (transaction: Y.Transaction): void => this.recordTransaction(transaction);

  /** Starts tracking `ydoc`, seeded with changes still pending from an earlier page load. */
  constructor(
    private readonly ydoc: Y.Doc,
    restored: readonly Omit<PendingChange, 'transmitted'>[] = [],
  ) {
    this.pending = restored.map((change) => ({ ...change, transmitted: false }));
    ydoc.on('afterTransaction', this.onAfterTransaction);
  }

  /** The number of local changes the server has not yet confirmed as stored. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** A copy of the pending changes, for persisting across a reload. */
  snapshot(): PendingChange[] {
    return this.pending.map((change) => ({ ...change }));
  }

  /** Registers a listener called whenever the pending count may have changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Notes that the connection opened or closed; on open, everything pending is resent by sync. */
  setConnected(connected: boolean): void {
    this.connected = connected;
    if (connected) for (const change of this.pending) change.transmitted = true;
  }

  /** Applies a "stored" acknowledgement: drops every change that `storedStateVector` covers. */
  acknowledge(storedStateVector: Map<number, number>): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((change) => {
      if (change.deleteOnly) return !change.transmitted;
      return (storedStateVector.get(change.client) ?? 0) < change.clock;
    });
    if (this.pending.length !== before) this.emit();
  }

  /** Stops tracking. */
  destroy(): void {
    this.ydoc.off('afterTransaction', this.onAfterTransaction);
    this.listeners.clear();
  }

  private recordTransaction(transaction: Y.Transaction): void {
    if (!isLocalWrite(transaction)) return;
    const client = this.ydoc.clientID;
    const clockBefore = transaction.beforeState.get(client) ?? 0;
    const clockAfter = transaction.afterState.get(client) ?? 0;
    const deleted = transaction.deleteSet.clients.size > 0;
    if (clockAfter === clockBefore && !deleted) return;
    this.pending.push({ client, clock: clockAfter, deleteOnly: clockAfter === clockBefore, transmitted: this.connected });
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
