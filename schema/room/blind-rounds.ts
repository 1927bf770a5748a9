import type { Role } from './roles.ts';

/**
 * Blind rounds (docs/seminar-view.md): the owner starts a round on a chapter; until it is
 * revealed each participant annotates in a layer of their own, a Yjs document with the layout
 * of the annotation document, served only to them and to the owner (and, if the owner chooses,
 * the owner's and reviewers' layers to everyone). Reveal merges every layer into the shared
 * annotation document in one update; a round can also end without revealing.
 *
 * A layer is addressed like the room's documents: `/collab/<room>/rounds/<round id>/<user id>`,
 * i.e. a stock y-websocket roomname `<room>/rounds/<round id>/<user id>`.
 */

/** Where a round stands: running; being merged into the shared layer; merged; ended unrevealed. */
export type RoundState = 'open' | 'revealing' | 'revealed' | 'ended';

/** A round as the server reports it. */
export interface RoundSummary {
  id: number;
  room: string;
  state: RoundState;
  /** Whether annotators see the owner's and reviewers' layers during the round. */
  showStaff: boolean;
  startedAt: string;
  startedBy: string;
  /** When it was revealed or ended; null while open or revealing. */
  closedAt: string | null;
  /** How many annotations, replies and dismissals the reveal merged; null until revealed. */
  revealed: number | null;
}

/** Someone who opened their layer in a round. */
export interface RoundParticipant {
  userId: string;
  name: string;
  role: Role;
  joinedAt: string;
}

/**
 * Close code of a socket that a round's start, reveal or end made obsolete (4409, "conflict":
 * a stock y-websocket client stops reconnecting and reports the close; the browser client
 * fetches the round and reopens the room with the layers it now sees).
 */
export const ROUND_CHANGED_CLOSE = 4409;

/** User ids as a layer's path carries them. */
export const LAYER_USER_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether a round is still collecting annotations privately (open, or being revealed). */
export function roundIsBlind(state: RoundState): boolean {
  return state === 'open' || state === 'revealing';
}

/** The roomname of a participant's layer in a round: `<room>/rounds/<round id>/<user id>`. */
export function roundLayerName(room: string, roundId: number, userId: string): string {
  if (!Number.isSafeInteger(roundId) || roundId < 1) throw new RangeError(`round id ${roundId} is not a positive integer`);
  if (!LAYER_USER_PATTERN.test(userId)) throw new RangeError(`user id "${userId}" cannot name a round layer`);
  return `${room}/rounds/${roundId}/${userId}`;
}

/** Reads the path segments after the room (`rounds`, id, user) as a layer address, or null. */
export function parseRoundLayer(segments: readonly string[]): { roundId: number; userId: string } | null {
  if (segments.length !== 3 || segments[0] !== 'rounds') return null;
  const [, id, userId] = segments;
  if (!/^[1-9][0-9]{0,15}$/.test(id ?? '') || !LAYER_USER_PATTERN.test(userId ?? '')) return null;
  return { roundId: Number(id), userId: userId! };
}
