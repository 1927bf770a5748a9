import type { IncomingMessage } from 'node:http';
import { attributeToPeople, can, snapshotAuthorIds } from '../../schema/index.ts';
import type { RoomSnapshot } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import { holdRoomDocs, snapshotRoom } from './export-import-docs.ts';
import type { HttpContext } from './http-context.ts';
import { identifyForRoom } from './request-auth.ts';

/**
 * What the export routes and the IRIs that answer with room data share: who may read a room's
 * apparatus (any role with `export`, by Bearer token or session cookie), and reading the room
 * once for a response.
 */

/** A caller allowed to read the room, or the status and message that refuse the request. */
export type ExportAccess = { ok: true; caller: Session; title: string } | { ok: false; status: 401 | 403 | 404; error: string };

/** Checks the caller's credentials and role for reading `room`'s apparatus, and that the room exists. */
export async function authorizeExport(request: IncomingMessage, context: HttpContext, room: string): Promise<ExportAccess> {
  const caller = await identifyForRoom(request, context.identity, room);
  if (!caller.ok) return caller;
  if (!can(caller.value.role, 'export')) return { ok: false, status: 403, error: `role ${caller.value.role} may not export` };
  const record = await context.rooms.rooms.get(room);
  if (!record) return { ok: false, status: 404, error: `no room "${room}"` };
  return { ok: true, caller: caller.value, title: record.title };
}

/**
 * Reads a room's snapshot, holding its documents only while it reads, with authorship read as
 * people (docs/accounts-and-seminars.md). Logs entries left out as malformed, where an operator
 * will look.
 */
export async function readRoomForExport(context: HttpContext, room: string, title: string): Promise<{ ok: true; snapshot: RoomSnapshot } | { ok: false; error: string }> {
  const held = await holdRoomDocs(context.collab, room);
  if (!held.ok) return held;
  let snapshot: RoomSnapshot;
  try {
    const read = snapshotRoom({ id: room, title }, held.value.text.ydoc, held.value.annotations.ydoc);
    // One person, one author: guest identities that became part of an account read as the account.
    snapshot = attributeToPeople(read, await context.identity.people.linkedAuthors(snapshotAuthorIds(read)));
  } finally {
    held.value.release();
  }
  if (snapshot.skipped > 0) context.log.warn('room.export-skipped-malformed', { room, skipped: snapshot.skipped });
  return { ok: true, snapshot };
}
