import type { Role } from '../../schema/index.ts';
import { inviteIdOf, parseNewInvite } from '../access/invite-records.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { SeminarInviteRecord } from '../persistence/seminar-invite-store.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import type { SeminarOutcome } from './seminars.ts';

/**
 * Seminar invite links (`/join/<token>`): a role, an optional label and expiry, revocable. The
 * token is shown once; only its hash is stored, and a link is named by a prefix of that hash.
 * Whoever opens a usable link joins the seminar with its role — as themselves when signed in,
 * or as a guest who picks a name (and may sign up later, keeping what they did). Revoking a
 * link stops it admitting anyone; people who joined with it stay members until removed.
 */

/** A seminar invite link as its owners see it (never the token). */
export interface SeminarInviteSummary {
  id: string;
  role: Role;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** Returns an invite link's summary at `now`. */
export function summarizeSeminarInvite(invite: SeminarInviteRecord, now: number): SeminarInviteSummary {
  const expired = invite.expiresAt !== null && invite.expiresAt <= now;
  return {
    id: inviteIdOf(invite.tokenHash),
    role: invite.role,
    label: invite.label,
    createdAt: new Date(invite.createdAt).toISOString(),
    expiresAt: invite.expiresAt === null ? null : new Date(invite.expiresAt).toISOString(),
    state: invite.revoked ? 'revoked' : expired ? 'expired' : 'active',
  };
}

/** Creates an invite link from an untrusted body `{role, label?, expiresInSeconds? | expiresAt?}`. */
export function createSeminarInvite(stores: ServerStores, seminarId: string, createdBy: string, body: Record<string, unknown>): SeminarOutcome<{ token: string; invite: SeminarInviteSummary }> {
  const now = Date.now();
  const parsed = parseNewInvite(body, now);
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
  const token = generateToken();
  const record = { tokenHash: hashToken(token), seminarId, role: parsed.value.role, label: parsed.value.label, createdAt: now, createdBy, expiresAt: parsed.value.expiresAt };
  stores.seminarInvites.insert(record);
  return { ok: true, value: { token, invite: summarizeSeminarInvite({ ...record, revoked: false }, now) } };
}

/** Revokes a seminar's invite link by id. */
export function revokeSeminarInvite(stores: ServerStores, seminarId: string, id: string): SeminarOutcome<SeminarInviteSummary> {
  const invite = /^[0-9a-f]{24}$/.test(id) ? stores.seminarInvites.listForSeminar(seminarId).find((candidate) => inviteIdOf(candidate.tokenHash) === id) : undefined;
  if (!invite) return { ok: false, status: 404, error: 'No such invite link in this seminar.' };
  stores.seminarInvites.revoke(invite.tokenHash);
  return { ok: true, value: summarizeSeminarInvite({ ...invite, revoked: true }, Date.now()) };
}

/** The invite link of a token if it admits people now, else why not. */
export function usableSeminarInvite(stores: ServerStores, token: string, now = Date.now()): SeminarOutcome<SeminarInviteRecord> {
  const invite = stores.seminarInvites.findByHash(hashToken(token));
  if (!invite || invite.revoked || (invite.expiresAt !== null && invite.expiresAt <= now)) {
    return { ok: false, status: 404, error: 'This invite link is unknown, expired or revoked. Ask the seminar’s owner for a new one.' };
  }
  return { ok: true, value: invite };
}

/** Makes `userId` a member through an invite (an existing member keeps their role); returns whether they were added. */
export function joinWithInvite(stores: ServerStores, invite: SeminarInviteRecord, userId: string, now = Date.now()): boolean {
  return stores.seminars.addMemberIfAbsent(invite.seminarId, userId, invite.role, now);
}
