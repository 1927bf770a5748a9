import { identitiesOf } from '../auth/identity.ts';
import { defaultAuthorizeUpdate } from '../collab/authorize-update.ts';
import type { UpdateAuthorizationRequest, UpdateAuthorization, UpdateAuthorizer } from '../collab/authorize-update.ts';
import { defaultConfig } from '../config.ts';
import { collectEntryEffects } from './annotation-update-effects.ts';
import { mapUpdateTouches } from './update-struct-targets.ts';
import { checkEntryEffects } from './annotation-update-rules.ts';
import type { UpdateCheckContext } from './update-fact-checks.ts';
import { acceptIntoShadow, currentShadowOf, foreignClient } from './annotation-shadow.ts';

/**
 * The access-control layer's update check (issue 6): the role table enforced on every update,
 * whatever bytes arrive. Role gates first (viewers change nothing, only the owner changes the
 * text), then, for `<room>/annotations`, the update is decoded and every struct and deletion
 * mapped to the entry and field it touches (`update-struct-targets.ts`), and the result checked
 * entry by entry (`annotation-update-rules.ts`) before anything is stored or applied: roles,
 * authorship, validity, times against the server's clock, footnote links against the chapter.
 */

/** What the authorizer needs from the server. */
export interface AccessAuthorizerOptions {
  /** The display name a user chose most recently (it may be newer than the session's), or null. */
  currentName?: (userId: string) => string | null;
  /**
   * The footnote numbers a room's chapter has now, or null when the room has no text. Without
   * it, footnote links are not checked against the chapter (only their form is).
   */
  footnoteNumbers?: (room: string) => ReadonlySet<number> | null;
  /** The server's clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /** How far in the future of `now` a time written by a client may lie; default `ServerConfig.clockSkewMs`. */
  clockSkewMs?: number;
}

/** The options with the skew allowance settled. */
type SettledOptions = AccessAuthorizerOptions & { clockSkewMs: number };

/** Why a check failed in a way that is a server bug, not the client's fault: fail closed, and say so. */
function internalFailure(error: unknown): UpdateAuthorization {
  return { ok: false, reason: `the update could not be checked (${error instanceof Error ? error.message : String(error)})` };
}

/** What the rules need besides the sender: the clock now, the skew allowance, the room's footnotes (read once, if needed). */
function checkContextOf(request: UpdateAuthorizationRequest, options: SettledOptions): UpdateCheckContext {
  const context: UpdateCheckContext = { now: (options.now ?? Date.now)(), clockSkewMs: options.clockSkewMs };
  const lookup = options.footnoteNumbers;
  if (lookup) {
    let numbers: ReadonlySet<number> | null | undefined;
    context.footnoteNumbers = () => (numbers === undefined ? (numbers = lookup(request.room)) : numbers);
  }
  return context;
}

function checkAnnotationUpdate(request: UpdateAuthorizationRequest, options: SettledOptions): UpdateAuthorization {
  const { session, update, ydoc } = request;
  const shadow = currentShadowOf(ydoc);
  // Phase 1: where does every struct and deletion land? (From the parser's decoding, when given.)
  const touches = mapUpdateTouches(shadow.doc, update, request.decoded);
  if (!touches.ok) return { ok: false, reason: touches.error, resync: touches.missing };
  const identities = identitiesOf(session);
  const squatted = foreignClient(shadow, touches.value.clients, identities);
  if (squatted !== null) return { ok: false, reason: `Yjs client id ${squatted} writes for another user` };
  // Phase 2: what happens to each entry?
  const effects = collectEntryEffects(shadow.doc, touches.value);
  if (!effects.ok) return { ok: false, reason: effects.error };
  // Phase 3: is this user allowed to do it, and is the result valid?
  const names = new Set([session.name]);
  const chosen = options.currentName?.(session.userId);
  if (chosen) names.add(chosen);
  const problem = checkEntryEffects(effects.value, { userId: session.userId, identities, role: session.role, names }, checkContextOf(request, options));
  if (problem) return { ok: false, reason: problem };
  acceptIntoShadow(shadow, update, touches.value.clients, session.userId);
  return { ok: true };
}

/**
 * Returns the update authorizer of the access-control layer. Synchronous and side-effect free
 * for refused updates; an accepted update is also applied to the document's shadow, so the
 * next update (even in the same event-loop turn, before the commit queue stores and applies
 * this one) is checked against it.
 */
export function createAccessAuthorizer(given: AccessAuthorizerOptions = {}): UpdateAuthorizer {
  const options: SettledOptions = { ...given, clockSkewMs: given.clockSkewMs ?? defaultConfig().clockSkewMs };
  return (request) => {
    const gate = defaultAuthorizeUpdate(request);
    if (!gate.ok || request.kind !== 'annotations') return gate;
    try {
      return checkAnnotationUpdate(request, options);
    } catch (error) {
      return internalFailure(error);
    }
  };
}
