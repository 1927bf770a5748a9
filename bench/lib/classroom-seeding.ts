import * as Y from 'yjs';
import { addReply } from '../../schema/annotations/reply-operations.ts';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import type { ClaimStatus } from '../../schema/annotations/vocabulary.ts';
import { chapterSentences } from '../../schema/analysis/agreement/sentence-units.ts';
import { createAnchorFromTextRange } from '../../schema/anchoring/create-anchor.ts';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { projectYDoc, TEXT_FRAGMENT_NAME } from '../../schema/chapter/y-text-projection.ts';
import { compactDoc } from '../../server/persistence/compaction.ts';
import { openDatabase } from '../../server/persistence/database.ts';
import { replayStoredDoc } from '../../server/persistence/doc-replay.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';
import { UpdateStore } from '../../server/persistence/update-store.ts';
import { mulberry32 } from '../../tests/helpers/seeded-random.ts';

/**
 * A seminar's worth of work in a (stopped) server's room, for the seminar view's benchmark:
 * `readers` people × `perReader` annotations each, written over two weeks. Six in ten are
 * claims on whole sentences (each sentence has a status most readers agree on, so the
 * agreement report has real pairs), the rest comments and problems; one in five gets a reply
 * from another reader. Stored as the server would (a log, then compacted).
 */
export async function seedClassroom(dataDir: string, room: string, readers: number, perReader: number, seed = 11): Promise<{ annotations: number; replies: number }> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    const store = new UpdateStore(new SqliteExecutor(db));
    const load = async (name: string) => {
      const replayed = replayStoredDoc(await store.loadDoc(name));
      if (!replayed.ok) throw new Error(`${name}: ${replayed.error}`);
      return replayed.value;
    };
    const text = await load(`${room}/text`);
    const annotations = await load(`${room}/annotations`);
    const updates: Uint8Array[] = [];
    annotations.on('update', (update: Uint8Array) => updates.push(update));
    const counts = write(text, annotations, readers, perReader, mulberry32(seed));
    for (let i = 0; i < updates.length; i += 500) await store.appendUpdates(updates.slice(i, i + 500).map((update) => ({ docName: `${room}/annotations`, update })));
    const compacted = await compactDoc(store, `${room}/annotations`);
    if (!compacted.ok) throw new Error(`compacting ${room}/annotations: ${compacted.error}`);
    return counts;
  } finally {
    db.close();
  }
}

const STATUSES: readonly ClaimStatus[] = ['sourced', 'contested', 'interpretive'];
const TWO_WEEKS = 14 * 24 * 3600 * 1000;

function write(text: Y.Doc, annotations: Y.Doc, readers: number, perReader: number, random: () => number): { annotations: number; replies: number } {
  const sentences = chapterSentences(projectYDoc(text));
  const consensus = sentences.map(() => STATUSES[Math.floor(random() * 3)]!);
  const table = new BlockTable(text.getXmlFragment(TEXT_FRAGMENT_NAME));
  const start = Date.now() - TWO_WEEKS;
  const actors = Array.from({ length: readers }, (_, r) => ({ userId: `u-${(r + 1).toString(16).padStart(16, '0')}`, name: `Reader ${r + 1}` }));
  let replies = 0;
  for (let i = 0; i < readers * perReader; i++) {
    const actor = actors[i % readers]!;
    const at = new Date(start + (i / (readers * perReader)) * TWO_WEEKS);
    const s = Math.floor(random() * sentences.length);
    const sentence = sentences[s]!;
    const anchor = createAnchorFromTextRange(table, { start: sentence.start, end: sentence.end });
    if (!anchor.ok) throw new Error(anchor.error);
    const roll = random();
    const input =
      roll < 0.6
        ? { kind: 'claim' as const, claimStatus: random() < 0.75 ? consensus[s]! : STATUSES[Math.floor(random() * 3)]!, footnotes: [] }
        : roll < 0.85
          ? { kind: 'comment' as const, note: `A remark on sentence ${s} for the seminar.` }
          : { kind: 'problem' as const, problemType: 'typo' as const, correction: '' };
    const created = createAnnotation(annotations, { ...input, anchor: anchor.value }, { actor, now: () => at });
    if (!created.ok) throw new Error(`seeding ${i}: ${created.errors.join('; ')}`);
    if (random() < 0.2) {
      const replier = actors[Math.floor(random() * readers)]!;
      const replied = addReply(annotations, { annotationId: created.value.id, body: 'I read the note differently.' }, { actor: replier, now: () => new Date(at.getTime() + 3600_000) });
      if (replied.ok) replies++;
    }
  }
  return { annotations: annotationsMap(annotations).size, replies };
}
