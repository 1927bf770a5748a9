import type * as Y from 'yjs';
import { annotationsMap, LayoutUpgradeOrigin, needsLayoutUpgrade, upgradeAnnotationRecords } from '../../schema/index.ts';
import type { Logger } from '../logger.ts';
import type { CollabDoc } from './collab-doc.ts';
import type { CommitQueue } from './commit-queue.ts';

/** Records converted per turn of the event loop (a room of 50,000 layout-1 records converts in 100 turns). */
const SLICE = 500;

/**
 * Converts a loaded annotation document to the compact layout 2 (schema/README.md, "Layout 2"):
 * every layout-1 record once when the room loads, and afterwards each record an accepted update
 * leaves in layout 1 (an old page, or a page replaying its offline cache). A conversion is a
 * server write: made on the live document (`CollabDoc.change`) and handed to the commit queue,
 * which stores it like any update (so a room converts once, durably) and relays it. Records are
 * converted a slice per turn, so a large room never holds the event loop long; a record written
 * again before its turn is simply converted as it then is. A room served read-only (damaged) is
 * never written.
 */
export class LayoutUpgrades {
  readonly #pending = new Map<CollabDoc, Set<string>>();
  readonly #origin = new LayoutUpgradeOrigin();
  #scheduled = false;

  constructor(
    private readonly queue: CommitQueue,
    private readonly log: Logger,
  ) {}

  /** Starts converting a document that became ready: its layout-1 records now, later ones as they arrive. */
  watch(doc: CollabDoc): void {
    if (doc.kind !== 'annotations' || doc.state !== 'ready') return;
    const ydoc = doc.ydoc;
    const map = annotationsMap(ydoc);
    const stale = [...map.keys()].filter((id) => needsLayoutUpgrade(map.get(id)));
    if (stale.length > 0) this.log.info('doc.layout-upgrade', { doc: doc.name, records: stale.length });
    this.#add(doc, stale);
    const onTransaction = (transaction: Y.Transaction) => {
      if ((transaction.origin as { kind?: string } | null)?.kind !== 'client') return;
      this.#add(doc, touchedLayoutOne(transaction, map));
    };
    ydoc.on('afterTransaction', onTransaction);
    ydoc.once('destroy', () => ydoc.off('afterTransaction', onTransaction));
  }

  #add(doc: CollabDoc, ids: Iterable<string>): void {
    let pending = this.#pending.get(doc);
    for (const id of ids) {
      if (!pending) this.#pending.set(doc, (pending = new Set()));
      pending.add(id);
    }
    if (pending && pending.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the batch that brought the records is stored and relayed: a conversion follows it.
    setImmediate(() => {
      this.#scheduled = false;
      this.#convertSlice();
    });
  }

  #convertSlice(): void {
    for (const [doc, pending] of this.#pending) {
      const slice = [...pending].slice(0, SLICE);
      for (const id of slice) pending.delete(id);
      if (pending.size === 0) this.#pending.delete(doc);
      if (doc.state !== 'ready' || doc.readOnlyReason !== null) {
        this.#pending.delete(doc);
        continue;
      }
      try {
        const update = doc.change((ydoc) => void upgradeAnnotationRecords(ydoc, this.#origin, slice), this.#origin);
        if (update) this.queue.enqueue({ doc, update, sender: null, applied: false, integrated: true });
      } catch (error) {
        // The records stay as they are, readable in layout 1; the next load tries again.
        this.log.error('doc.layout-upgrade-failed', { doc: doc.name, error });
        this.#pending.delete(doc);
      }
    }
    if (this.#pending.size > 0) this.#schedule();
  }
}

/** The annotation records a transaction touched that need converting. */
function touchedLayoutOne(transaction: Y.Transaction, map: Y.Map<Y.Map<unknown>>): string[] {
  const ids = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if ((type as unknown) === map) for (const key of keys) if (key !== null) ids.add(key);
    const item = (type as Y.AbstractType<unknown>)._item;
    if (item && (item.parent as unknown) === map && item.parentSub) ids.add(item.parentSub);
  }
  return [...ids].filter((id) => needsLayoutUpgrade(map.get(id)));
}
