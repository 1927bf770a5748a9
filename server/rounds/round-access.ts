import { can, COLLAB_CLOSE, parseRoundLayer, roundIsBlind, ROUND_CHANGED_CLOSE } from '../../schema/index.ts';
import type { Role, RoundParticipant, RoundSummary } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';

/**
 * Who may open and write which annotation layer while a room has blind rounds (docs/seminar-view.md).
 * Pure decisions over the round, its participants and the session; the guard and the update
 * authorizer of `round-service.ts` apply them to sockets and updates.
 *
 * - A participant's layer is opened by that participant (any role that may annotate) and by
 *   the owner; while the round is open, and the owner chose so, the layers of the owner and the
 *   reviewers are opened by everyone in the room, read-only.
 * - Only its participant writes a layer, and only while the round is open.
 * - While a round is open or being revealed, annotators do not get the shared annotation layer
 *   at all (they would see each other's earlier work and the staff's); the owner, reviewers and
 *   viewers keep it. Presence rides on the text document and is untouched.
 */

/** A refusal: the close code and reason for a socket, or the reason for an update. */
export interface Refusal {
  code: number;
  reason: string;
}

/** Whether a role counts as staff (its layer can be shown to everyone during a round). */
export function isStaffRole(role: Role): boolean {
  return role === 'owner' || role === 'reviewer';
}

/** The round and user a stored document name addresses, when it is a round layer of `room`. */
export function layerOfDocName(docName: string, room: string): { roundId: number; userId: string } | null {
  if (!docName.startsWith(`${room}/`)) return null;
  return parseRoundLayer(docName.slice(room.length + 1).split('/'));
}

/** Why `session` may not open `layerUserId`'s layer of `round` (null: it may). */
export function layerOpenRefusal(round: RoundSummary | null, participant: RoundParticipant | null, session: Session, layerUserId: string): Refusal | null {
  if (round === null || round.room !== session.room) return { code: COLLAB_CLOSE.notFound, reason: 'no such round in this room' };
  if (layerUserId === session.userId) {
    if (!can(session.role, 'annotate')) return { code: COLLAB_CLOSE.forbidden, reason: `a ${session.role} has no layer in a blind round` };
    // A round that never had this participant has no layer to show them afterwards either.
    if (round.state !== 'open' && participant === null) return { code: COLLAB_CLOSE.notFound, reason: 'you took no part in this round' };
    return null;
  }
  if (session.role === 'owner') return null;
  if (round.state === 'open' && round.showStaff && participant !== null && isStaffRole(participant.role)) return null;
  return { code: COLLAB_CLOSE.forbidden, reason: "a blind round's layer is served only to its reader and the owner" };
}

/** Why `session` may not write `layerUserId`'s layer of `round` (null: it may). */
export function layerWriteRefusal(round: RoundSummary | null, session: Session, layerUserId: string): string | null {
  if (round === null) return 'no such round';
  if (layerUserId !== session.userId) return "only its reader writes a blind round's layer";
  if (round.state !== 'open') return `the blind round has ${round.state === 'ended' ? 'ended' : 'been revealed'}; its layer is read-only`;
  return null;
}

/** Why `role` may not have the shared annotation layer while `round` runs (null: it may). */
export function sharedLayerRefusal(round: RoundSummary | null, role: Role): Refusal | null {
  if (round === null || !roundIsBlind(round.state) || role !== 'annotator') return null;
  return { code: ROUND_CHANGED_CLOSE, reason: 'a blind round is running: annotate in your own round layer' };
}

/** The layers `session` should see in `round`: their own (when they may annotate) and, when shown, the staff's. */
export function visibleLayers(round: RoundSummary, participants: readonly RoundParticipant[], session: Session): string[] {
  const users: string[] = [];
  if (can(session.role, 'annotate') && (round.state === 'open' || participants.some((p) => p.userId === session.userId))) users.push(session.userId);
  if (session.role === 'owner') users.push(...participants.map((p) => p.userId));
  else if (round.state === 'open' && round.showStaff) users.push(...participants.filter((p) => isStaffRole(p.role)).map((p) => p.userId));
  return [...new Set(users)];
}
