import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeDataDir, readStoredDoc, spawnServer } from '../helpers/test-server.ts';
import type { ServerProcess } from '../helpers/test-server.ts';
import { annotationIds, callApi, namedSession, RoundReader, startRound } from '../helpers/round-readers.ts';
import { waitFor } from '../helpers/yws-client.ts';

const ROOM = 'chapter-5';

/**
 * kill -9 during a reveal (docs/seminar-view.md): the server is made to wait at a phase of the
 * reveal (APPARATUS_TEST_REVEAL_PAUSE, server/rounds/reveal-pause.ts) and killed there; on the
 * next start the round is revealed with every annotation exactly once.
 */
describe('a reveal interrupted by kill -9', () => {
  const processes: ServerProcess[] = [];
  const readers: RoundReader[] = [];
  const dataDirs: string[] = [];
  afterEach(() => {
    for (const reader of readers.splice(0)) reader.leave();
    for (const proc of processes.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A server that pauses the reveal at `phase`, a round with four claims by three students; the reveal started and the server killed at the pause. */
  async function killDuringReveal(phase: 'marked' | 'merged'): Promise<{ dataDir: string; roundId: number; claims: string[]; ownerInvite: string }> {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const proc = await spawnServer(dataDir, { APPARATUS_TEST_REVEAL_PAUSE: phase });
    processes.push(proc);
    const owner = await namedSession(proc.url, ROOM, proc.invites.owner, 'Dr Lee');
    const round = await startRound(proc.url, ROOM, owner.token);
    const students = await Promise.all(['Ada', 'Boris', 'Chen'].map((name) => namedSession(proc.url, ROOM, proc.invites.annotator, name)));
    const joined = await Promise.all(students.map((s) => RoundReader.join(proc.url, ROOM, round.id, s)));
    readers.push(...joined);
    const claims = [
      joined[0]!.tag('So they decided to first alter their economic and social policies', 'sourced'),
      joined[1]!.tag('So they decided to first alter their economic and social policies', 'contested'),
      joined[2]!.tag('more than 90,000 court rulings were vacated', 'interpretive'),
      joined[2]!.tag('So they decided to first alter their economic and social policies', 'sourced'),
    ];
    await Promise.all(joined.map((reader) => reader.layer.stored()));
    void callApi(proc.url, `/api/rooms/${ROOM}/rounds/${round.id}/reveal`, owner.token, 'POST').catch(() => {});
    await waitFor(() => proc.output().includes('round.reveal-paused'), 'the reveal to reach its pause', 10_000);
    proc.child.kill('SIGKILL');
    expect((await proc.exited).signal).toBe('SIGKILL');
    for (const reader of readers.splice(0)) reader.leave();
    return { dataDir, roundId: round.id, claims, ownerInvite: proc.invites.owner };
  }

  it('killed after the merge was stored: the restart finishes the reveal without writing the merge again', async () => {
    const { dataDir, roundId, claims, ownerInvite } = await killDuringReveal('merged');
    const stored = await readStoredDoc(dataDir, `${ROOM}/annotations`);
    expect(annotationIds(stored)).toEqual([...claims].sort());
    const vectorAtKill = Y.encodeStateVector(stored);

    const proc = await restartRevealed(dataDir, roundId, ownerInvite);
    const again = await callApi(proc.url, `/api/rooms/${ROOM}/rounds/${roundId}/reveal`, ownerInvite, 'POST');
    expect(again.body).toMatchObject({ round: { state: 'revealed', revealed: 4 }, merged: 0 });
    proc.child.kill('SIGTERM');
    await proc.exited;
    const after = await readStoredDoc(dataDir, `${ROOM}/annotations`);
    expect(annotationIds(after)).toEqual([...claims].sort());
    // Nothing was written to the shared layer after the kill: no doubled entries.
    expect(Y.encodeStateVector(after)).toEqual(vectorAtKill);
  });

  it('killed before anything was merged: the restart merges every annotation once', async () => {
    const { dataDir, roundId, claims, ownerInvite } = await killDuringReveal('marked');
    expect(annotationIds(await readStoredDoc(dataDir, `${ROOM}/annotations`))).toEqual([]);
    const proc = await restartRevealed(dataDir, roundId, ownerInvite);
    const view = await callApi(proc.url, `/api/rooms/${ROOM}/round`, ownerInvite);
    expect(view.body.round).toMatchObject({ id: roundId, state: 'revealed', revealed: 4 });
    proc.child.kill('SIGTERM');
    await proc.exited;
    expect(annotationIds(await readStoredDoc(dataDir, `${ROOM}/annotations`))).toEqual([...claims].sort());
  });

  /** Restarts on the same data (no pause) and waits until the round reads revealed. */
  async function restartRevealed(dataDir: string, roundId: number, ownerInvite: string): Promise<ServerProcess> {
    const proc = await spawnServer(dataDir);
    processes.push(proc);
    const until = Date.now() + 15_000;
    for (;;) {
      const view = await callApi(proc.url, `/api/rooms/${ROOM}/round`, ownerInvite);
      if (view.body.round?.id === roundId && view.body.round.state === 'revealed') return proc;
      if (Date.now() > until) throw new Error(`round ${roundId} is ${view.body.round?.state} 15 s after the restart:\n${proc.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
