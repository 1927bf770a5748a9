import * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import { compactDoc } from '../../server/persistence/compaction.ts';
import { openDatabase } from '../../server/persistence/database.ts';
import { replayStoredDoc } from '../../server/persistence/doc-replay.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';
import { UpdateStore } from '../../server/persistence/update-store.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool } from './annotation-stamps.ts';

/** What a seeded room's annotation document holds. */
export interface SeededAnnotations {
  count: number;
  /** The annotation document's state vector, to check a client's replica against. */
  stateVector: Uint8Array;
}

/** Reads a stored document (snapshot and log) from an open store; throws if it does not load. */
async function storedDoc(store: UpdateStore, docName: string): Promise<Y.Doc> {
  const replayed = replayStoredDoc(await store.loadDoc(docName));
  if (!replayed.ok) throw new Error(`${docName}: ${replayed.error}`);
  return replayed.value;
}

/** Creates `count` annotations on random word ranges, by 40 different readers, one update (transaction) each. */
function createUpdates(textDoc: Y.Doc, annotations: Y.Doc, count: number, seed: number): Uint8Array[] {
  const random = mulberry32(seed);
  // Every annotation on its own random range (they overlap only by chance, as readers' do).
  const anchors = anchorPool(textDoc, count, random);
  const updates: Uint8Array[] = [];
  annotations.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const reader = (i % 40) + 1;
    const actor = { userId: `u-${reader.toString(16).padStart(16, '0')}`, name: `Reader ${reader}` };
    const kind = (['claim', 'comment', 'problem'] as const)[i % 3]!;
    const input = { kind, anchor: anchors[i % anchors.length]!, note: `Seeded note ${i}: a remark of ordinary length about the passage.` };
    const extra = kind === 'claim' ? { claimStatus: 'contested' as const } : kind === 'problem' ? { problemType: 'mistranslation' as const } : {};
    const created = createAnnotation(annotations, { ...input, ...extra }, { actor, now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, i)) });
    if (!created.ok) throw new Error(`seeding annotation ${i}: ${created.errors.join('; ')}`);
  }
  return updates;
}

/**
 * Adds `count` valid annotations to a room's annotation document in a (stopped) server's
 * DATA_DIR, as a log of one update per annotation, then compacts the log into a snapshot, as
 * the server would have done long before a room grew this large.
 */
export async function seedAnnotations(dataDir: string, room: string, count: number, seed = 1): Promise<SeededAnnotations> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    const store = new UpdateStore(new SqliteExecutor(db));
    const textDoc = await storedDoc(store, `${room}/text`);
    const annotations = await storedDoc(store, `${room}/annotations`);
    const updates = createUpdates(textDoc, annotations, count, seed);
    for (let i = 0; i < updates.length; i += 500) {
      await store.appendUpdates(updates.slice(i, i + 500).map((update) => ({ docName: `${room}/annotations`, update })));
    }
    const compacted = await compactDoc(store, `${room}/annotations`);
    if (!compacted.ok) throw new Error(`compacting ${room}/annotations: ${compacted.error}`);
    return { count: annotationsMap(annotations).size, stateVector: Y.encodeStateVector(annotations) };
  } finally {
    db.close();
  }
}

/** Reads both documents of a room from a (stopped) server's DATA_DIR. */
export async function readStoredRoom(dataDir: string, room: string): Promise<{ text: Y.Doc; annotations: Y.Doc }> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    const store = new UpdateStore(new SqliteExecutor(db));
    return { text: await storedDoc(store, `${room}/text`), annotations: await storedDoc(store, `${room}/annotations`) };
  } finally {
    db.close();
  }
}
