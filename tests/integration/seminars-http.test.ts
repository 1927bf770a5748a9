import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE, createAnnotation, deleteAnnotation, listAnnotations, updateAnnotation } from '../../schema/index.ts';
import type { Annotation } from '../../schema/index.ts';
import { openDatabase } from '../../server/index.ts';
import { BrowserClient, PASSWORD, setUpAdministrator } from '../helpers/browser-client.ts';
import { buildDocx } from '../helpers/docx-builder.ts';
import { anchorWords, writeAnnotations } from '../helpers/socket-writes.ts';
import { readStoredDoc, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';

/**
 * Seminars over HTTP and the socket: members and roles across chapters, invite links, guests
 * who become one person with their account, uploads, and the security of each step.
 */

const chapterFile = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/chapter-5.txt'));
let server: TestServer;
let lecturer: BrowserClient;

beforeAll(async () => {
  // Every browser of the test shares 127.0.0.1: the per-address limit is not what is tested here.
  server = await startTestServer({ credentialCheckMs: 200, signInAttemptsPerAddress: 10_000 });
  lecturer = await setUpAdministrator(server);
});
afterAll(() => server.stop());

interface SeminarPage {
  seminar: { id: string; title: string };
  you: { role: string };
  chapters: { id: string; title: string; archived: boolean; yourRole: string; annotations: number; openProblems: number; lastActivityAt: string | null }[];
  members: { userId: string; name: string; role: string; isGuest: boolean; email?: string | null; chapterRoles?: Record<string, string> }[];
  invites: { id: string; role: string; label: string | null; state: string }[] | null;
}

async function newSeminar(owner: BrowserClient, title: string): Promise<string> {
  return (await owner.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title }, 201)).seminar.id;
}

async function upload(owner: BrowserClient, seminar: string, name: string, bytes: Uint8Array, query = ''): Promise<string> {
  return (await owner.json<{ chapter: { id: string } }>('POST', `/api/seminars/${seminar}/chapters?name=${encodeURIComponent(name)}${query}`, bytes, 201)).chapter.id;
}

async function invite(owner: BrowserClient, seminar: string, role: string, label?: string): Promise<{ token: string; invite: { id: string } }> {
  return owner.json('POST', `/api/seminars/${seminar}/invites`, { role, label }, 201);
}

/** A new guest who joined through an invite link, in a fresh browser. */
async function guestJoins(token: string, name: string): Promise<BrowserClient> {
  const guest = new BrowserClient(server.url);
  await guest.json('POST', `/api/join/${token}`, { as: 'guest', name });
  return guest;
}

async function annotate(browser: BrowserClient, room: string, words: string, note: string): Promise<Annotation> {
  const me = await browser.json<{ userId: string; name: string }>('GET', `/api/rooms/${room}/me`);
  const anchor = await anchorWords(server.url, room, browser.session!, words);
  let created: Annotation | null = null;
  const refusals = await writeAnnotations(server.url, room, browser.session!, (doc) => {
    const result = createAnnotation(doc, { kind: 'comment', note, anchor }, { actor: { userId: me.userId, name: me.name }, now: () => new Date() });
    if (!result.ok) throw new Error(result.errors.join('; '));
    created = result.value;
  });
  expect(refusals).toEqual([]);
  return created!;
}

