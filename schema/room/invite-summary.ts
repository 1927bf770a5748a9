import type { Role } from './roles.ts';

/**
 * An invite as its owners see it — a room's invite or a seminar's invite link — named by a
 * prefix of its token's hash (never the token, which is shown once when it is made). One shape
 * for the server that lists invites and the pages that show them.
 */
export interface InviteSummary {
  id: string;
  role: Role;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** Length of an invite's public id (hex digits of its token hash). */
export const INVITE_ID_LENGTH = 24;

/** An invite as stored, in the fields its summary needs. */
export interface StoredInviteFields {
  tokenHash: string;
  role: Role;
  label: string | null;
  createdAt: number;
  expiresAt: number | null;
  revoked: boolean;
}

/** Returns an invite's owner-facing summary at time `now` (epoch ms). */
export function summarizeStoredInvite(invite: StoredInviteFields, now: number): InviteSummary {
  const expired = invite.expiresAt !== null && invite.expiresAt <= now;
  return {
    id: invite.tokenHash.slice(0, INVITE_ID_LENGTH),
    role: invite.role,
    label: invite.label,
    createdAt: new Date(invite.createdAt).toISOString(),
    expiresAt: invite.expiresAt === null ? null : new Date(invite.expiresAt).toISOString(),
    state: invite.revoked ? 'revoked' : expired ? 'expired' : 'active',
  };
}
