import * as Y from 'yjs';
import { stateVectorCovers } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import { inviteUserId } from './access-builders.ts';
import { RawClient } from './raw-client.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

/**
 * What the hardening tests (issue 14) share: the identity an invite used directly gets, whether a
 * raw client's changes are all acknowledged as stored, and a set of servers and raw clients a
 * test starts, restarts and connects, stopped after each test.
 */

/** The user id and display name the server gives an invite used directly (`Annotator 1a2b`). */
export function inviteActor(token: string, role: Role): { userId: string; name: string } {
  const userId = inviteUserId(token);
  return { userId, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${userId.slice(-4)}` };
}

/** Whether the server has acknowledged as stored everything the raw client's replica holds. */
export function storedAll(client: RawClient): boolean {
  return client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc));
}

/**
 * The update a change makes on a copy of `source` (a client's replica) written under Yjs client id
 * `clientId`: how a hostile client writes under an id of its choosing without sending anything yet.
 */
export function updateUnder(source: Y.Doc, clientId: number, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
  replica.clientID = clientId;
  const updates: Uint8Array[] = [];
  replica.on('update', (update: Uint8Array) => updates.push(update));
  change(replica);
  replica.destroy();
  return Y.mergeUpdates(updates);
}

/** Servers and raw clients of one test file; `cleanup()` in `afterEach`. */
export class TestRig {
  readonly #servers: TestServer[] = [];
  readonly #clients: RawClient[] = [];

  /** Starts a test server (on its own DATA_DIR, or the given one). */
  async start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
    const server = await startTestServer(options);
    this.#servers.push(server);
    return server;
  }

  /** Stops a server keeping its data (a test may edit it then), and forgets it. */
  async stop(server: TestServer): Promise<void> {
    await server.stop({ keepData: true });
    this.#servers.splice(this.#servers.indexOf(server), 1);
  }

  /** Stops a server keeping its data and starts another on it. */
  async restart(server: TestServer): Promise<TestServer> {
    await this.stop(server);
    return this.start({ dataDir: server.dataDir });
  }

  /** Connects a raw client to chapter-5's annotations (acknowledging), synced unless `sync` is false. */
  async connect(server: TestServer, token: string, { sync = true, kind = 'annotations' }: { sync?: boolean; kind?: 'text' | 'annotations' } = {}): Promise<RawClient> {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/${kind}?token=${token}&acks=1` });
    this.#clients.push(client);
    if (sync) await client.sync();
    return client;
  }

  /** Closes every client and stops every server (deleting their data). */
  async cleanup(): Promise<void> {
    for (const client of this.#clients.splice(0)) client.close();
    for (const server of this.#servers.splice(0)) await server.stop();
  }
}
