import type { IncomingMessage } from 'node:http';
import { COLLAB_CLOSE, isDocKind, isRoomId, parseRoundLayer } from '../../schema/index.ts';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.ts';
import type { IdentityService, Session } from '../auth/identity.ts';
import type { DocKind } from '../../schema/index.ts';

/** An upgrade the server accepts: who, which document, and whether they want acknowledgements. */
export interface AcceptedUpgrade {
  session: Session;
  room: string;
  kind: DocKind;
  /** The stored document's name: `<room>/<kind>`, or a blind round's layer `<room>/rounds/<id>/<user>`. */
  docName: string;
  /** For a round layer: which round and whose layer (who may open it is the guard's decision). */
  layer: { roundId: number; userId: string } | null;
  wantsAcks: boolean;
}

/** The decision on a WebSocket upgrade: accept, or close with a code and reason. */
export type UpgradeDecision = { ok: true; value: AcceptedUpgrade } | { ok: false; code: number; reason: string };

/** The path prefix of collaboration sockets. */
export const COLLAB_PATH_PREFIX = '/collab/';

/**
 * Decides on a collaboration upgrade (`/collab/<room>/<text|annotations>?token=…`, or a blind
 * round's layer `/collab/<room>/rounds/<id>/<user>`, whose access the guard decides).
 * The credential is the `token` query parameter (invite or session token) or the session
 * cookie. Order matters: an unauthenticated caller learns nothing about rooms (4401 first);
 * a path naming no document gets 4404; a token of another room, or a person without a role
 * in this one, gets 4403.
 */
export async function decideUpgrade(request: IncomingMessage, identity: IdentityService): Promise<UpgradeDecision> {
  const rawUrl = request.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  // The raw path, not `new URL()`'s normalised one: `..`, `%2F` and upper case never name a room.
  const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
  const token = query.get('token') || readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!token) return { ok: false, code: COLLAB_CLOSE.unauthorized, reason: 'missing token' };
  const problem = await identity.credentialProblem(token);
  if (problem) return { ok: false, code: COLLAB_CLOSE.unauthorized, reason: `${problem} token` };
  const parts = path.slice(COLLAB_PATH_PREFIX.length).split('/');
  const [room, kind] = parts;
  // `<room>/<text|annotations>`, or a blind round's layer `<room>/rounds/<id>/<user>` (an annotation document).
  const layer = parseRoundLayer(parts.slice(1));
  if (!isRoomId(room) || (layer === null && (parts.length !== 2 || !isDocKind(kind)))) {
    return { ok: false, code: COLLAB_CLOSE.notFound, reason: 'no such document' };
  }
  const resolved = await identity.resolveForRoom(token, room);
  if (!resolved.ok) {
    return resolved.error === 'forbidden'
      ? { ok: false, code: COLLAB_CLOSE.forbidden, reason: 'no access to this room' }
      : { ok: false, code: COLLAB_CLOSE.unauthorized, reason: `${resolved.error} token` };
  }
  const docKind: DocKind = layer ? 'annotations' : (kind as DocKind);
  const docName = layer ? parts.join('/') : `${room}/${docKind}`;
  return { ok: true, value: { session: resolved.value, room, kind: docKind, docName, layer, wantsAcks: query.get('acks') === '1' } };
}
