import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentJsonUpdate, deeplyNestedJson } from '../helpers/hostile-updates.ts';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from '../../schema/index.ts';
import { message, RawClient, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// P3 of RELIABILITY.md (issue 14, attack 3): JSON nested millions of levels deep, under the
// payload limit, as presence or inside an update, from a viewer and from an annotator. Checked
// before anything parses it: the test watches JSON.parse in the server's process and asserts
// the hostile text never reaches it. How long /healthz took meanwhile is printed, not asserted
// (bench/heavy-requests.ts measures it).

const MiB = 1024 * 1024;
/** Just under 4 MiB with its framing: the default payload limit lets it through. */
const DEPTH = 1_900_000;

describe('P3: deeply nested JSON', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  /** Lengths of every string of 1 MiB or more handed to JSON.parse while a test ran. */
  let bigParses: number[] = [];
  const parse = JSON.parse;

  const connect = async (token: string, kind: 'text' | 'annotations' = 'annotations') => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/${kind}?token=${token}` });
    clients.push(client);
    await client.sync();
    return client;
  };
  /** Times /healthz round trips until `during` settles; returns the slowest, in ms. */
  const slowestHealth = async (during: Promise<unknown>) => {
    let running = true;
    void during.finally(() => (running = false));
    let slowest = 0;
    while (running) {
      const started = performance.now();
      await fetch(`${server.url}/healthz`);
      slowest = Math.max(slowest, performance.now() - started);
    }
    return Math.round(slowest);
  };

  beforeAll(async () => {
    server = await startTestServer();
    vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      if (typeof text === 'string' && text.length >= MiB) bigParses.push(text.length);
      return parse(text, reviver);
    });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    bigParses = [];
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.stop();
  });

  it('P3: drops a viewer’s presence state nested two million levels deep without parsing it, and keeps relaying others', async () => {
    const observer = await connect(server.invites.reviewer, 'text');
    const viewers = await Promise.all(Array.from({ length: 4 }, () => connect(server.invites.viewer, 'text')));
    const framesBefore = viewers.map((viewer) => viewer.frames.length);
    for (const viewer of viewers) {
      viewer.send(nestedPresence(viewer.doc.clientID));
      // Answered only once the frame before it was handled.
      viewer.queryAwareness();
    }
    const handled = waitUntil(() => viewers.every((viewer, i) => viewer.frames.length > framesBefore[i]!), 'answers to the viewers’ queries', 30_000);
    const slowest = await slowestHealth(handled);
    await handled;
    const honest = await connect(server.invites.annotator, 'text');
    honest.publishPresence({ cursor: 'here' });
    await waitUntil(() => observer.awareness.some((e) => e.clientId === honest.doc.clientID), 'an honest presence to be relayed');
    console.log(`P3 presence: slowest /healthz during 4 × ${(nestedPresence(1).byteLength / MiB).toFixed(1)} MiB nested states: ${slowest} ms`);
    expect(bigParses).toEqual([]);
    expect(observer.awareness.filter((e) => viewers.some((v) => v.doc.clientID === e.clientId))).toEqual([]);
    expect(viewers.every((viewer) => viewer.open)).toBe(true);
  }, 60_000);

  it('P3: refuses a viewer’s update carrying nested JSON without decoding it, telling the viewer why', async () => {
    const viewer = await connect(server.invites.viewer);
    const update = contentJsonUpdate(viewer.doc.clientID, 0, 'annotations', 'deep', deeplyNestedJson(DEPTH));
    viewer.send(syncUpdateMessage(update));
    expect(await viewer.deniedAtLeast(1, 20_000)).toEqual(['viewers cannot change this room']);
    expect(bigParses).toEqual([]);
    expect(viewer.open).toBe(true);
  }, 60_000);

  it('P3: refuses an annotator’s update whose JSON nests deeper than 64 levels before decoding it', async () => {
    const annotator = await connect(server.invites.annotator);
    const update = contentJsonUpdate(annotator.doc.clientID, 0, 'annotations', 'deep', deeplyNestedJson(DEPTH));
    annotator.send(syncUpdateMessage(update));
    const [reason] = await annotator.deniedAtLeast(1, 20_000);
    expect(reason).toMatch(/nests deeper than 64 levels/);
    expect(bigParses).toEqual([]);
    expect(server.collab.registry.open('chapter-5', 'annotations').ydoc.getMap('annotations').has('deep')).toBe(false);
  }, 60_000);

  it('P3: answers a 2 MB nested JSON body with 400 before parsing it', async () => {
    const body = `{"id":"deep-room","text":${deeplyNestedJson(MiB - 100)}}`;
    const response = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/deeper than 64 levels/);
    expect(bigParses).toEqual([]);
  });
});

/** An awareness message whose one state is JSON nested DEPTH levels deep (~3.6 MiB), encoded by hand (no stringify). */
function nestedPresence(clientId: number): Uint8Array {
  return message(MESSAGE_AWARENESS, (outer) => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, deeplyNestedJson(DEPTH));
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  });
}
