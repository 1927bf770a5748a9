import { INVITE_ID_LENGTH, isRole, ROLES, summarizeStoredInvite } from '../../schema/index.ts';
import type { InviteSummary, Role } from '../../schema/index.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { InviteRecord, InviteStore } from '../persistence/invite-store.ts';

/**
 * Invites as the owner manages them: listed without their tokens (only hashes are stored),
 * created with a role, an optional label and an optional expiry (the token is shown once),
 * revoked by id. An invite's public id is a prefix of its token hash: it names the invite
 * without giving anything that opens the room.
 */

/** An invite as the owner API shows it. */
export type { InviteSummary };

/** Returns an invite's public id. */
export function inviteIdOf(tokenHash: string): string {
  return tokenHash.slice(0, INVITE_ID_LENGTH);
}

/** A validated request to create an invite. */
export interface NewInvite {
  role: Role;
  label: string | null;
  expiresAt: number | null;
}

/** The longest invite label, in characters. */
export const MAX_INVITE_LABEL_LENGTH = 80;
/** The longest lifetime an invite may be given. */
export const MAX_INVITE_LIFETIME_MS = 366 * 24 * 3600 * 1000;

/** Returns the owner-facing summary of an invite at time `now`. */
export function summarizeInvite(invite: InviteRecord, now: number): InviteSummary {
  return summarizeStoredInvite(invite, now);
}

// Control characters and bidi overrides: a label is shown to the owner as text.
const unsafeLabel = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

/**
 * Validates an untrusted creation body `{role, label?, expiresInSeconds?}` (or `expiresAt`, an ISO
 * time): returns the invite to create or a message naming the bad field.
 */
export function parseNewInvite(body: Record<string, unknown>, now: number): { ok: true; value: NewInvite } | { ok: false; error: string } {
  if (!isRole(body.role)) return { ok: false, error: `role must be one of ${ROLES.join(', ')}` };
  let label: string | null = null;
  if (body.label !== undefined && body.label !== null) {
    if (typeof body.label !== 'string' || [...body.label.trim()].length > MAX_INVITE_LABEL_LENGTH || unsafeLabel.test(body.label)) {
      return { ok: false, error: `label must be text of at most ${MAX_INVITE_LABEL_LENGTH} characters without control characters` };
    }
    label = body.label.trim() || null;
  }
  if (body.expiresInSeconds !== undefined && body.expiresAt !== undefined) return { ok: false, error: 'give expiresInSeconds or expiresAt, not both' };
  let expiresAt: number | null = null;
  if (body.expiresInSeconds !== undefined && body.expiresInSeconds !== null) {
    const seconds = body.expiresInSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) return { ok: false, error: 'expiresInSeconds must be a positive integer' };
    expiresAt = now + seconds * 1000;
  } else if (body.expiresAt !== undefined && body.expiresAt !== null) {
    expiresAt = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
    if (Number.isNaN(expiresAt) || expiresAt <= now) return { ok: false, error: 'expiresAt must be an ISO date-time in the future' };
  }
  if (expiresAt !== null && expiresAt - now > MAX_INVITE_LIFETIME_MS) return { ok: false, error: 'an invite may live at most 366 days' };
  return { ok: true, value: { role: body.role, label, expiresAt } };
}

/** Creates an invite (its hash stored) and returns its token, shown this once, with its summary. */
export async function createInvite(invites: InviteStore, room: string, invite: NewInvite, now: number): Promise<{ token: string; summary: InviteSummary }> {
  const token = generateToken();
  const record = { tokenHash: hashToken(token), room, role: invite.role, createdAt: now, expiresAt: invite.expiresAt, label: invite.label };
  await invites.insert(record);
  return { token, summary: summarizeInvite({ ...record, revoked: false }, now) };
}

/** Finds the invite with a public id among `invites` (a room's invites, a seminar's links). */
export function inviteWithId<T extends { tokenHash: string }>(invites: readonly T[], id: string): T | null {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return invites.find((invite) => inviteIdOf(invite.tokenHash) === id) ?? null;
}

/** Finds a room's invite by public id. */
export async function findInvite(invites: InviteStore, room: string, id: string): Promise<InviteRecord | null> {
  return inviteWithId(await invites.listForRoom(room), id);
}
