import * as Y from 'yjs';
import { importChapter, isRoomId, ROLES, ROOM_ID_PATTERN } from '../../schema/index.ts';
import type { ChapterJSON, Role } from '../../schema/index.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { AppDatabase } from '../persistence/database.ts';
import type { InviteStore } from '../persistence/invite-store.ts';
import type { RoomStore } from '../persistence/room-store.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { encodeChapterSeed, SEED_ORIGIN } from './chapter-seed.ts';
import { docNameOf } from './doc-names.ts';

/** One invite token per role. */
export type RoleInvites = Record<Role, string>;

/** What creating a room needs: the database and its stores. */
export interface RoomStores {
  db: AppDatabase;
  rooms: RoomStore;
  invites: InviteStore;
  updates: UpdateStore;
}

/** A request to create a room: untrusted values, validated by createRoom. */
export interface CreateRoomInput {
  id: unknown;
  title?: unknown;
  text: unknown;
}

/** A created room and its invite tokens (shown once; stored hashed). */
export interface CreatedRoom {
  id: string;
  title: string;
  invites: RoleInvites;
}

/** Why a room was not created; `kind` maps to an HTTP status. */
export interface CreateRoomError {
  kind: 'invalid' | 'exists' | 'rejected-chapter';
  message: string;
}

/** The longest room title accepted, in characters. */
export const MAX_ROOM_TITLE_LENGTH = 200;

/** Returns a fresh random invite token per role. */
export function randomInvites(): RoleInvites {
  return Object.fromEntries(ROLES.map((role) => [role, generateToken()])) as RoleInvites;
}

/** Validates the id and title of a creation request, or says what is wrong. */
function validateInput(input: CreateRoomInput): { ok: true; id: string; title: string | null; text: string } | { ok: false; error: CreateRoomError } {
  if (!isRoomId(input.id)) return { ok: false, error: { kind: 'invalid', message: `id must match ${ROOM_ID_PATTERN}` } };
  if (typeof input.text !== 'string') return { ok: false, error: { kind: 'invalid', message: 'text must be a string' } };
  const title = input.title === undefined || input.title === null ? null : input.title;
  if (title !== null && (typeof title !== 'string' || [...title.trim()].length > MAX_ROOM_TITLE_LENGTH)) {
    return { ok: false, error: { kind: 'invalid', message: `title must be a string of at most ${MAX_ROOM_TITLE_LENGTH} characters` } };
  }
  return { ok: true, id: input.id, title: title === null || title.trim() === '' ? null : title.trim(), text: input.text };
}

/** Where a new room goes: its id and title, and its seminar and place there (none: reached by its invites). */
export interface NewRoomPlace {
  id: string;
  title: string;
  seminarId?: string | null;
  position?: number;
}

/**
 * Stores a new room in one transaction: the room, its invites (hashed; none for a seminar's
 * chapter, whose members get in through the seminar) and its text document seeded with the
 * chapter. Throws a RangeError if the chapter does not fit the schema, and on storage errors
 * (nothing is left behind either way).
 */
export function storeNewRoom(stores: RoomStores, place: NewRoomPlace, chapter: ChapterJSON, invites: RoleInvites | null, now = Date.now()): void {
  const seed = encodeChapterSeed(chapter);
  stores.db.transaction(() => {
    stores.rooms.insert({ id: place.id, title: place.title, createdAt: now, inviteGeneration: 1, seminarId: place.seminarId ?? null, position: place.position ?? 0 });
    for (const role of invites ? ROLES : []) {
      stores.invites.insert({ tokenHash: hashToken(invites![role]), room: place.id, role, createdAt: now, expiresAt: null, label: `${role} (initial)` });
    }
    const seedDoc = new Y.Doc();
    Y.applyUpdate(seedDoc, seed, SEED_ORIGIN);
    stores.updates.replaceLogWithSnapshot(docNameOf(place.id, 'text'), seed, Y.encodeStateVector(seedDoc), 0);
    seedDoc.destroy();
  })();
}

/**
 * Creates a room from chapter text: validates the id, runs the importer, seeds the text
 * document, and stores the room, its four invites (hashed) and the seed in one transaction, so
 * a rejected chapter or a storage error leaves nothing behind. `invites` defaults to random
 * tokens; the default room passes tokens derived from the server secret.
 */
export function createRoom(
  stores: RoomStores,
  input: CreateRoomInput,
  invites: RoleInvites = randomInvites(),
): { ok: true; value: CreatedRoom } | { ok: false; error: CreateRoomError } {
  const valid = validateInput(input);
  if (!valid.ok) return valid;
  if (stores.rooms.get(valid.id)) return { ok: false, error: { kind: 'exists', message: `room "${valid.id}" already exists` } };
  const imported = importChapter(valid.text);
  if (!imported.ok) return { ok: false, error: { kind: 'rejected-chapter', message: imported.error } };
  const title = valid.title ?? imported.title;
  storeNewRoom(stores, { id: valid.id, title }, imported.doc, invites);
  return { ok: true, value: { id: valid.id, title, invites } };
}