describe('seminars, chapters and uploads', () => {
  it('previews an upload without creating anything, then creates the chapter from it', async () => {
    const seminar = await newSeminar(lecturer, 'History 204: The Soviet 1930s');
    const preview = await lecturer.json<{ preview: Record<string, unknown> }>('POST', `/api/seminars/${seminar}/chapters/preview?name=chapter-5.txt`, chapterFile);
    expect(preview.preview).toMatchObject({ format: 'typeset', title: '5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon', stats: { headings: 5, paragraphs: 36, footnotes: 36, pages: 16 }, findings: [], footnoteRange: [130, 165] });
    expect((await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).chapters).toEqual([]);
    const room = await upload(lecturer, seminar, 'chapter-5.txt', chapterFile);
    const page = await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`);
    expect(page.chapters).toMatchObject([{ id: room, title: '5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon', archived: false, yourRole: 'owner', annotations: 0, openProblems: 0 }]);
    expect(page.members).toMatchObject([{ name: 'Lena Lecturer', role: 'owner', isGuest: false, email: 'lecturer@example.org' }]);
  });

  it('refuses an empty, a binary and a damaged Word file with the importer’s message, creating nothing', async () => {
    const seminar = await newSeminar(lecturer, 'Uploads that fail');
    const cases: Array<[string, Uint8Array, string]> = [
      ['empty.txt', new Uint8Array(), 'The file is empty.'],
      ['blank.md', new TextEncoder().encode('\n \n'), 'The chapter text is empty.'],
      ['binary.txt', new Uint8Array([0, 1, 2, 3, 0, 255, 254]), 'This is not a text file'],
      ['broken.docx', (await buildDocx({ title: 'T', sections: [{ paragraphs: ['x'] }] })).slice(0, 300), 'damaged'],
    ];
    for (const [name, bytes, message] of cases) {
      for (const route of ['chapters/preview', 'chapters']) {
        const response = await lecturer.request('POST', `/api/seminars/${seminar}/${route}?name=${name}`, bytes);
        expect(response.status, `${route} ${name}`).toBe(400);
        expect(((await response.json()) as { error: string }).error).toContain(message);
      }
    }
    expect((await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).chapters).toEqual([]);
    expect((await lecturer.request('POST', `/api/seminars/${seminar}/chapters?name=x.txt`, { not: 'a file' })).status).toBe(415);
    expect((await lecturer.request('POST', `/api/seminars/${seminar}/chapters?name=x.txt`, new TextEncoder().encode('a'), { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('creates chapters from Markdown and Word files, Word footnotes as footnotes', async () => {
    const seminar = await newSeminar(lecturer, 'Formats');
    const docx = await buildDocx({ title: '8. Collectivisation', sections: [{ paragraphs: ['Procurement fell.[^1]'] }], footnotes: { 1: 'Davies, p. 12.' } });
    const preview = await lecturer.json<{ preview: Record<string, unknown> }>('POST', `/api/seminars/${seminar}/chapters/preview?name=eight.docx`, docx);
    expect(preview.preview).toMatchObject({ format: 'docx', title: '8. Collectivisation', findingsAt: 'paragraph', stats: { footnotes: 1, paragraphs: 1 } });
    await upload(lecturer, seminar, 'eight.docx', docx);
    await upload(lecturer, seminar, 'nine.md', new TextEncoder().encode('# 9. Terror\n\nText.[^1]\n\n[^1]: A note.\n'));
    const page = await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`);
    expect(page.chapters.map((c) => c.title)).toEqual(['8. Collectivisation', '9. Terror']);
  });

  it('renames and archives a chapter (read-only: everyone a viewer), and deletes it with its sockets and rows', async () => {
    const seminar = await newSeminar(lecturer, 'Chapter management');
    const room = await upload(lecturer, seminar, 'plan.md', new TextEncoder().encode('# Plan\n\nThe first plan.\n'));
    await lecturer.json('PUT', `/api/chapters/${room}`, { title: 'The Plan, revised' });
    await lecturer.json('PUT', `/api/chapters/${room}`, { archived: true });
    expect((await lecturer.json<{ role: string; archived: boolean }>('GET', `/api/rooms/${room}/me`))).toMatchObject({ role: 'viewer', archived: true });
    await lecturer.json('PUT', `/api/chapters/${room}`, { archived: false });
    const socket = connectClient({ url: server.url, room, kind: 'text', token: lecturer.session! });
    await socket.synced();
    // A blind round's layer is one of the chapter's stored documents too.
    const { round } = await lecturer.json<{ round: { id: number } }>('POST', `/api/rooms/${room}/rounds`, {}, 201);
    const { userId } = await lecturer.json<{ userId: string }>('GET', `/api/rooms/${room}/me`);
    const layer = connectClient({ url: server.url, room, kind: 'annotations', docPath: `${room}/rounds/${round.id}/${userId}`, token: lecturer.session! });
    await layer.synced();
    layer.ydoc.getMap('dismissed').set('finding-1', { by: userId, at: new Date().toISOString() });
    await layer.stored();
    layer.destroy();
    await lecturer.json('DELETE', `/api/chapters/${room}`);
    expect((await socket.closed(1000)).code).toBe(COLLAB_CLOSE.forbidden);
    socket.destroy();
    expect((await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).chapters).toEqual([]);
    expect((await lecturer.request('GET', `/api/rooms/${room}/me`)).status).toBe(403);
    const db = openDatabase(server.dataDir, 'NORMAL');
    try {
      for (const table of ['doc_snapshots', 'doc_updates']) expect(db.prepare(`SELECT count(*) AS n FROM ${table} WHERE doc LIKE ?`).get(`${room}/%`), table).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM rooms WHERE id = ?').get(room)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('members, roles and invite links', () => {
  it('keeps a member of seminar A out of seminar B and its chapters, over HTTP and the socket', async () => {
    const seminarA = await newSeminar(lecturer, 'Seminar A');
    const seminarB = await newSeminar(lecturer, 'Seminar B');
    const roomB = await upload(lecturer, seminarB, 'b.md', new TextEncoder().encode('# B\n\nSecret chapter text.\n'));
    const student = await guestJoins((await invite(lecturer, seminarA, 'annotator')).token, 'Alice in A');
    expect((await student.request('GET', `/api/seminars/${seminarB}`)).status).toBe(404);
    expect((await student.request('GET', `/api/rooms/${roomB}/me`)).status).toBe(403);
    expect((await student.request('GET', `/api/rooms/${roomB}/export?format=csv`)).status).toBe(403);
    expect((await student.request('POST', `/api/seminars/${seminarB}/invites`, { role: 'owner' })).status).toBe(404);
    expect((await student.request('POST', `/api/seminars/${seminarA}/invites`, { role: 'owner' })).status).toBe(403);
    expect((await student.request('DELETE', `/api/chapters/${roomB}`)).status).toBe(403);
    const socket = connectClient({ url: server.url, room: roomB, kind: 'text', token: student.session! });
    expect((await socket.closed()).code).toBe(COLLAB_CLOSE.forbidden);
    expect(socket.ydoc.getXmlFragment('prosemirror').length).toBe(0);
    socket.destroy();
  });

  it('closes a removed member’s open socket within a second', async () => {
    const seminar = await newSeminar(lecturer, 'Removal');
    const room = await upload(lecturer, seminar, 'r.md', new TextEncoder().encode('# R\n\nText to read.\n'));
    const student = await guestJoins((await invite(lecturer, seminar, 'annotator')).token, 'Bob Removed');
    const userId = (await student.json<{ userId: string }>('GET', `/api/rooms/${room}/me`)).userId;
    const socket = connectClient({ url: server.url, room, kind: 'annotations', token: student.session! });
    await socket.synced();
    const removedAt = performance.now();
    const removal = await lecturer.json<{ closedConnections: number }>('DELETE', `/api/seminars/${seminar}/members/${userId}`);
    const closed = await socket.closed(1000);
    const elapsed = performance.now() - removedAt;
    socket.destroy();
    expect(closed.code).toBe(COLLAB_CLOSE.forbidden);
    expect(elapsed).toBeLessThan(1000);
    expect(removal.closedConnections).toBe(1);
    expect((await student.request('GET', `/api/rooms/${room}/me`)).status).toBe(403);
  });

  it('applies a per-chapter role over the seminar role, and a seminar role change to every chapter', async () => {
    const seminar = await newSeminar(lecturer, 'Per-chapter roles');
    const one = await upload(lecturer, seminar, 'one.md', new TextEncoder().encode('# One\n\nText one.\n'));
    const two = await upload(lecturer, seminar, 'two.md', new TextEncoder().encode('# Two\n\nText two.\n'));
    const student = await guestJoins((await invite(lecturer, seminar, 'annotator')).token, 'Carla');
    const userId = (await student.json<{ userId: string }>('GET', `/api/rooms/${one}/me`)).userId;
    await lecturer.json('PUT', `/api/seminars/${seminar}/members/${userId}/chapters/${two}`, { role: 'reviewer' });
    expect((await student.json<{ role: string }>('GET', `/api/rooms/${one}/me`)).role).toBe('annotator');
    expect((await student.json<{ role: string }>('GET', `/api/rooms/${two}/me`)).role).toBe('reviewer');
    await lecturer.json('PUT', `/api/seminars/${seminar}/members/${userId}`, { role: 'viewer' });
    expect((await student.json<{ role: string }>('GET', `/api/rooms/${one}/me`)).role).toBe('viewer');
    const page = await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`);
    expect(page.members.find((m) => m.userId === userId)).toMatchObject({ role: 'viewer', isGuest: true, chapterRoles: { [two]: 'reviewer' } });
    const lecturerId = page.members.find((m) => m.role === 'owner')!.userId;
    expect((await lecturer.request('PUT', `/api/seminars/${seminar}/members/${lecturerId}`, { role: 'viewer' })).status).toBe(409);
  });

  it('lists invite links for owners only; a revoked link admits nobody, and who joined stays', async () => {
    const seminar = await newSeminar(lecturer, 'Invite links');
    const link = await invite(lecturer, seminar, 'annotator', 'Group B');
    const student = await guestJoins(link.token, 'Dora');
    expect((await student.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).invites).toBeNull();
    expect((await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).invites).toMatchObject([{ id: link.invite.id, role: 'annotator', label: 'Group B', state: 'active' }]);
    await lecturer.json('DELETE', `/api/seminars/${seminar}/invites/${link.invite.id}`);
    expect((await new BrowserClient(server.url).request('GET', `/api/join/${link.token}`)).status).toBe(404);
    expect((await new BrowserClient(server.url).request('POST', `/api/join/${link.token}`, { as: 'guest', name: 'Late' })).status).toBe(404);
    expect((await student.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).you.role).toBe('annotator');
  });
});

describe('one person on every device', () => {
  it('a guest who signs up keeps their user id and their annotations', async () => {
    const seminar = await newSeminar(lecturer, 'Guest signs up');
    const room = await upload(lecturer, seminar, 'chapter-5.txt', chapterFile);
    const guest = await guestJoins((await invite(lecturer, seminar, 'annotator')).token, 'Eva Guest');
    const before = await guest.json<{ userId: string }>('GET', `/api/rooms/${room}/me`);
    const annotation = await annotate(guest, room, 'moderate turn', 'As a guest');
    const signedUp = await guest.json<{ person: { userId: string; name: string } }>('POST', '/api/auth/sign-up', { email: 'eva@example.org', name: 'Eva Student', password: PASSWORD }, 201);
    expect(signedUp.person.userId).toBe(before.userId);
    const laptop = new BrowserClient(server.url);
    await laptop.json('POST', '/api/auth/sign-in', { email: 'eva@example.org', password: PASSWORD });
    const me = await laptop.json<{ userId: string; name: string; role: string }>('GET', `/api/rooms/${room}/me`);
    expect(me).toMatchObject({ userId: before.userId, name: 'Eva Student', role: 'annotator' });
    const refusals = await writeAnnotations(server.url, room, laptop.session!, (doc) => {
      const edited = updateAnnotation(doc, annotation.id, { note: 'Edited on the laptop' }, { actor: { userId: me.userId, name: me.name }, now: () => new Date() });
      if (!edited.ok) throw new Error(edited.errors.join('; '));
    });
    expect(refusals).toEqual([]);
  });

  it('a guest who signs in to an existing account becomes part of it: own annotations, one author, one roster entry', async () => {
    const seminar = await newSeminar(lecturer, 'Guest signs in');
    const room = await upload(lecturer, seminar, 'chapter-5.txt', chapterFile);
    const link = await invite(lecturer, seminar, 'annotator');
    const phone = new BrowserClient(server.url);
    await phone.json('POST', '/api/auth/sign-up', { email: 'finn@example.org', name: 'Finn', password: PASSWORD, invite: link.token }, 201);
    const account = await phone.json<{ userId: string }>('GET', `/api/rooms/${room}/me`);
    await annotate(phone, room, 'Machinery and tractor stations', 'From my account');

    const laptop = await guestJoins(link.token, 'Finn (guest)');
    const guestAnnotation = await annotate(laptop, room, 'moderate turn', 'As a guest on the laptop');
    await laptop.json('POST', '/api/auth/sign-in', { email: 'finn@example.org', password: PASSWORD });
    const me = await laptop.json<{ userId: string; identities: string[] }>('GET', `/api/rooms/${room}/me`);
    expect(me.userId).toBe(account.userId);
    expect(me.identities).toContain(guestAnnotation.authorId);

    // Edited from the phone, which was never a guest: the server counts it as Finn's own.
    const refusals = await writeAnnotations(server.url, room, phone.session!, (doc) => {
      const edited = updateAnnotation(doc, guestAnnotation.id, { note: 'Edited on the phone' }, { actor: { userId: account.userId, name: 'Finn' }, now: () => new Date() });
      if (!edited.ok) throw new Error(edited.errors.join('; '));
    });
    expect(refusals).toEqual([]);

    const page = await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`);
    expect(page.members.filter((m) => m.name.startsWith('Finn'))).toMatchObject([{ userId: account.userId, name: 'Finn', isGuest: false }]);
    const people = await phone.json<{ people: Record<string, { userId: string; name: string }> }>('GET', `/api/rooms/${room}/people?ids=${guestAnnotation.authorId},${account.userId}`);
    expect(people.people).toEqual({ [guestAnnotation.authorId]: { userId: account.userId, name: 'Finn' }, [account.userId]: { userId: account.userId, name: 'Finn' } });
    const csv = await (await lecturer.get(`/api/rooms/${room}/export?format=native`)).json() as { annotations: { authorId: string; authorName: string }[] };
    expect(new Set(csv.annotations.map((a) => `${a.authorId} ${a.authorName}`))).toEqual(new Set([`${account.userId} Finn`]));

    // And nobody else may touch it: another student's delete is refused.
    const other = await guestJoins(link.token, 'Gus');
    const gus = await other.json<{ userId: string; name: string }>('GET', `/api/rooms/${room}/me`);
    const refused = await writeAnnotations(server.url, room, other.session!, (doc) => {
      deleteAnnotation(doc, guestAnnotation.id, { actor: { userId: gus.userId, name: gus.name }, now: () => new Date() });
    });
    expect(refused.length).toBeGreaterThan(0);
    const stored = listAnnotations(await readStoredDoc(server.dataDir, `${room}/annotations`));
    expect(stored.find((a) => a.id === guestAnnotation.id)?.note).toBe('Edited on the phone');
  });

  it('counts annotations and open problems on the seminar page', async () => {
    const seminar = await newSeminar(lecturer, 'Figures');
    const room = await upload(lecturer, seminar, 'chapter-5.txt', chapterFile);
    await annotate(lecturer, room, 'moderate turn', 'One');
    const anchor = await anchorWords(server.url, room, lecturer.session!, 'RAPPists');
    const me = await lecturer.json<{ userId: string; name: string }>('GET', `/api/rooms/${room}/me`);
    await writeAnnotations(server.url, room, lecturer.session!, (doc) => {
      createAnnotation(doc, { kind: 'problem', problemType: 'transliteration', anchor, note: 'RAPP' }, { actor: me, now: () => new Date() });
    });
    await expect.poll(async () => (await lecturer.json<SeminarPage>('GET', `/api/seminars/${seminar}`)).chapters[0], { timeout: 8000 }).toMatchObject({ annotations: 2, openProblems: 1, lastActivityAt: expect.any(String) });
  });
});
