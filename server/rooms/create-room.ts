import * as Y from 'yjs';
import { importChapter, isRoomId, ROLES, ROOM_ID_PATTERN } from '../../schema/index.ts';
import type { ChapterJSON, Role } from '../../schema/index.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import { encodeSnapshot } from '../persistence/snapshot-encoding.ts';
import { encodeChapterSeed, SEED_ORIGIN } from './chapter-seed.ts';
import { docNameOf } from './doc-names.ts';

/** One invite token per role. */
export type RoleInvites = Record<Role, string>;

/** What creating a room needs: the stores it writes, in one transaction. */
export type RoomStores = Pick<ServerStores, 'rooms' | 'invites' | 'updates' | 'transaction'>;

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

/** A chapter's text document as one update, and its state vector: plain data, so it crosses to and from a worker thread. */
export interface SeededChapter {
  seed: Uint8Array;
  stateVector: Uint8Array;
}

/**
 * Seeds a text document with a chapter (the costly part of a new room: long chapters take
 * hundreds of milliseconds, so the HTTP API does it in a worker thread, issue 14, P4). Throws a
 * RangeError if the chapter does not fit the schema.
 */
export function seedChapter(chapter: ChapterJSON): SeededChapter {
  const seed = encodeChapterSeed(chapter);
  const seedDoc = new Y.Doc();
  Y.applyUpdate(seedDoc, seed, SEED_ORIGIN);
  const stateVector = Y.encodeStateVector(seedDoc);
  seedDoc.destroy();
  return { seed, stateVector };
}

/**
 * Stores a new room in one transaction: the room, its invites (hashed; none for a seminar's
 * chapter, whose members get in through the seminar) and its text document, seeded already
 * (`seedChapter`). Throws on storage errors (nothing is left behind).
 */
export async function storeSeededRoom(stores: RoomStores, place: NewRoomPlace, seeded: SeededChapter, invites: RoleInvites | null, now = Date.now()): Promise<void> {
  // Compressed before the transaction, so that it holds no lock while brotli runs.
  const encoded = await encodeSnapshot(seeded.seed);
  await stores.transaction(async (tx) => {
    await tx.rooms.insert({ id: place.id, title: place.title, createdAt: now, inviteGeneration: 1, seminarId: place.seminarId ?? null, position: place.position ?? 0 });
    for (const role of invites ? ROLES : []) {
      await tx.invites.insert({ tokenHash: hashToken(invites![role]), room: place.id, role, createdAt: now, expiresAt: null, label: `${role} (initial)` });
    }
    await tx.updates.replaceLogWithSnapshot(docNameOf(place.id, 'text'), seeded.seed, seeded.stateVector, 0, { encoded });
  });
}

/**
 * Stores a new room in one transaction (`storeSeededRoom`), seeding its text document with the
 * chapter first. Throws a RangeError if the chapter does not fit the schema, and on storage
 * errors (nothing is left behind either way).
 */
export function storeNewRoom(stores: RoomStores, place: NewRoomPlace, chapter: ChapterJSON, invites: RoleInvites | null, now = Date.now()): Promise<void> {
  return storeSeededRoom(stores, place, seedChapter(chapter), invites, now);
}

/** A room creation request made ready to store: validated, its chapter imported and seeded. */
export interface PreparedRoom extends SeededChapter {
  id: string;
  title: string;
}

/**
 * Phase 1 of creating a room through the HTTP API, the costly one: validates the request, runs
 * the importer and seeds the text document. Touches no store, so it runs in a worker thread.
 */
export function prepareRoom(input: CreateRoomInput): { ok: true; value: PreparedRoom } | { ok: false; error: CreateRoomError } {
  const valid = validateInput(input);
  if (!valid.ok) return valid;
  const imported = importChapter(valid.text);
  if (!imported.ok) return { ok: false, error: { kind: 'rejected-chapter', message: imported.error } };
  return { ok: true, value: { id: valid.id, title: valid.title ?? imported.title, ...seedChapter(imported.doc) } };
}

/** Phase 2: stores a prepared room with random invites, unless its id is taken meanwhile (checked in the same transaction). */
export async function storePreparedRoom(stores: RoomStores, prepared: PreparedRoom, invites: RoleInvites = randomInvites()): Promise<{ ok: true; value: CreatedRoom } | { ok: false; error: CreateRoomError }> {
  return stores.transaction(async (tx) => {
    if (await tx.rooms.get(prepared.id)) return { ok: false, error: { kind: 'exists', message: `room "${prepared.id}" already exists` } };
    await storeSeededRoom(tx, { id: prepared.id, title: prepared.title }, prepared, invites);
    return { ok: true, value: { id: prepared.id, title: prepared.title, invites } };
  });
}

/**
 * Creates a room from chapter text: validates the id, runs the importer, seeds the text
 * document, and stores the room, its four invites (hashed) and the seed in one transaction, so
 * a rejected chapter or a storage error leaves nothing behind. `invites` defaults to random
 * tokens; the default room passes tokens derived from the server secret.
 */
export async function createRoom(
  stores: RoomStores,
  input: CreateRoomInput,
  invites: RoleInvites = randomInvites(),
): Promise<{ ok: true; value: CreatedRoom } | { ok: false; error: CreateRoomError }> {
  const valid = validateInput(input);
  if (!valid.ok) return valid;
  if (await stores.rooms.get(valid.id)) return { ok: false, error: { kind: 'exists', message: `room "${valid.id}" already exists` } };
  const imported = importChapter(valid.text);
  if (!imported.ok) return { ok: false, error: { kind: 'rejected-chapter', message: imported.error } };
  const title = valid.title ?? imported.title;
  const seeded = seedChapter(imported.doc);
  // Checked again in the transaction: another process may have made the room meanwhile.
  return stores.transaction(async (tx) => {
    if (await tx.rooms.get(valid.id)) return { ok: false, error: { kind: 'exists', message: `room "${valid.id}" already exists` } };
    await storeSeededRoom(tx, { id: valid.id, title }, seeded, invites);
    return { ok: true, value: { id: valid.id, title, invites } };
  });
}
