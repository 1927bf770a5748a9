import { isRole } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';

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
  if (status === 401) return 'This browser has no session for the room. Open the invite link you were given.';
  if (status === 403) return 'Your invite does not give access to this room (it may have been revoked).';
  if (status === 404) return 'There is no such room.';
  return `The server answered ${status}.`;
}

async function readError(response: Response): Promise<RoomApiError> {
  let message = explainStatus(response.status);
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    const detail = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : null;
    if (detail && response.status >= 500) message = `${message} ${detail}`;
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
  return {
    userId: record.userId,
    role: record.role,
    name: typeof record.name === 'string' ? record.name : '',
    room: typeof record.room === 'string' ? record.room : room,
    roomUid: typeof uid === 'string' || typeof uid === 'number' ? String(uid) : null,
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

/** The export formats the server offers. */
export type ExportFormat = 'native' | 'w3c' | 'csv';

/** The download address of an export of `room`. */
export function exportUrl(room: string, format: ExportFormat): string {
  return `${roomPath(room)}/export?format=${format}`;
}

/**
 * Whether the export endpoint answers for this session (the menu stays disabled until it does).
 * A HEAD: the server answers it from its checks alone, without building the export.
 */
export async function probeExport(room: string): Promise<boolean> {
  try {
    const response = await fetch(exportUrl(room, 'csv'), { method: 'HEAD', credentials: 'same-origin' });
    return response.ok;
  } catch {
    return false;
  }
}
