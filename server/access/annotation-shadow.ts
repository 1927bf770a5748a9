import * as Y from 'yjs';
import { annotationsMap, dismissedMap, repliesMap, storedAuthorId } from '../../schema/index.ts';

/**
 * The server's view of an annotation document for access checks: the live document plus the
 * updates already accepted but not yet stored and applied (the commit queue stores first, then
 * applies, so two updates arriving in one turn would otherwise not see each other).
 *
 * A shadow is a second Y.Doc that receives every accepted update, as received. Those are all
 * the live document gets from clients; a live transaction the shadow does not already hold (a
 * server-side write, such as an import) is copied over when it ends. It is never written
 * otherwise, and it dies with the live document.
 *
 * Two costs are kept off the path from an update's arrival to its relay (bench: fanout-50):
 * - It does not follow the live document through an `update` listener: with one, Yjs encodes
 *   every transaction applied to the live document for the listener, and the shadow decoded it
 *   again, only to find duplicates (~0.3 ms per annotation).
 * - An accepted update is applied to it lazily: when the next check reads it, or when the live
 *   document applies the update (after storing and relaying it), whichever comes first.
 */

/** The typed origin of every transaction on a shadow document. */
export const SHADOW_ORIGIN = { kind: 'access-shadow' } as const;

/** A shadow document and which user each Yjs client id writes for. */
export interface AnnotationShadow {
  doc: Y.Doc;
  /**
   * Yjs client id → the user whose updates carry it. A client id is claimed by the first user
   * whose accepted update uses it (or, for a loaded document, the author of the entries it
   * created), so no one can write under another user's id and make Yjs drop that user's
   * later changes as duplicates.
   */
  clientOwners: Map<number, string>;
  /** Accepted updates not yet applied to `doc`, in order (see `currentShadowOf`). */
  unapplied: Uint8Array[];
}

const shadows = new WeakMap<Y.Doc, AnnotationShadow>();

/** Records who created the entries of a loaded document, by the client id of each entry item. */
function learnClientOwners(doc: Y.Doc): Map<number, string> {
  const owners = new Map<number, string>();
  const learn = (ymap: Y.Map<unknown>, ownerOf: (value: unknown) => unknown) => {
    for (const [key, value] of ymap.entries()) {
      const item = ymap._map.get(key);
      const owner = ownerOf(value);
      if (item && typeof owner === 'string' && !owners.has(item.id.client)) owners.set(item.id.client, owner);
    }
  };
  learn(annotationsMap(doc) as Y.Map<unknown>, storedAuthorId);
  learn(repliesMap(doc) as Y.Map<unknown>, (value) => (value instanceof Y.Map ? value.get('authorId') : undefined));
  learn(dismissedMap(doc) as Y.Map<unknown>, (value) => (value as Record<string, unknown> | null)?.by);
  return owners;
}

/** Whether the shadow already has every struct a live transaction added and every deletion it made. */
function holdsTransaction(shadow: Y.Doc, transaction: Y.Transaction): boolean {
  for (const [client, clock] of transaction.afterState) {
    if (clock !== (transaction.beforeState.get(client) ?? 0) && Y.getState(shadow.store, client) < clock) return false;
  }
  for (const [client, ranges] of transaction.deleteSet.clients) {
    const structs = shadow.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (!structs || Y.getState(shadow.store, client) < clock + len) return false;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        if (!structs[i]!.deleted) return false;
      }
    }
  }
  return true;
}

/** Applies the accepted updates the shadow has not applied yet. */
function catchUp(shadow: AnnotationShadow): void {
  if (shadow.unapplied.length === 0) return;
  const updates = shadow.unapplied;
  shadow.unapplied = [];
  for (const update of updates) Y.applyUpdate(shadow.doc, update, SHADOW_ORIGIN);
}

/**
 * Returns the shadow of a live annotation document, current (every accepted update applied),
 * creating it (a full copy) on first use.
 */
export function currentShadowOf(live: Y.Doc): AnnotationShadow {
  const existing = shadows.get(live);
  if (existing) {
    catchUp(existing);
    return existing;
  }
  const doc = new Y.Doc({ gc: live.gc });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live), SHADOW_ORIGIN);
  const shadow: AnnotationShadow = { doc, clientOwners: learnClientOwners(doc), unapplied: [] };
  const follow = (transaction: Y.Transaction) => {
    catchUp(shadow);
    if (!holdsTransaction(doc, transaction)) Y.applyUpdate(doc, Y.encodeStateAsUpdate(live, Y.encodeStateVector(doc)), SHADOW_ORIGIN);
  };
  live.on('afterTransaction', follow);
  live.once('destroy', () => {
    live.off('afterTransaction', follow);
    shadows.delete(live);
    doc.destroy();
  });
  shadows.set(live, shadow);
  return shadow;
}

/**
 * Takes an update another server process stored into the shadow of `live` (if it has one), just
 * before `live` applies it: applied lazily with the accepted ones, so that following the live
 * document costs no re-encoding of its state (docs/several-servers.md).
 */
export function followRemoteUpdate(live: Y.Doc, update: Uint8Array): void {
  shadows.get(live)?.unapplied.push(update);
}

/** Takes an accepted update into the shadow (applied lazily) and records its client ids as the sender's. */
export function acceptIntoShadow(shadow: AnnotationShadow, update: Uint8Array, clients: readonly number[], userId: string): void {
  shadow.unapplied.push(update);
  for (const client of clients) if (!shadow.clientOwners.has(client)) shadow.clientOwners.set(client, userId);
}

/**
 * Returns a client id of the update that another person already writes under, or null. A
 * person is every user id in `identities` (an account and the guest identities it took in).
 */
export function foreignClient(shadow: AnnotationShadow, clients: readonly number[], identities: ReadonlySet<string>): number | null {
  for (const client of clients) {
    const owner = shadow.clientOwners.get(client);
    if (owner !== undefined && !identities.has(owner)) return client;
  }
  return null;
}
