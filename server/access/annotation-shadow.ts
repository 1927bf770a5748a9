import * as Y from 'yjs';
import { annotationsMap, dismissedMap, repliesMap } from '../../schema/index.ts';

/**
 * The server's view of an annotation document for access checks: the live document plus the
 * updates already accepted but not yet stored and applied (the commit queue stores first, then
 * applies, so two updates arriving in one turn would otherwise not see each other).
 *
 * A shadow is a second Y.Doc that follows the live one (every live update is applied to it;
 * duplicates are no-ops in Yjs) and receives accepted updates at once. It is never written
 * otherwise, and it dies with the live document.
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
}

const shadows = new WeakMap<Y.Doc, AnnotationShadow>();

/** Records who created the entries of a loaded document, by the client id of each entry item. */
function learnClientOwners(doc: Y.Doc): Map<number, string> {
  const owners = new Map<number, string>();
  const learn = (ymap: Y.Map<unknown>, ownerField: string) => {
    for (const [key, value] of ymap.entries()) {
      const item = ymap._map.get(key);
      const owner = value instanceof Y.Map ? value.get(ownerField) : (value as Record<string, unknown> | null)?.[ownerField];
      if (item && typeof owner === 'string' && !owners.has(item.id.client)) owners.set(item.id.client, owner);
    }
  };
  learn(annotationsMap(doc) as Y.Map<unknown>, 'authorId');
  learn(repliesMap(doc) as Y.Map<unknown>, 'authorId');
  learn(dismissedMap(doc) as Y.Map<unknown>, 'by');
  return owners;
}

/** Returns the shadow of a live annotation document, creating it (a full copy) on first use. */
export function shadowOf(live: Y.Doc): AnnotationShadow {
  const existing = shadows.get(live);
  if (existing) return existing;
  const doc = new Y.Doc({ gc: live.gc });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live), SHADOW_ORIGIN);
  const shadow: AnnotationShadow = { doc, clientOwners: learnClientOwners(doc) };
  const follow = (update: Uint8Array) => Y.applyUpdate(doc, update, SHADOW_ORIGIN);
  live.on('update', follow);
  live.once('destroy', () => {
    live.off('update', follow);
    shadows.delete(live);
    doc.destroy();
  });
  shadows.set(live, shadow);
  return shadow;
}

/** Applies an accepted update to the shadow and records its client ids as the sender's. */
export function acceptIntoShadow(shadow: AnnotationShadow, update: Uint8Array, clients: readonly number[], userId: string): void {
  Y.applyUpdate(shadow.doc, update, SHADOW_ORIGIN);
  for (const client of clients) if (!shadow.clientOwners.has(client)) shadow.clientOwners.set(client, userId);
}

/** Returns a client id of the update that another user already writes under, or null. */
export function foreignClient(shadow: AnnotationShadow, clients: readonly number[], userId: string): number | null {
  for (const client of clients) {
    const owner = shadow.clientOwners.get(client);
    if (owner !== undefined && owner !== userId) return client;
  }
  return null;
}
