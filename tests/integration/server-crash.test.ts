import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stateVectorCovers } from '../../schema/index.ts';
import { makeDataDir, readStoredDoc, spawnServer } from '../helpers/test-server.ts';
import type { ServerProcess } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import { inviteUserId } from '../helpers/access-builders.ts';
import type { TestClient } from '../helpers/yws-client.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The server checks every write against the annotation layout and stamps authorship from the
// session, so each edit here is a dismissal (`{by, at}`) by the invite's own user; `at` carries
// the edit's number as milliseconds, to check each one arrived intact.
type Dismissal = { by: string; at: string };
const dismissal = (token: string, i: number): Dismissal => ({ by: inviteUserId(token), at: new Date(Date.UTC(2025, 0, 1) + i).toISOString() });

describe('crashes and shutdowns of the server process', () => {
  const processes: ServerProcess[] = [];
  const clients: TestClient[] = [];
  const dataDirs: string[] = [];
  const connect = (proc: ServerProcess, token: string) => {
    const c = connectClient({ url: proc.url, room: 'chapter-5', kind: 'annotations', token });
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    for (const p of processes.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const d of dataDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('D1: 300 relayed and acknowledged edits survive kill -9, in the store before any client reconnects', async () => {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const proc = await spawnServer(dataDir);
    processes.push(proc);
    const writer = connect(proc, proc.invites.annotator);
    const watcher = connect(proc, proc.invites.viewer);
    await Promise.all([writer.synced(), watcher.synced()]);
    const edits = writer.ydoc.getMap<Dismissal>('dismissed');
    for (let i = 0; i < 300; i++) {
      writer.ydoc.transact(() => edits.set(`edit-${i}`, dismissal(proc.invites.annotator, i)), 'test');
      if (i % 25 === 24) await sleep(2);
    }
    await waitFor(() => watcher.ydoc.getMap('dismissed').size === 300, 'all 300 edits to be relayed');
    await writer.stored();

    proc.child.kill('SIGKILL');
    expect((await proc.exited).signal).toBe('SIGKILL');
    const stored = await readStoredDoc(dataDir, 'chapter-5/annotations');
    const storedEdits = stored.getMap<Dismissal>('dismissed');
    expect(storedEdits.size).toBe(300);
    for (let i = 0; i < 300; i++) expect(storedEdits.get(`edit-${i}`)).toEqual(dismissal(proc.invites.annotator, i));
    expect(stateVectorCovers(Y.encodeStateVector(stored), writer.storedStateVector ?? new Uint8Array())).toBe(true);

    const restarted = await spawnServer(dataDir);
    processes.push(restarted);
    const reader = connect(restarted, restarted.invites.viewer);
    await reader.synced();
    expect(reader.ydoc.getMap('dismissed').size).toBe(300);
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
  });

  it('D2: SIGTERM during edits by several clients exits cleanly within 10 s, losing nothing acknowledged', async () => {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const proc = await spawnServer(dataDir);
    processes.push(proc);
    const tokens = [proc.invites.owner, proc.invites.reviewer, proc.invites.annotator, proc.invites.annotator];
    const editors = tokens.map((token) => connect(proc, token));
    await Promise.all(editors.map((c) => c.synced()));

    let editing = true;
    const loops = editors.map(async (c, n) => {
      for (let i = 0; editing && c.closes.length === 0; i++) {
        c.ydoc.transact(() => c.ydoc.getMap<Dismissal>('dismissed').set(`editor-${n}-${i}`, dismissal(tokens[n]!, i)), 'test');
        await sleep(3);
      }
    });
    await sleep(400);
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    const elapsed = Date.now() - signalledAt;
    editing = false;
    await Promise.all(loops);

    expect(exit.code).toBe(0);
    expect(elapsed).toBeLessThan(10_000);
    expect(proc.output()).toMatch(/server\.stopped flushed=true/);
    for (const c of editors) expect(c.closes[0]?.code).toBe(1001);
    const stored = await readStoredDoc(dataDir, 'chapter-5/annotations');
    const storedVector = Y.encodeStateVector(stored);
    for (const [n, c] of editors.entries()) {
      expect(c.storedStateVector, `editor ${n} was acknowledged at least once`).not.toBeNull();
      expect(stateVectorCovers(storedVector, c.storedStateVector ?? new Uint8Array()), `editor ${n}'s acknowledged edits are stored`).toBe(true);
      expect([...stored.getMap('dismissed').keys()].some((key) => key.startsWith(`editor-${n}-`))).toBe(true);
    }
  });
});
