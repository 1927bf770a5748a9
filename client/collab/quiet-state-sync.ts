import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import type { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MESSAGE_SYNC } from '../../schema/index.ts';

/** y-protocols' sync step 2: the sender's answer to a state vector (on a first visit, everything). */
const SYNC_STEP2 = 1;
/** y-protocols' sync update: a change, or a piece of a large state sent ahead of the step 2. */
const SYNC_UPDATE = 2;

/**
 * Makes the provider apply the server's sync step 2 and sync updates without the two `update` listeners that
 * would otherwise make Yjs encode everything it applied a second time: the provider's (which
 * ignores updates it applied itself anyway) and the local cache's (which stores the update).
 * The cache is given the bytes the server sent instead, which hold the same state. On a first
 * visit to a large room the step 2 is the whole annotation document (5 MB for 5,000
 * annotations), and the encoding was ~15 % of opening it (bench: browser-open-5000). A large
 * state now comes as sync updates of at most 1 MiB ahead of the step 2
 * (server/collab/state-chunks.ts), so those are applied the same way: the provider ignores an
 * update it applied itself, and the bytes received are what the cache would have stored.
 *
 * Observers of the document still see every change, and the cache still stores every update
 * made or received afterwards. Should an observer write to the document while the step 2 is
 * applied (none does), its own changes are stored as well.
 */
export function applyServerStateQuietly(provider: WebsocketProvider, cache: IndexeddbPersistence | null): void {
  const handleSync = provider.messageHandlers[MESSAGE_SYNC];
  if (!handleSync) throw new RangeError('the provider has no sync message handler');
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, handlingProvider, emitSynced, messageType) => {
    const peek = decoding.clone(decoder);
    const subtype = decoding.readVarUint(peek);
    if (subtype !== SYNC_STEP2 && subtype !== SYNC_UPDATE) return handleSync(encoder, decoder, handlingProvider, emitSynced, messageType);
    const received = decoding.readVarUint8Array(peek);
    const ydoc = provider.doc;
    const ownClockBefore = Y.getState(ydoc.store, ydoc.clientID);
    ydoc.off('update', provider._updateHandler);
    if (cache) ydoc.off('update', cache._storeUpdate);
    try {
      handleSync(encoder, decoder, handlingProvider, emitSynced, messageType);
    } finally {
      ydoc.on('update', provider._updateHandler);
      if (cache) ydoc.on('update', cache._storeUpdate);
    }
    if (!cache) return;
    cache._storeUpdate(received, provider);
    if (Y.getState(ydoc.store, ydoc.clientID) !== ownClockBefore) cache._storeUpdate(ownChangesSince(ydoc, ownClockBefore), provider);
  };
}

/**
 * Resolves once a document is restored from its local cache, without the cache's own `update`
 * listener attached meanwhile: the cache ignores the transaction it restores anyway, but while
 * it listens Yjs encodes everything restored for it (a reload of a large room). Call it right
 * after creating the cache, before anything else can write to the document.
 */
export async function restoreQuietly(cache: IndexeddbPersistence): Promise<void> {
  cache.doc.off('update', cache._storeUpdate);
  await cache.whenSynced;
  if (!cache._destroyed) cache.doc.on('update', cache._storeUpdate);
}

/** This replica's own changes after `clock` (with the document's deletions), as one update. */
function ownChangesSince(ydoc: Y.Doc, clock: number): Uint8Array {
  const known = Y.decodeStateVector(Y.encodeStateVector(ydoc));
  known.set(ydoc.clientID, clock);
  return Y.encodeStateAsUpdate(ydoc, Y.encodeStateVector(known));
}
