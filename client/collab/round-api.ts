import { isRole } from '../../schema/index.ts';
import type { RoundParticipant, RoundState, RoundSummary } from '../../schema/index.ts';
import type { RoomApiResult } from './room-api.ts';

/**
 * The blind rounds API as the browser uses it (docs/seminar-view.md): what the session sees in
 * the room's latest round, and the owner's start, reveal and end. Answers are validated here,
 * at the edge; failures come back as messages for the user.
 */

/** The latest round of a room and what this session sees in it. */
export interface RoundView {
  round: RoundSummary | null;
  /** Participants this session may know of (everyone for the owner). */
  participants: RoundParticipant[];
  you: {
    /** The roomname of the session's own layer, when it has one in this round. */
    layer: string | null;
    writable: boolean;
    /** Every layer the session may open, its own included. */
    layers: { userId: string; name: string }[];
    /** Whether the shared annotation layer is closed to this session while the round runs. */
    sharedHidden: boolean;
  };
}

/** A view with no round at all. */
export const NO_ROUND: RoundView = Object.freeze({ round: null, participants: [], you: { layer: null, writable: false, layers: [], sharedHidden: false } }) as RoundView;

const STATES: readonly RoundState[] = ['open', 'revealing', 'revealed', 'ended'];
const isString = (value: unknown): value is string => typeof value === 'string';

function parseRound(value: unknown): RoundSummary | null {
  const r = value as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.id) || !STATES.includes(r.state as RoundState)) return null;
  if (![r.room, r.startedAt, r.startedBy].every(isString)) return null;
  return {
    id: r.id as number,
    room: r.room as string,
    state: r.state as RoundState,
    showStaff: r.showStaff === true,
    startedAt: r.startedAt as string,
    startedBy: r.startedBy as string,
    closedAt: isString(r.closedAt) ? r.closedAt : null,
    revealed: typeof r.revealed === 'number' ? r.revealed : null,
  };
}

function parseParticipant(value: unknown): RoundParticipant | null {
  const p = value as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || !isString(p.userId) || !isString(p.name) || !isRole(p.role) || !isString(p.joinedAt)) return null;
  return { userId: p.userId, name: p.name, role: p.role, joinedAt: p.joinedAt };
}

/** Validates the untrusted body of a round answer. */
export function parseRoundView(body: unknown): RoundView | null {
  const b = body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) return null;
  const round = b.round === null ? null : parseRound(b.round);
  if (b.round !== null && round === null) return null;
  const you = (b.you ?? {}) as Record<string, unknown>;
  const layers = Array.isArray(you.layers) ? you.layers.filter((l): l is { userId: string; name: string } => isString(l?.userId) && isString(l?.name)) : [];
  return {
    round,
    participants: Array.isArray(b.participants) ? b.participants.map(parseParticipant).filter((p): p is RoundParticipant => p !== null) : [],
    you: { layer: isString(you.layer) ? you.layer : null, writable: you.writable === true, layers, sharedHidden: you.sharedHidden === true },
  };
}

async function call(path: string, method: 'GET' | 'POST', body?: unknown): Promise<RoomApiResult<unknown>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return { ok: false, error: { status: 0, message: 'The server cannot be reached.' } };
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (parsed as { error?: unknown } | null)?.error;
    return { ok: false, error: { status: response.status, message: isString(detail) ? detail : `The server answered ${response.status}.` } };
  }
  return { ok: true, value: parsed };
}

async function roundCall(path: string, method: 'GET' | 'POST', body?: unknown): Promise<RoomApiResult<RoundView>> {
  const answer = await call(path, method, body);
  if (!answer.ok) return answer;
  const view = parseRoundView(answer.value);
  return view ? { ok: true, value: view } : { ok: false, error: { status: 200, message: 'The server sent an unreadable answer about the round.' } };
}

const roundsPath = (room: string) => `/api/rooms/${encodeURIComponent(room)}`;

/** The room's latest round and what this session sees in it. */
export function fetchRoundView(room: string): Promise<RoomApiResult<RoundView>> {
  return roundCall(`${roundsPath(room)}/round`, 'GET');
}

/** Starts a blind round (owner). */
export function startRound(room: string, showStaff: boolean): Promise<RoomApiResult<RoundView>> {
  return roundCall(`${roundsPath(room)}/rounds`, 'POST', { showStaff });
}

/** Reveals a round (owner): its layers merge into the shared one. */
export function revealRound(room: string, id: number): Promise<RoomApiResult<RoundView>> {
  return roundCall(`${roundsPath(room)}/rounds/${id}/reveal`, 'POST', {});
}

/** Ends a round without revealing it (owner). */
export function endRound(room: string, id: number): Promise<RoomApiResult<RoundView>> {
  return roundCall(`${roundsPath(room)}/rounds/${id}/end`, 'POST', {});
}
