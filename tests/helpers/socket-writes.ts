import * as Y from 'yjs';
import { BlockTable, createAnchorFromTextRange, projectYDoc, stateVectorCovers, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { Anchor } from '../../schema/index.ts';
import { connectClient, waitFor } from './yws-client.ts';

/**
 * Writing to a room as a stock y-websocket client would, for integration tests that need real
 * anchors and the server's verdict: anchor words of the chapter, then change the annotation
 * document and wait until the server stored the change (or refused it).
 */

/** Anchors the first occurrence of `words` in a room's chapter (read with `token`). */
export async function anchorWords(url: string, room: string, token: string, words: string): Promise<Anchor> {
  const text = connectClient({ url, room, kind: 'text', token });
  try {
    await text.synced();
    const at = projectYDoc(text.ydoc).text.indexOf(words);
    if (at < 0) throw new Error(`"${words}" is not in ${room}`);
    const anchor = createAnchorFromTextRange(new BlockTable(text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME)), { start: at, end: at + words.length });
    if (!anchor.ok) throw new Error(anchor.error);
    return anchor.value;
  } finally {
    text.destroy();
  }
}

/**
 * Changes a room's annotation document as the token's user; resolves with the server's refusals
 * (empty: stored). Waits until the change is acknowledged as stored, or refused.
 */
export async function writeAnnotations(url: string, room: string, token: string, change: (doc: Y.Doc) => void): Promise<string[]> {
  const client = connectClient({ url, room, kind: 'annotations', token });
  try {
    await client.synced();
    await client.stored();
    // The server answers every commit of this client's updates with a new MESSAGE_STORED (even a
    // deletion, which leaves the state vector as it was), and a refusal with permission-denied.
    const before = client.storedStateVector;
    change(client.ydoc);
    await waitFor(() => client.deniedReasons.length > 0 || (client.storedStateVector !== before && stateVectorCovers(client.storedStateVector!, Y.encodeStateVector(client.ydoc))), `${room}: the server to store or refuse the change`);
    return client.deniedReasons;
  } finally {
    client.destroy();
  }
}
