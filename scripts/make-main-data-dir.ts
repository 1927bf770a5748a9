// Makes the DATA_DIR fixture of the schema-migration tests (tests/fixtures/data-dir-main/): a
// server of main as it was before accounts and seminars (schema version 2) is started on an
// empty directory and used the way people used it — rooms created with the admin token, invites
// made, labelled, given an expiry and revoked, browser and program sessions, display names,
// annotations, replies and a status change — then stopped, and its database and secret copied
// into the fixture with a manifest of what they hold.
//
// It was run at the commit that added it (before migration 3 existed); the committed files are
// that run's output. Running it again at a later commit makes a database of that commit's
// schema, which is a different fixture: keep the committed one, add a new folder.
//
//   node --import tsx scripts/make-main-data-dir.ts [out-dir]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { addReply, BlockTable, createAnchorFromTextRange, createAnnotation, projectYDoc, resolveAnnotation, TEXT_FRAGMENT_NAME } from '../schema/index.ts';
import type { NewAnnotation } from '../schema/index.ts';
import { createCollectingLogger, openDatabase, startServer } from '../server/index.ts';
import { connectClient } from '../tests/helpers/yws-client.ts';

const projectRoot = path.resolve(import.meta.dirname, '..');
const { positionals } = parseArgs({ allowPositionals: true });
const outDir = path.resolve(positionals[0] ?? path.join(projectRoot, 'tests/fixtures/data-dir-main'));
const ADMIN_TOKEN = 'fixture-admin-token-0123456789';
const SECOND_CHAPTER = `7. A Short Second Chapter

The Plan

The first plan was announced in 1928.¹ It was declared fulfilled early.²

1 Davies R.W., The Industrialisation of Soviet Russia, vol. 1 (London, 1980), p. 12.
2 Ibid., p. 40.
`;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-fixture-'));
// Sessions made for the fixture live a century, so the tests can use them in any year.
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, adminToken: ADMIN_TOKEN, logger: createCollectingLogger(), sessionTtlMs: 100 * 365 * 24 * 3600 * 1000 });
const invites = server.defaultRoom!.invites;

