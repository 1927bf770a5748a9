import * as Y from 'yjs';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import type { Annotation } from '../../schema/annotations/model.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import { compactDoc } from '../../server/persistence/compaction.ts';
import { openDatabase } from '../../server/persistence/database.ts';
import { replayStoredDoc } from '../../server/persistence/doc-replay.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';
import { UpdateStore } from '../../server/persistence/update-store.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool } from './annotation-stamps.ts';

/**
 * Where a seeded annotation's quote is, as a page can find it without the client's help: the
 * `data-id` of the chapter block it starts and ends in, and the offsets in those blocks' text
 * (UTF-16, footnote markers and page breaks counting nothing).
 */
export interface SeededSpan {
  id: string;
  startBlock: string;
  startOffset: number;
  endBlock: string;
  endOffset: number;
}

/** What a seeded room's annotation document holds. */
export interface SeededAnnotations {
  count: number;
  /** The annotation document's state vector, to check a client's replica against. */
  stateVector: Uint8Array;
  /** Every seeded annotation's place in the chapter. */
  spans: SeededSpan[];
  /** How many annotations each sidebar category has (claim status, `problem`, `comment`). */
  categories: Record<string, number>;
  /** Bytes of the annotation document's state (Yjs update encoding, as sent to a fresh replica). */
  stateBytes: number;
}

/** The seeded annotation's block-relative place (see SeededSpan). */
function spanOf(table: BlockTable, annotation: Annotation): SeededSpan {
  const start = table.pointAtTextOffset(annotation.anchor.position.start, 'start');
  const end = table.pointAtTextOffset(annotation.anchor.position.end, 'end');
  const blockId = (point: { block: Y.XmlElement }) => String(point.block.getAttribute('id'));
  return { id: annotation.id, startBlock: blockId(start), startOffset: start.textOffset, endBlock: blockId(end), endOffset: end.textOffset };
}

/** Reads a stored document (snapshot and log) from an open store; throws if it does not load. */
async function storedDoc(store: UpdateStore, docName: string): Promise<Y.Doc> {
  const replayed = replayStoredDoc(await store.loadDoc(docName));
  if (!replayed.ok) throw new Error(`${docName}: ${replayed.error}`);
  return replayed.value;
}

/** Creates `count` annotations on random word ranges, by 40 different readers, one update (transaction) each. */
function createUpdates(textDoc: Y.Doc, annotations: Y.Doc, count: number, seed: number): { updates: Uint8Array[]; created: Annotation[] } {
  const random = mulberry32(seed);
  // Every annotation on its own random range (they overlap only by chance, as readers' do).
  const anchors = anchorPool(textDoc, count, random);
  const updates: Uint8Array[] = [];
  const made: Annotation[] = [];
  annotations.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const reader = (i % 40) + 1;
    const actor = { userId: `u-${reader.toString(16).padStart(16, '0')}`, name: `Reader ${reader}` };
    const kind = (['claim', 'comment', 'problem'] as const)[i % 3]!;
    const input = { kind, anchor: anchors[i % anchors.length]!, note: `Seeded note ${i}: a remark of ordinary length about the passage.` };
    const extra = kind === 'claim' ? { claimStatus: 'contested' as const } : kind === 'problem' ? { problemType: 'mistranslation' as const } : {};
    const created = createAnnotation(annotations, { ...input, ...extra }, { actor, now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, i)) });
    if (!created.ok) throw new Error(`seeding annotation ${i}: ${created.errors.join('; ')}`);
    made.push(created.value);
  }
  return { updates, created: made };
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
    const { updates, created } = createUpdates(textDoc, annotations, count, seed);
    for (let i = 0; i < updates.length; i += 500) {
      await store.appendUpdates(updates.slice(i, i + 500).map((update) => ({ docName: `${room}/annotations`, update })));
    }
    const compacted = await compactDoc(store, `${room}/annotations`);
    if (!compacted.ok) throw new Error(`compacting ${room}/annotations: ${compacted.error}`);
    const table = new BlockTable(textDoc.getXmlFragment('prosemirror'));
    const categories: Record<string, number> = {};
    for (const a of created) {
      const category = a.kind === 'claim' ? a.claimStatus! : a.kind;
      categories[category] = (categories[category] ?? 0) + 1;
    }
    return {
      count: annotationsMap(annotations).size,
      stateVector: Y.encodeStateVector(annotations),
      spans: created.map((a) => spanOf(table, a)),
      categories,
      stateBytes: Y.encodeStateAsUpdate(annotations).length,
    };
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
