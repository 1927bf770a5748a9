import type { Role } from '../../schema/index.ts';
import { BrowserClient, setUpAdministrator } from './browser-client.ts';
import type { ProgramSession } from './round-readers.ts';

/**
 * A seminar seated over HTTP, for browser tests and screenshots: the lecturer (the first
 * administrator, through the setup link), a seminar with chapters uploaded as files, and
 * members who join by invite link as guests, each a session a program can write with.
 */

/** A server that has just started: its address and the setup link it printed. */
export interface FreshServer {
  baseUrl: string;
  setupUrl: string | null;
}

/** A member of the seminar: their browser (cookie) and their session as a program writes with it. */
export interface SeminarMember {
  browser: BrowserClient;
  session: ProgramSession;
}

/** The lecturer's browser: the first administrator of a fresh server. */
export function seatLecturer(server: FreshServer, name = 'Dr Olga Petrova', email = 'olga@university.example'): Promise<BrowserClient> {
  return setUpAdministrator({ url: server.baseUrl, setupUrl: () => server.setupUrl }, email, name);
}

/** Creates a seminar and uploads its chapters (`name` is the file name: `.txt`, `.md`); returns the ids. */
export async function createSeminar(lecturer: BrowserClient, title: string, chapters: readonly { name: string; text: string }[]): Promise<{ seminarId: string; chapterIds: string[] }> {
  const seminarId = (await lecturer.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title }, 201)).seminar.id;
  const chapterIds: string[] = [];
  for (const { name, text } of chapters) {
    const created = await lecturer.json<{ chapter: { id: string } }>('POST', `/api/seminars/${seminarId}/chapters?name=${encodeURIComponent(name)}`, new TextEncoder().encode(text), 201);
    chapterIds.push(created.chapter.id);
  }
  return { seminarId, chapterIds };
}

/** Makes an invite link of the seminar with `role`; returns its token. */
export async function inviteToken(lecturer: BrowserClient, seminarId: string, role: Role): Promise<string> {
  return (await lecturer.json<{ token: string }>('POST', `/api/seminars/${seminarId}/invites`, { role }, 201)).token;
}

/** Someone who opens an invite link and joins as a guest named `name`. */
export async function joinAsGuest(baseUrl: string, token: string, name: string): Promise<SeminarMember> {
  const browser = new BrowserClient(baseUrl);
  const joined = await browser.json<{ userId: string }>('POST', `/api/join/${token}`, { as: 'guest', name });
  if (!browser.session) throw new Error(`joining as ${name} set no session cookie`);
  return { browser, session: { token: browser.session, userId: joined.userId, name } };
}
