import type { ClientClaim } from '../persistence/update-store.ts';
import type { CollabDoc } from './collab-doc.ts';
import type { DecodedUpdate } from './message-parser.ts';

/**
 * Yjs client ids belong to the user who first wrote under them in a document (issue 14, P2).
 * Yjs drops a second writer's structs under an id as duplicates of the first's, so whoever writes
 * under another user's id makes that user's later changes vanish, or be refused. The owner of
 * each id is stored with the first update written under it (`doc_client_owners`), loaded with the
 * document, and so survives reloads, restarts and compaction; an id that only ever edited,
 * resolved or deleted is owned as firmly as one that created entries.
 */

/** The client ids an update writes new clocks for (beyond what the document holds or has accepted). */
function writtenClients(doc: CollabDoc, decoded: DecodedUpdate): Set<number> {
  const clients = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct.id.clock + struct.length > doc.acceptedClock(struct.id.client)) clients.add(struct.id.client);
  }
  return clients;
}

/**
 * Returns a client id the update writes under that belongs to another person, or null. A person
 * is every user id in `identities` (an account and the guest identities it took in).
 */
export function foreignClientOf(doc: CollabDoc, decoded: DecodedUpdate, identities: ReadonlySet<string>): number | null {
  for (const client of writtenClients(doc, decoded)) {
    const owner = doc.clientOwners.get(client);
    if (owner !== undefined && !identities.has(owner)) return client;
  }
  return null;
}

/**
 * Claims for `userId` the ids the update is the first to write under (in memory at once, so that
 * later updates of the same turn see them) and returns the claims to store with the update.
 */
export function claimClients(doc: CollabDoc, decoded: DecodedUpdate, userId: string): ClientClaim[] {
  const claims: ClientClaim[] = [];
  for (const client of writtenClients(doc, decoded)) {
    if (doc.clientOwners.has(client)) continue;
    doc.clientOwners.set(client, userId);
    claims.push({ client, userId });
  }
  return claims;
}
