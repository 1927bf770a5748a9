import { summarizeStoredInvite } from '../../schema/index.ts';
import type { InviteSummary } from '../../schema/index.ts';
import { inviteWithId, parseNewInvite } from '../access/invite-records.ts';
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

/** Creates an invite link from an untrusted body `{role, label?, expiresInSeconds? | expiresAt?}`. */
export async function createSeminarInvite(stores: ServerStores, seminarId: string, createdBy: string, body: Record<string, unknown>): Promise<SeminarOutcome<{ token: string; invite: InviteSummary }>> {
  const now = Date.now();
  const parsed = parseNewInvite(body, now);
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
  const token = generateToken();
  const record = { tokenHash: hashToken(token), seminarId, role: parsed.value.role, label: parsed.value.label, createdAt: now, createdBy, expiresAt: parsed.value.expiresAt };
  await stores.seminarInvites.insert(record);
  return { ok: true, value: { token, invite: summarizeStoredInvite({ ...record, revoked: false }, now) } };
}

/** Revokes a seminar's invite link by id. */
export async function revokeSeminarInvite(stores: ServerStores, seminarId: string, id: string): Promise<SeminarOutcome<InviteSummary>> {
  const invite = inviteWithId(await stores.seminarInvites.listForSeminar(seminarId), id);
  if (!invite) return { ok: false, status: 404, error: 'No such invite link in this seminar.' };
  await stores.seminarInvites.revoke(invite.tokenHash);
  return { ok: true, value: summarizeStoredInvite({ ...invite, revoked: true }, Date.now()) };
}

/** The invite link of a token if it admits people now, else why not. */
export async function usableSeminarInvite(stores: ServerStores, token: string, now = Date.now()): Promise<SeminarOutcome<SeminarInviteRecord>> {
  const invite = await stores.seminarInvites.findByHash(hashToken(token));
  if (!invite || invite.revoked || (invite.expiresAt !== null && invite.expiresAt <= now)) {
    return { ok: false, status: 404, error: 'This invite link is unknown, expired or revoked. Ask the seminar’s owner for a new one.' };
  }
  return { ok: true, value: invite };
}

/** Makes `userId` a member through an invite (an existing member keeps their role); returns whether they were added. */
export async function joinWithInvite(stores: ServerStores, invite: SeminarInviteRecord, userId: string, now = Date.now()): Promise<boolean> {
  return stores.seminars.addMemberIfAbsent(invite.seminarId, userId, invite.role, now);
}
