import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createAnnotation, importChapter, MESSAGE_STORED, stateVectorCovers, updateAnnotation } from '../../schema/index.ts';
import { encodeChapterSeed } from '../../server/index.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool } from './annotation-stamps.ts';
import { PROJECT_ROOT } from './machine-info.ts';

/** The fixture chapter as the server seeds it, for the annotations' anchors. */
function chapterTextDoc(): Y.Doc {
  const imported = importChapter(readFileSync(path.join(PROJECT_ROOT, 'fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, encodeChapterSeed(imported.doc));
  return ydoc;
}

/**
 * Real Yjs updates as clients make them, one per transaction, through the schema's operations
 * as `actor` (the access layer refuses anything else): `created` annotations, then edits of
 * their notes until `count` updates exist.
 */
export function annotationUpdates(count: number, created: number, actor: { userId: string; name: string }, seed = 3): Uint8Array[] {
  const anchors = anchorPool(chapterTextDoc(), 500, mulberry32(seed));
  const ydoc = new Y.Doc();
  const updates: Uint8Array[] = [];
  ydoc.on('update', (update: Uint8Array) => updates.push(update));
  const context = { actor, now: () => new Date() };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result =
      i < created
        ? createAnnotation(ydoc, { kind: 'claim', claimStatus: 'contested', note: `Checked against the Russian edition; wording differs in clause ${i}.`, anchor: anchors[i % anchors.length]! }, context)
        : updateAnnotation(ydoc, ids[i % created]!, { note: `Revised after the seminar, pass ${Math.floor(i / created)}.` }, context);
    if (!result.ok) throw new Error(`update ${i}: ${result.errors.join('; ')}`);
    if (i < created) ids.push(result.value.id);
  }
  ydoc.destroy();
  return updates;
}

/** The user a token acts as (`GET /api/rooms/<room>/me`), to author the flooded updates. */
export async function actorOf(url: string, token: string, room = 'chapter-5'): Promise<{ userId: string; name: string }> {
  const response = await fetch(`${url}/api/rooms/${room}/me`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /me: ${response.status} ${await response.text()}`);
  const { userId, name } = (await response.json()) as { userId: string; name: string };
  return { userId, name };
}

/**
 * Sends `updates` over one socket to `<room>/annotations` as fast as it can and resolves, with
 * the time taken in ms, once a MESSAGE_STORED ack covers all of them (what was stored, durably).
 * The server must let one connection send that fast (MAX_MESSAGES_PER_SECOND raised).
 */
export async function floodUntilAcked(url: string, token: string, updates: readonly Uint8Array[], room = 'chapter-5', timeoutMs = 120_000): Promise<number> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/collab/${room}/annotations?acks=1&token=${encodeURIComponent(token)}`);
  const target = new Y.Doc();
  for (const update of updates) Y.applyUpdate(target, update);
  const targetVector = Y.encodeStateVector(target);
  target.destroy();
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no acknowledgement covering every update within ${timeoutMs / 1000} s`)), timeoutMs);
    ws.on('close', (code, reason) => reject(new Error(`the server closed the flood (${code} ${reason.toString()})`)));
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_STORED) return;
      if (!stateVectorCovers(decoding.readVarUint8Array(decoder), targetVector)) return;
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    // The server greets once the room is loaded (its sync step 1); a socket may not send more
    // than 1,000 frames before, and the flood measures storing, not loading.
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    const started = performance.now();
    for (const update of updates) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    }
    await done;
    return performance.now() - started;
  } finally {
    ws.removeAllListeners('close');
    ws.close();
  }
}
