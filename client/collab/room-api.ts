import { accessEndedMessage } from './access-ended.ts';
import { EXPORT_OPTION_NAMES, isRole } from '../../schema/index.ts';
import type { ExportGroup, ExportOptionName, Role } from '../../schema/index.ts';

/** Who the browser session is in a room, as `GET /api/rooms/<room>/me` reports it. */
export interface RoomMember {
  userId: string;
  role: Role;
  /** The display name, or an empty string when the user has not picked one yet. */
  name: string;
  room: string;
  /**
   * The identity of this incarnation of the room (its creation id). Local caches are keyed
   * by it so that a room deleted and created again never merges an old chapter into a new one.
   */
  roomUid: string | null;
  /**
   * Every user id this person wrote under (their account's and guest identities that became part
   * of it): what carries any of them is their own. At least `userId`.
   */
  identities: string[];
  /** The seminar the chapter belongs to, or null. */
  seminar: { id: string; title: string } | null;
  /** Whether this browser is signed in to an account (not a guest, nor a room invite's session). */
  isAccount: boolean;
}

/** An expected failure talking to the server, with a message fit for the user. */
export interface RoomApiError {
  status: number;
  message: string;
}

/** The outcome of a call at the network edge. */
export type RoomApiResult<T> = { ok: true; value: T } | { ok: false; error: RoomApiError };

function roomPath(room: string): string {
  return `/api/rooms/${encodeURIComponent(room)}`;
}

function explainStatus(status: number): string {
  if (status === 401) return 'This browser is not signed in for this chapter. Sign in, or open the invite link you were given.';
  if (status === 403) return 'You have no access to this chapter (your invite may have been revoked, or you are not a member of its seminar).';
  if (status === 404) return 'There is no such room.';
  return `The server answered ${status}.`;
}

async function readError(response: Response): Promise<RoomApiError> {
  let message = explainStatus(response.status);
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    const detail = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : null;
    if (detail && response.status >= 500) message = `${message} ${detail}`;
    // A revoked or expired credential: say so, rather than send them back to the link that ended.
    if (detail && response.status === 401) message = accessEndedMessage(detail) ?? message;
  } catch {
    // Not JSON: the status explains enough.
  }
  return { status: response.status, message };
}

/** Validates the untrusted `/me` body once, here at the edge. */
function parseMember(body: unknown, room: string): RoomMember | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  if (typeof record.userId !== 'string' || !isRole(record.role)) return null;
  const uid = record.roomUid;
  const identities = Array.isArray(record.identities) ? record.identities.filter((id): id is string => typeof id === 'string') : [];
  const seminar = record.seminar as { id?: unknown; title?: unknown } | null | undefined;
  const person = record.person as { isGuest?: unknown } | null | undefined;
  return {
    userId: record.userId,
    role: record.role,
    name: typeof record.name === 'string' ? record.name : '',
    room: typeof record.room === 'string' ? record.room : room,
    roomUid: typeof uid === 'string' || typeof uid === 'number' ? String(uid) : null,
    identities: identities.includes(record.userId) ? identities : [record.userId, ...identities],
    seminar: seminar && typeof seminar.id === 'string' && typeof seminar.title === 'string' ? { id: seminar.id, title: seminar.title } : null,
    isAccount: person !== null && person !== undefined && person.isGuest === false,
  };
}

/** Asks the server who this browser session is in `room`. */
export async function fetchRoomMember(room: string): Promise<RoomApiResult<RoomMember>> {
  let response: Response;
  try {
    response = await fetch(`${roomPath(room)}/me`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    return { ok: false, error: { status: 0, message: 'The server cannot be reached.' } };
  }
  if (!response.ok) return { ok: false, error: await readError(response) };
  const member = parseMember(await response.json().catch(() => null), room);
  if (!member) return { ok: false, error: { status: response.status, message: 'The server sent an unreadable answer about your session.' } };
  return { ok: true, value: member };
}

/** Stores the display name the user picked for `room`. */
export async function saveDisplayName(room: string, name: string): Promise<RoomApiResult<string>> {
  let response: Response;
  try {
    response = await fetch(`${roomPath(room)}/me`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name }),
    });
  } catch {
    return { ok: false, error: { status: 0, message: 'The server cannot be reached; your name was not saved.' } };
  }
  if (!response.ok) return { ok: false, error: await readError(response) };
  return { ok: true, value: name };
}

/** One download the server's export menu offers (`GET /api/rooms/<room>/exports`). */
export interface ExportChoice {
  name: string;
  label: string;
  hint: string;
  /** Where the menu lists it: documents for people, or the annotation data. */
  group: ExportGroup;
  fileName: string;
  /** The download address, on this server. */
  href: string;
  /** The options it takes (which kinds, closed ones, page numbers), shown as choices. */
  options: ExportOptionName[];
}

/** Validates one entry of the untrusted format list; only same-server download paths pass. */
function parseExportChoice(value: unknown): ExportChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Record<string, unknown>;
  const fields = [entry.name, entry.label, entry.hint, entry.fileName, entry.href];
  if (!fields.every((field) => typeof field === 'string')) return null;
  if (!String(entry.href).startsWith('/api/rooms/')) return null;
  // A server without options or groups (or an unknown option) offers the plain download.
  const options = Array.isArray(entry.options) ? EXPORT_OPTION_NAMES.filter((option) => (entry.options as unknown[]).includes(option)) : [];
  const group: ExportGroup = entry.group === 'document' ? 'document' : 'data';
  return { name: String(entry.name), label: String(entry.label), hint: String(entry.hint), group, fileName: String(entry.fileName), href: String(entry.href), options };
}

/**
 * The export formats this session may download, as the server lists them, in menu order; an
 * empty list when the server refuses or cannot be reached (the menu then stays disabled).
 * Answered from the server's access checks alone, so it is cheap to ask while the room opens.
 */
export async function fetchExportChoices(room: string): Promise<ExportChoice[]> {
  try {
    const response = await fetch(`${roomPath(room)}/exports`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return [];
    const body = (await response.json()) as { formats?: unknown };
    return Array.isArray(body.formats) ? body.formats.map(parseExportChoice).filter((choice): choice is ExportChoice => choice !== null) : [];
  } catch {
    return [];
  }
}

/** Who wrote under some user ids now, by the room's people endpoint: author id → the person's id and name. */
export async function fetchPeople(room: string, authorIds: readonly string[]): Promise<Map<string, { userId: string; name: string }>> {
  const people = new Map<string, { userId: string; name: string }>();
  if (authorIds.length === 0) return people;
  try {
    const response = await fetch(`${roomPath(room)}/people?ids=${authorIds.map(encodeURIComponent).join(',')}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return people;
    const body = (await response.json()) as { people?: Record<string, { userId?: unknown; name?: unknown }> };
    for (const [id, person] of Object.entries(body.people ?? {})) {
      if (typeof person.userId === 'string' && typeof person.name === 'string') people.set(id, { userId: person.userId, name: person.name });
    }
  } catch {
    // Offline or refused: authorship reads as stored until the next try.
  }
  return people;
}
