import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import { docNameOf } from './doc-names.ts';
import type { RoomStats } from './room-stats.ts';

/** How long a deletion waits for what the room's last writers sent to be stored. */
const STORE_WAIT_MS = 8000;

/**
 * Deletes a room (a chapter) and everything of it: its open sockets are closed (4403), what
 * they had sent is stored first (so nothing is written for the room afterwards), its documents
 * leave memory without a final write, and then, in one transaction, its stored documents (blind
 * rounds' layers included),
 * invites, room sessions, grants, per-chapter roles, figures and the room itself go. Until the
 * rows are gone nobody can open the room again. Refused, deleting nothing, while the store fails.
 */
export async function deleteRoom(stores: ServerStores, collab: CollabServer, roomStats: RoomStats, room: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const evicted = await collab.registry.evictRoom(room, COLLAB_CLOSE.forbidden, 'chapter deleted', () => collab.queue.drain(Date.now() + STORE_WAIT_MS));
  if (!evicted) {
    collab.registry.endEviction(room);
    return { ok: false, error: 'The server cannot store changes right now, so the chapter was not deleted. Try again in a minute.' };
  }
  try {
    roomStats.forget(room);
    await stores.transaction(async (tx) => {
      await tx.updates.deleteDoc(docNameOf(room, 'text'));
      await tx.updates.deleteDoc(docNameOf(room, 'annotations'));
      await tx.rounds.deleteLayersOfRoom(tx.updates, room);
      await tx.sessions.deleteForRoom(room);
      await tx.grants.deleteOfRoom(room);
      await tx.seminars.deleteChapterRolesOfRoom(room);
      await tx.roomStats.delete(room);
      await tx.invites.deleteForRoom(room);
      await tx.rooms.delete(room);
    });
    return { ok: true };
  } finally {
    collab.registry.endEviction(room);
  }
}