async function api(pathname: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${server.url}${pathname}`, { ...init, headers, redirect: 'manual' });
  if (response.status >= 400) throw new Error(`${init.method ?? 'GET'} ${pathname}: ${response.status} ${await response.text()}`);
  return response;
}

// Rooms: the default one (chapter-5) and one made through the admin API.
const second = (await (await api('/api/rooms', { method: 'POST', token: ADMIN_TOKEN, body: JSON.stringify({ id: 'second-chapter', title: 'Second chapter', text: SECOND_CHAPTER }) })).json()) as { invites: Record<string, string> };

// Sessions: a browser one (the cookie of an invite link) and a program's (exchanged invite).
const browser = await api(`/r/chapter-5?invite=${encodeURIComponent(invites.annotator)}`);
const browserToken = decodeURIComponent(/ap_session=([^;]+)/.exec(browser.headers.get('set-cookie') ?? '')![1]!);
const program = (await (await api('/api/rooms/chapter-5/sessions', { method: 'POST', token: invites.reviewer })).json()) as { token: string; userId: string };
await api('/api/rooms/chapter-5/me', { method: 'PUT', token: browserToken, body: JSON.stringify({ name: 'Ada Legacy' }) });
await api('/api/rooms/chapter-5/me', { method: 'PUT', token: program.token, body: JSON.stringify({ name: 'Rita Legacy' }) });
const ada = (await (await api('/api/rooms/chapter-5/me', { token: browserToken })).json()) as { userId: string; name: string };

// Invites: a labelled expiring one, and one revoked.
const labelled = (await (await api('/api/rooms/chapter-5/invites', { method: 'POST', token: invites.owner, body: JSON.stringify({ role: 'annotator', label: 'Seminar group B', expiresInSeconds: 300 * 24 * 3600 }) })).json()) as { token: string; invite: { id: string } };
const revoked = (await (await api('/api/rooms/chapter-5/invites', { method: 'POST', token: invites.owner, body: JSON.stringify({ role: 'viewer', label: 'Leaked link' }) })).json()) as { token: string; invite: { id: string } };
await api(`/api/rooms/chapter-5/invites/${revoked.invite.id}`, { method: 'DELETE', token: invites.owner });

/** Anchors `words` in a room's chapter. */
async function anchorOf(room: string, token: string, words: string) {
  const text = connectClient({ url: server.url, room, kind: 'text', token });
  await text.synced();
  const at = projectYDoc(text.ydoc).text.indexOf(words);
  const anchor = createAnchorFromTextRange(new BlockTable(text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME)), { start: at, end: at + words.length });
  text.destroy();
  if (at < 0 || !anchor.ok) throw new Error(`cannot anchor "${words}"`);
  return anchor.value;
}

/** Writes through a stock provider as the token's user and waits until the server stored it. */
async function write(room: string, token: string, change: (doc: Y.Doc) => void): Promise<void> {
  const client = connectClient({ url: server.url, room, kind: 'annotations', token });
  await client.synced();
  change(client.ydoc);
  await client.stored();
  if (client.deniedReasons.length > 0) throw new Error(client.deniedReasons.join('; '));
  client.destroy();
}

const adaContext = { actor: { userId: ada.userId, name: 'Ada Legacy' }, now: () => new Date() };
const ritaContext = { actor: { userId: program.userId, name: 'Rita Legacy' }, now: () => new Date() };
const annotationIds: Record<string, string[]> = { 'chapter-5': [], 'second-chapter': [] };
const inputs: Array<[string, Omit<NewAnnotation, 'anchor'>]> = [
  ['moderate turn', { kind: 'claim', claimStatus: 'contested', note: 'Who called it moderate?' }],
  ['Machinery and tractor stations were set up', { kind: 'claim', claimStatus: 'sourced', note: 'Sourced in the footnotes.' }],
  ['RAPPists', { kind: 'problem', problemType: 'transliteration', correction: 'RAPP members', note: 'Transliteration drift.' }],
];
for (const [words, input] of inputs) {
  const anchor = await anchorOf('chapter-5', browserToken, words);
  await write('chapter-5', browserToken, (doc) => {
    const created = createAnnotation(doc, { ...input, anchor }, adaContext);
    if (!created.ok) throw new Error(created.errors.join('; '));
    annotationIds['chapter-5']!.push(created.value.id);
  });
}
await write('chapter-5', program.token, (doc) => {
  const reply = addReply(doc, { annotationId: annotationIds['chapter-5']![0]!, body: 'Khlevniuk calls it that.' }, ritaContext);
  if (!reply.ok) throw new Error(reply.errors.join('; '));
  const resolved = resolveAnnotation(doc, annotationIds['chapter-5']![1]!, ritaContext);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
});
// A program writing with an invite used directly (its user is derived from the invite).
const secondOwner = (await (await api('/api/rooms/second-chapter/me', { token: second.invites.owner! })).json()) as { userId: string; name: string };
const ownerAnchor = await anchorOf('second-chapter', second.invites.owner!, 'declared fulfilled early');
await write('second-chapter', second.invites.owner!, (doc) => {
  const created = createAnnotation(doc, { kind: 'comment', note: 'Check the date.', anchor: ownerAnchor }, { actor: secondOwner, now: () => new Date() });
  if (!created.ok) throw new Error(created.errors.join('; '));
  annotationIds['second-chapter']!.push(created.value.id);
});
await server.close();

const db = openDatabase(dataDir, 'FULL');
const userVersion = db.pragma('user_version', { simple: true }) as number;
const rooms = db.prepare('SELECT id, title FROM rooms ORDER BY id').all();
const inviteRows = db.prepare('SELECT room, role, label, revoked, expires_at FROM invites ORDER BY room, created_at, role').all();
const counts = db.prepare('SELECT doc, COUNT(*) AS updates FROM doc_updates GROUP BY doc ORDER BY doc').all();
db.close();

mkdirSync(outDir, { recursive: true });
for (const file of ['apparatus.sqlite', 'server-secret']) copyFileSync(path.join(dataDir, file), path.join(outDir, file));
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
const manifest = {
  note: 'Made by scripts/make-main-data-dir.ts with the server of the commit below (schema version 2, before accounts and seminars).',
  madeAtCommit: commit,
  userVersion,
  adminToken: ADMIN_TOKEN,
  rooms,
  invites: inviteRows,
  updateCounts: counts,
  defaultRoomInvites: invites,
  secondRoomInvites: second.invites,
  labelledInvite: { token: labelled.token, id: labelled.invite.id, label: 'Seminar group B' },
  revokedInvite: { token: revoked.token, id: revoked.invite.id },
  browserSession: { token: browserToken, userId: ada.userId, name: 'Ada Legacy' },
  programSession: { token: program.token, userId: program.userId, name: 'Rita Legacy' },
  annotations: annotationIds,
  sizeOfDatabase: readFileSync(path.join(outDir, 'apparatus.sqlite')).byteLength,
};
writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`fixture written to ${path.relative(projectRoot, outDir)} (schema version ${userVersion})\n`);
