import { existsSync, readFileSync } from 'node:fs';
import { ROLES } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import { deriveToken, hashToken } from '../auth/tokens.ts';
import { createRoom } from './create-room.ts';
import type { RoleInvites, RoomStores } from './create-room.ts';

/** The default room after start-up: its invite tokens (re-derivable) and which are revoked. */
export interface DefaultRoomInvites {
  room: string;
  invites: RoleInvites;
  revokedRoles: Role[];
  /** Whether this start created the room. */
  created: boolean;
}

/**
 * Derives the default room's invite tokens from the server secret: HMAC(secret,
 * `invite|<room>|<role>|<generation>`). Only their hashes are stored; deriving them again is
 * how the server can print the same links on every start.
 */
export function deriveRoomInvites(secret: Buffer, room: string, generation: number): RoleInvites {
  return Object.fromEntries(ROLES.map((role) => [role, deriveToken(secret, `invite|${room}|${role}|${generation}`)])) as RoleInvites;
}

/**
 * Creates the default room from its chapter file on first start; on later starts re-derives its
 * invite tokens and makes sure they are stored (hashed). Returns an error message when the file is missing or the importer rejects it.
 */
export async function ensureDefaultRoom(
  stores: RoomStores,
  secret: Buffer,
  room: { id: string; chapterFile: string },
): Promise<{ ok: true; value: DefaultRoomInvites } | { ok: false; error: string }> {
  const existing = await stores.rooms.get(room.id);
  if (existing) {
    const invites = deriveRoomInvites(secret, room.id, existing.inviteGeneration);
    // Re-insert (or ignore) so the printed links work even after the secret file was replaced;
    // a revoked invite keeps its row and stays revoked.
    const now = Date.now();
    for (const role of ROLES) {
      await stores.invites.insert({ tokenHash: hashToken(invites[role]), room: room.id, role, createdAt: now, expiresAt: null, label: `${role} (derived)` });
    }
    const revokedRoles: Role[] = [];
    for (const role of ROLES) if ((await stores.invites.findByHash(hashToken(invites[role])))?.revoked !== false) revokedRoles.push(role);
    return { ok: true, value: { room: room.id, invites, revokedRoles, created: false } };
  }
  if (!existsSync(room.chapterFile)) return { ok: false, error: `chapter file ${room.chapterFile} not found` };
  const text = readFileSync(room.chapterFile, 'utf8');
  const created = await createRoom(stores, { id: room.id, text }, deriveRoomInvites(secret, room.id, 1));
  // Several processes starting together: one made the room first; the others take it as it is.
  if (!created.ok && created.error.kind === 'exists') return ensureDefaultRoom(stores, secret, room);
  if (!created.ok) return { ok: false, error: created.error.message };
  return { ok: true, value: { room: room.id, invites: created.value.invites, revokedRoles: [], created: true } };
}
