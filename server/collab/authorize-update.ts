import type * as Y from 'yjs';
import { can } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import type { DocKind } from '../../schema/index.ts';
import type { DecodedUpdate } from './message-parser.ts';

/** Everything an authorizer may look at to decide whether an incoming update is stored. */
export interface UpdateAuthorizationRequest {
  room: string;
  /** Stored document name, `<room>/<kind>`. */
  docName: string;
  kind: DocKind;
  /** The sender's identity, from the server's records. */
  session: Session;
  /** The update as received (Yjs v1 encoding, already decoded once and known to be well-formed). */
  update: Uint8Array;
  /**
   * That decoding (`Y.decodeUpdate(update)`), when the caller has it: read it instead of decoding
   * again; never change it.
   */
  decoded?: DecodedUpdate;
  /** The live document the update would be applied to. Read it; never write to it here. */
  ydoc: Y.Doc;
}

/**
 * The verdict on an update: store it, or drop it and tell the sender why. `resync` asks the
 * sender for everything the server lacks (the update depended on something the server does not
 * have): the server sends its sync step 1, which a stock client answers with a full step 2.
 */
export type UpdateAuthorization = { ok: true } | { ok: false; reason: string; resync?: boolean };

/**
 * The hook every incoming update (sync step 2 or update) passes through before it is stored,
 * applied or relayed. Synchronous, so updates keep their arrival order. A denied update is
 * dropped whole and the sender receives a y-protocols permission-denied message with `reason`.
 */
export type UpdateAuthorizer = (request: UpdateAuthorizationRequest) => UpdateAuthorization;

/**
 * The role check of this server: viewers change nothing; only roles that may edit the text
 * (the owner) write `<room>/text`; roles that may annotate write `<room>/annotations`. Finer
 * rules (whose annotation an update touches, forged authors) belong to the access-control layer,
 * which wraps or replaces this function through `startServer({ authorizeUpdate })`.
 */
export const defaultAuthorizeUpdate: UpdateAuthorizer = ({ kind, session }) => {
  if (session.role === 'viewer') return { ok: false, reason: 'viewers cannot change this room' };
  if (kind === 'text' && !can(session.role, 'edit-text')) return { ok: false, reason: 'only the owner may change the chapter text' };
  if (kind === 'annotations' && !can(session.role, 'annotate')) return { ok: false, reason: `a ${session.role} cannot annotate` };
  return { ok: true };
};
