import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_SYNC, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import { RawClient, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// Issue 20, busy room: a burst of updates stored in one batch went out as one message per update
// to every peer (k × n sends), which kept the loop busy for hundreds of milliseconds when 200
// clients' updates arrived together. A batch now goes to each peer as one merged update.

/** Sync updates (not step 1 or step 2) among the frames a client received. */
function syncUpdates(client: RawClient): Uint8Array[] {
  return client.frames.filter((frame) => frame[0] === MESSAGE_SYNC && frame[1] === 2);
}

/** The text of a replica's chapter, paragraph by paragraph. */
function chapterText(doc: Y.Doc): string {
  return doc.getXmlFragment(TEXT_FRAGMENT_NAME).toString();
}

describe('relaying a batch of stored updates', () => {
  let server: TestServer;
  const raws: RawClient[] = [];
  const raw = async (role: 'owner' | 'viewer'): Promise<RawClient> => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${encodeURIComponent(server.invites[role])}` });
    raws.push(client);
    await client.sync();
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of raws) client.close();
    await server?.close();
  });

  it('sends a burst that arrived together to each other peer as one update holding all of it', async () => {
    const owner = await raw('owner');
    const watchers = [await raw('viewer'), await raw('viewer')];
    const paragraph = owner.doc.getXmlFragment(TEXT_FRAGMENT_NAME).toArray().find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph')!;
    const text = paragraph.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText)!;
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array, origin: unknown) => origin !== 'server' && updates.push(update);
    owner.doc.on('update', record);
    for (let i = 0; i < 5; i++) owner.doc.transact(() => text.insert(0, `Burst ${i}. `));
    owner.doc.off('update', record);
    expect(updates).toHaveLength(5);

    // Five frames in one TCP write: the server reads them in one turn and stores them as one batch.
    const socket = (owner.ws as unknown as { _socket: import('node:net').Socket })._socket;
    const before = watchers.map((watcher) => syncUpdates(watcher).length);
    socket.cork();
    for (const update of updates) owner.send(syncUpdateMessage(update));
    process.nextTick(() => socket.uncork());

    for (const watcher of watchers) await waitUntil(() => chapterText(watcher.doc) === chapterText(owner.doc), 'the watcher to hold the whole burst');
    for (const [i, watcher] of watchers.entries()) {
      const received = syncUpdates(watcher).slice(before[i]);
      expect(received).toHaveLength(1);
    }
    // The sender gets none of it back: it is the only sender of the batch.
    await owner.barrier();
    expect(syncUpdates(owner)).toHaveLength(0);
  });
});
