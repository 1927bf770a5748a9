import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { presenceLook } from '../../schema/index.ts';
import { inviteUserId } from '../helpers/access-builders.ts';
import { awarenessMessage, RawClient, waitUntil } from '../helpers/raw-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// A6 and S3 of docs/reliability.md: presence identity comes from the session, one client id per
// connection, bounded states, removed on disconnect.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('awareness', () => {
  let server: TestServer;
  const raws: RawClient[] = [];
  const stocks: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${encodeURIComponent(token)}` });
    raws.push(client);
    await client.sync();
    return client;
  };
  /** The latest state an observer has for a client id (null once removed, undefined if never seen). */
  const latest = (observer: RawClient, clientId: number) => observer.awareness.filter((e) => e.clientId === clientId).at(-1)?.state;
  const serverStates = () => server.collab.registry.open('chapter-5', 'text').awareness.getStates();

  beforeAll(async () => {
    server = await startTestServer({ awarenessPerSecond: 10, awarenessMaxBytes: 4096 });
  });
  afterEach(() => {
    for (const client of raws.splice(0)) client.close();
    for (const client of stocks.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('A6: stamps presence with the session’s identity whatever name or user id a client claims', async () => {
    const observer = await connect(server.invites.viewer);
    const spoofer = await connect(server.invites.annotator);
    spoofer.publishPresence({ user: { name: 'Instructor', userId: 'u-owner', role: 'owner', color: '#000000' }, cursor: { anchor: 1, head: 2 } });
    await waitUntil(() => latest(observer, spoofer.doc.clientID) !== undefined, 'the state to be relayed');
    const userId = inviteUserId(server.invites.annotator);
    expect(latest(observer, spoofer.doc.clientID)).toEqual({
      user: { userId, name: `Annotator ${userId.slice(-4)}`, role: 'annotator', slot: 0, colour: presenceLook(0).colour, color: presenceLook(0).colour },
      cursor: { anchor: 1, head: 2 },
    });
  });

  it('A6: drops states for another connection’s client id, a second id, or another’s removal', async () => {
    const observer = await connect(server.invites.viewer);
    const victim = await connect(server.invites.owner);
    const attacker = await connect(server.invites.annotator);
    victim.publishPresence({ cursor: 'victim' });
    await waitUntil(() => latest(observer, victim.doc.clientID) !== undefined, 'the victim’s state');
    attacker.send(awarenessMessage([{ clientId: victim.doc.clientID, clock: 99, state: { cursor: 'hijacked' } }]));
    attacker.send(awarenessMessage([{ clientId: victim.doc.clientID, clock: 100, state: null }]));
    attacker.publishPresence({ cursor: 'attacker' });
    attacker.send(awarenessMessage([{ clientId: 4242, clock: 1, state: { cursor: 'second id' } }]));
    // The attacker's own state was sent after the forged ones, on the same socket: once the
    // observer has it, the server has handled (and relayed or dropped) everything before it.
    await waitUntil(() => latest(observer, attacker.doc.clientID) !== undefined, 'the attacker’s own state');
    await attacker.barrier();
    expect(latest(observer, victim.doc.clientID)).toMatchObject({ cursor: 'victim' });
    expect(latest(observer, 4242)).toBeUndefined();
    expect(serverStates().get(victim.doc.clientID)).toMatchObject({ cursor: 'victim' });
    expect(serverStates().has(4242)).toBe(false);
    expect(server.access.guard.awareness.dropped.foreign).toBeGreaterThanOrEqual(3);
    expect(attacker.denied).toContain('you may publish only your own presence');
    expect(victim.denied).toEqual([]);
  });

  it('keeps stock y-websocket clients working: their echoes of others’ states are dropped, not punished', async () => {
    const alice = connectClient({ url: server.url, room: 'chapter-5', kind: 'text', token: server.invites.reviewer });
    const bob = connectClient({ url: server.url, room: 'chapter-5', kind: 'text', token: server.invites.annotator });
    stocks.push(alice, bob);
    await Promise.all([alice.synced(), bob.synced()]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice (claimed)', userId: 'u-fake', color: '#123456' });
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    const aliceId = inviteUserId(server.invites.reviewer);
    await waitUntil(() => (bob.provider.awareness.getStates().get(alice.ydoc.clientID)?.user as { userId?: string } | undefined)?.userId === aliceId, 'bob to see alice as the server says');
    expect(bob.provider.awareness.getStates().get(alice.ydoc.clientID)?.user).toMatchObject({ name: `Reviewer ${aliceId.slice(-4)}`, role: 'reviewer' });
    // Markers passed back and forth: each is sent after the echoes a client made of the other's
    // state, so once it has crossed, the server has handled those echoes, and any refusal or
    // close it sent the echoing client has reached it (each socket delivers in order).
    const sees = (viewer: TestClient, of: TestClient, marker: number) => viewer.provider.awareness.getStates().get(of.ydoc.clientID)?.marker === marker;
    bob.provider.awareness.setLocalStateField('marker', 1);
    await waitUntil(() => sees(alice, bob, 1), 'alice to see bob’s marker');
    alice.provider.awareness.setLocalStateField('marker', 1);
    await waitUntil(() => sees(bob, alice, 1), 'bob to see alice’s marker');
    bob.provider.awareness.setLocalStateField('marker', 2);
    await waitUntil(() => sees(alice, bob, 2), 'alice to see bob’s second marker');
    expect(alice.closes).toEqual([]);
    expect(bob.closes).toEqual([]);
    // Their echoes of each other's states are dropped without a word.
    expect(alice.deniedReasons).toEqual([]);
    expect(bob.deniedReasons).toEqual([]);
  });

  it('A6: removes a connection’s state when it disconnects, and lets its tab reclaim the id on reconnect', async () => {
    const observer = await connect(server.invites.viewer);
    const leaver = await connect(server.invites.annotator);
    leaver.publishPresence({ cursor: 'here' });
    await waitUntil(() => latest(observer, leaver.doc.clientID) !== undefined, 'the state');
    const id = leaver.doc.clientID;
    leaver.terminate();
    await waitUntil(() => latest(observer, id) === null, 'the removal to be relayed');
    expect(serverStates().has(id)).toBe(false);
    const back = await connect(server.invites.annotator);
    back.send(awarenessMessage([{ clientId: id, clock: 5, state: { cursor: 'back' } }]));
    await waitUntil(() => (latest(observer, id) as { cursor?: string } | null)?.cursor === 'back', 'the same tab to come back');
  });

  it('S3: drops huge states, coalesces a 100 Hz flood to the relay rate, and keeps only the latest', async () => {
    const observer = await connect(server.invites.viewer);
    const flooder = await connect(server.invites.annotator);
    const relayedBefore = observer.awareness.length;
    const huge = 'x'.repeat(64 * 1024);
    for (let i = 1; i <= 50; i++) {
      flooder.publishPresence({ blob: huge, i }, i);
      await sleep(10);
    }

    const started = Date.now();
    for (let i = 51; i <= 250; i++) {
      flooder.publishPresence({ cursor: i }, i);
      await sleep(10);
    }
    const seconds = (Date.now() - started) / 1000;
    await waitUntil(() => (latest(observer, flooder.doc.clientID) as { cursor?: number } | null)?.cursor === 250, 'the latest state to arrive');
    // The huge states were sent first, on the same socket: had one been relayed, it would be here by now.
    expect(observer.awareness.slice(relayedBefore).filter((e) => e.clientId === flooder.doc.clientID && (e.state as { blob?: string } | null)?.blob !== undefined)).toEqual([]);
    expect(server.access.guard.awareness.dropped.oversized).toBeGreaterThanOrEqual(50);
    const relayed = observer.awareness.slice(relayedBefore).filter((e) => e.clientId === flooder.doc.clientID).length;
    expect(relayed).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    expect(JSON.stringify(serverStates().get(flooder.doc.clientID)).length).toBeLessThanOrEqual(4096);
    flooder.close();
    await waitUntil(() => latest(observer, flooder.doc.clientID) === null, 'the flooder’s state to be removed');
  });

  it('gives the people present distinct slots, one per person whatever their tabs, and frees a slot when its holder leaves', async () => {
    const observer = await connect(server.invites.viewer);
    const slotOf = (client: RawClient) => (latest(observer, client.doc.clientID) as { user: { slot: number } } | null | undefined)?.user.slot;
    const publish = async (token: string) => {
      const client = await connect(token);
      client.publishPresence({ cursor: null });
      await waitUntil(() => slotOf(client) !== undefined, 'the state to be relayed');
      return client;
    };
    const owner = await publish(server.invites.owner);
    const ownerTab = await publish(server.invites.owner);
    const reviewer = await publish(server.invites.reviewer);
    const annotator = await publish(server.invites.annotator);
    expect(slotOf(ownerTab)).toBe(slotOf(owner));
    expect(new Set([slotOf(owner), slotOf(reviewer), slotOf(annotator)]).size).toBe(3);
    const freed = slotOf(reviewer)!;
    reviewer.close();
    await waitUntil(() => latest(observer, reviewer.doc.clientID) === null, 'the reviewer’s state to be removed');
    const newcomer = await publish(server.invites.viewer);
    // The viewer watching holds no slot (it published nothing), so the newcomer takes the reviewer's.
    expect(slotOf(newcomer)).toBe(freed);
    owner.close();
    await waitUntil(() => latest(observer, owner.doc.clientID) === null, 'the first owner tab to leave');
    ownerTab.publishPresence({ cursor: 1 }, 2);
    await waitUntil(() => (latest(observer, ownerTab.doc.clientID) as { cursor?: number } | null)?.cursor === 1, 'the second tab’s new state');
    expect(slotOf(ownerTab)).not.toBe(slotOf(annotator));
    expect(slotOf(ownerTab)).not.toBe(slotOf(newcomer));
  });
});
