import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAnnotations } from '../../schema/index.ts';
import { annotateAs } from '../helpers/access-builders.ts';
import { makeDataDir, readStoredDoc, spawnServer } from '../helpers/test-server.ts';
import type { ServerProcess } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// docs/reliability.md D1 at full size: a seminar of 20 writing real annotations (checked by the
// access layer, authorship stamped from each session), the server killed the moment the last
// one is acknowledged, the store read before anyone reconnects.
const CLIENTS = 20;
const PER_CLIENT = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the server has acknowledged everything this client itself wrote. */
function ownChangesStored(client: TestClient): boolean {
  if (!client.storedStateVector) return false;
  const own = Y.decodeStateVector(Y.encodeStateVector(client.ydoc)).get(client.ydoc.clientID) ?? 0;
  return (Y.decodeStateVector(client.storedStateVector).get(client.ydoc.clientID) ?? 0) >= own;
}

interface Student {
  token: string;
  userId: string;
  name: string;
}

/** Exchanges the annotator invite for a session of its own and names it. */
async function joinAsStudent(server: ServerProcess, n: number): Promise<Student> {
  const headers = { 'Content-Type': 'application/json' };
  const session = await fetch(`${server.url}/api/rooms/chapter-5/sessions`, {
    method: 'POST',
    headers: { ...headers, Authorization: `Bearer ${server.invites.annotator}` },
    body: '{}',
  });
  expect(session.status).toBe(201);
  const { token, userId } = (await session.json()) as { token: string; userId: string };
  const name = `Student ${n + 1}`;
  const renamed = await fetch(`${server.url}/api/rooms/chapter-5/me`, {
    method: 'PUT',
    headers: { ...headers, Authorization: `Bearer ${token}` },
    body: JSON.stringify({ name }),
  });
  expect(renamed.status).toBe(200);
  return { token, userId, name };
}

describe('a crash in the middle of a seminar', () => {
  const clients: TestClient[] = [];
  const processes: ServerProcess[] = [];
  const dataDirs: string[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    for (const p of processes.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const d of dataDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('D1: 20 clients create 1,000 annotations; after kill -9 at the last acknowledgement every one is stored, and after reconnecting all 1,000 are everywhere, once', async () => {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const server = await spawnServer(dataDir);
    processes.push(server);
    const students = await Promise.all(Array.from({ length: CLIENTS }, (_, n) => joinAsStudent(server, n)));
    const seminar = students.map((s) => connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: s.token }));
    clients.push(...seminar);
    await Promise.all(seminar.map((c) => c.synced(15_000)));

    // Everyone writes at once, a few annotations per tick, as a class would.
    await Promise.all(
      seminar.map(async (client, n) => {
        for (let k = 0; k < PER_CLIENT; k++) {
          annotateAs(client.ydoc, students[n]!, { note: `student ${n} annotation ${k}` });
          if (k % 5 === 4) await sleep(10);
        }
      }),
    );
    // "Saved" means a client's own changes are stored: the acknowledgement covers its own
    // clock (others' updates it has seen may still be waiting for their senders' fsync).
    await Promise.all(seminar.map((c) => waitFor(() => ownChangesStored(c), `${c.ydoc.clientID} to be acknowledged`, 20_000)));
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');

    const stored = listAnnotations(await readStoredDoc(dataDir, 'chapter-5/annotations'));
    expect(stored).toHaveLength(CLIENTS * PER_CLIENT);
    expect(new Set(stored.map((a) => a.note)).size).toBe(CLIENTS * PER_CLIENT);
    for (const [n, student] of students.entries()) {
      const theirs = stored.filter((a) => a.authorId === student.userId);
      expect(theirs, `${student.name}'s annotations`).toHaveLength(PER_CLIENT);
      expect(theirs.every((a) => a.authorName === student.name && a.note.startsWith(`student ${n} `))).toBe(true);
    }

    // The same replicas reconnect to the restarted server: nothing is doubled anywhere.
    const restarted = await spawnServer(dataDir);
    processes.push(restarted);
    const reconnected = seminar.map((old, n) => {
      old.provider.destroy();
      return connectClient({ url: restarted.url, room: 'chapter-5', kind: 'annotations', token: students[n]!.token, ydoc: old.ydoc });
    });
    clients.splice(0, clients.length, ...reconnected);
    const latecomer = connectClient({ url: restarted.url, room: 'chapter-5', kind: 'annotations', token: restarted.invites.viewer });
    clients.push(latecomer);
    await Promise.all([...reconnected, latecomer].map((c) => c.synced(15_000)));
    for (const replica of [...reconnected, latecomer]) {
      const seen = listAnnotations(replica.ydoc);
      expect(seen).toHaveLength(CLIENTS * PER_CLIENT);
      expect(new Set(seen.map((a) => a.id)).size).toBe(CLIENTS * PER_CLIENT);
    }
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
    expect(listAnnotations(await readStoredDoc(dataDir, 'chapter-5/annotations'))).toHaveLength(CLIENTS * PER_CLIENT);
  }, 90_000);
});
