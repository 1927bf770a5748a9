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
 * Why a role may not change a document of this kind at all, or null when it may: viewers change
 * nothing; only roles that may edit the text (the owner) write `<room>/text`; roles that may
 * annotate write `<room>/annotations`. Checked before an update is decoded (issue 14, P3).
 */
export function roleWriteRefusal(role: Session['role'], kind: DocKind): string | null {
  if (role === 'viewer') return 'viewers cannot change this room';
  if (kind === 'text' && !can(role, 'edit-text')) return 'only the owner may change the chapter text';
  if (kind === 'annotations' && !can(role, 'annotate')) return `a ${role} cannot annotate`;
  return null;
}

/**
 * The role check of this server (`roleWriteRefusal`). Finer rules (whose annotation an update
 * touches, forged authors) belong to the access-control layer, which wraps or replaces this
 * function through `startServer({ authorizeUpdate })`.
 */
export const defaultAuthorizeUpdate: UpdateAuthorizer = ({ kind, session }) => {
  const refusal = roleWriteRefusal(session.role, kind);
  return refusal === null ? { ok: true } : { ok: false, reason: refusal };
};
