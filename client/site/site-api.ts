import { isRole } from '../../schema/index.ts';
import type { InviteSummary, Role } from '../../schema/index.ts';

/**
 * The site's calls to the server (accounts, seminars, invite links, chapters), at the network
 * edge: every answer is checked once here and every failure becomes a message for the person.
 */

/** An outcome at the network edge: the value, or a message fit for the person (and the status). */
export type SiteResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** The signed-in person, as the server describes them. */
export interface SitePerson {
  userId: string;
  name: string;
  email: string | null;
  isAdmin: boolean;
  isGuest: boolean;
}

/** Who this browser is and what the sign-in pages should offer. */
export interface AuthState {
  person: SitePerson | null;
  setupNeeded: boolean;
  signUpOpen: boolean;
  singleSignOn: { label: string } | null;
}

/** A seminar on the home page. */
export interface SeminarSummary {
  id: string;
  title: string;
  role: Role;
  chapters: number;
  members: number;
  lastActivityAt: string | null;
}

/** The home page: my seminars, rooms given to me by room invites, and (administrators) rooms in no seminar. */
export interface HomeData {
  seminars: SeminarSummary[];
  sharedRooms: { id: string; title: string; role: Role }[];
  unfiledRooms: { id: string; title: string; createdAt: string }[];
}

/** A chapter on a seminar page. */
export interface ChapterSummary {
  id: string;
  title: string;
  archived: boolean;
  yourRole: Role | null;
  annotations: number;
  openProblems: number;
  lastActivityAt: string | null;
}

/** A member on a seminar's roster (email and per-chapter roles: owners only). */
export interface MemberSummary {
  userId: string;
  name: string;
  role: Role;
  isGuest: boolean;
  joinedAt: string;
  email?: string | null;
  chapterRoles?: Record<string, Role>;
}

/** An invite link as its owners see it. */
export type SeminarInvite = InviteSummary;

/** A seminar page. */
export interface SeminarData {
  seminar: { id: string; title: string; createdAt: string };
  you: { userId: string; role: Role; isGuest: boolean };
  chapters: ChapterSummary[];
  members: MemberSummary[];
  invites: SeminarInvite[] | null;
}

/** An invite link opened by someone: the seminar, its role, and who this browser is. */
export interface JoinData {
  seminar: { id: string; title: string };
  role: Role;
  label: string | null;
  you: { kind: 'account' | 'guest' | 'room-session'; name: string; member: boolean } | null;
}

function explain(status: number): string {
  if (status === 0) return 'The server cannot be reached. Check your connection and try again.';
  if (status === 401) return 'Sign in first.';
  if (status === 403) return 'You are not allowed to do this.';
  if (status === 404) return 'Not found.';
  if (status === 413) return 'The file is too large.';
  if (status === 429) return 'Too many attempts. Wait a little and try again.';
  return `The server answered ${status}.`;
}

/** Calls the API: JSON (or raw bytes) in, JSON out; the server's `{error}` message becomes the failure. */
export async function callApi<T>(method: string, path: string, body?: unknown): Promise<SiteResult<T>> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    init.body = body;
    (init.headers as Record<string, string>)['content-type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, error: explain(0) };
  }
  const parsed = (await response.json().catch(() => null)) as (T & { error?: unknown }) | null;
  if (!response.ok) {
    const message = parsed && typeof parsed.error === 'string' ? parsed.error : explain(response.status);
    return { ok: false, status: response.status, error: message };
  }
  if (parsed === null) return { ok: false, status: response.status, error: 'The server sent an unreadable answer.' };
  return { ok: true, value: parsed };
}

/** Who this browser is. */
export function fetchAuthState(): Promise<SiteResult<AuthState>> {
  return callApi<AuthState>('GET', '/api/auth/state');
}

/** Whether a value looks like a role (answers are checked once, here). */
export function roleOrNull(value: unknown): Role | null {
  return isRole(value) ? value : null;
}

/** Encodes a path segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/** A same-site path to go back to after signing in (`?return=`), or the home page. */
export function returnPath(search: string): string {
  const value = new URLSearchParams(search).get('return');
  return value && /^\/(?!\/)[\x21-\x7e]*$/.test(value) && !value.includes('\\') ? value : '/';
}
