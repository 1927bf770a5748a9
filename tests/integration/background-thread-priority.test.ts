import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SnapshotChecker } from '../../server/persistence/snapshot-checker.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// Issue 20, busy room: the benchmark pins a server to one core, and there a compaction's worker
// thread took half the core from the event loop while it ran (a 288 ms stall in which the loop's
// thread got 140 ms of CPU). Compaction, exports and imports now run at the lowest priority, so
// the loop's thread gets the core whenever it wants it. On Linux the nice value is per thread.

/** The nice value of each thread of this process, by thread id (Linux /proc). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Fields after "(comm) ": state is field 3, nice field 19.
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      nices.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nices;
}

const lowest = () => [...threadNices().values()].filter((nice) => nice === 19).length;

describe.runIf(process.platform === 'linux')('background work runs below the event loop', () => {
  let server: TestServer | null = null;
  const checker = new SnapshotChecker();
  afterAll(async () => {
    checker.close();
    await server?.close();
  });

  it('runs compaction’s snapshot check and the heavy-work threads at nice 19, the event loop at its own', async () => {
    const before = lowest();
    const mainNice = threadNices().get(process.pid);

    const doc = new Y.Doc();
    doc.getMap('annotations').set('a', 1);
    const assembled = await checker.assemble([Y.encodeStateAsUpdate(doc)]);
    expect(assembled.ok).toBe(true);
    expect(lowest()).toBe(before + 1);

    server = await startTestServer();
    const response = await fetch(`${server.url}/api/rooms/chapter-5/export?format=w3c`, { headers: { authorization: `Bearer ${server.invites.owner}` } });
    expect(response.status).toBe(200);
    expect(lowest()).toBeGreaterThanOrEqual(before + 2);
    // The event loop's thread keeps the priority it had.
    expect(threadNices().get(process.pid)).toBe(mainNice);
  });
});
