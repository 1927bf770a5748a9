import * as Y from 'yjs';
import { roundLayerName } from '../../schema/index.ts';
import type { ChapterActivity, RoomSnapshot, RoundSummary } from '../../schema/index.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import { holdDocuments, snapshotRoom } from '../http/export-import-docs.ts';
import { mergeLayers } from './layer-merge.ts';

/**
 * Reads what the seminar view counts from the server's documents: the shared annotation layer
 * (the records the exports read), or a blind round's layers taken together.
 */

/** Which annotations the view counts: the shared layer, or the layers of one round. */
export type CountedLayer = { kind: 'shared' } | { kind: 'round'; round: RoundSummary; participants: readonly string[] };

/** The view's input from a room snapshot. */
export function activityOfSnapshot(snapshot: RoomSnapshot): ChapterActivity {
  return {
    chapter: { ...snapshot.room },
    projection: snapshot.projection,
    annotations: snapshot.annotations.map(({ annotation, replies, resolved }) => ({ annotation, replies, start: resolved.start, end: resolved.end })),
  };
}

/** Reads a room's chapter and the counted layer, holding the documents only while it reads. */
export async function readLayerActivity(collab: CollabServer, room: { id: string; title: string }, layer: CountedLayer): Promise<{ ok: true; value: ChapterActivity } | { ok: false; error: string }> {
  const layerNames = layer.kind === 'shared' ? [`${room.id}/annotations`] : layer.participants.map((userId) => roundLayerName(room.id, layer.round.id, userId));
  const held = await holdDocuments(collab, room.id, [{ kind: 'text' }, ...layerNames.map((name) => ({ kind: 'annotations' as const, name }))]);
  if (!held.ok) return held;
  try {
    const { docs } = held.value;
    const text = docs.get(`${room.id}/text`)!.ydoc;
    if (layer.kind === 'shared') return { ok: true, value: activityOfSnapshot(snapshotRoom(room, text, docs.get(layerNames[0]!)!.ydoc)) };
    // The round's layers as one document: ids are unique, so nothing is left out.
    const together = new Y.Doc();
    mergeLayers(together, layerNames.map((name) => docs.get(name)!.ydoc));
    const activity = activityOfSnapshot(snapshotRoom(room, text, together));
    together.destroy();
    return { ok: true, value: activity };
  } finally {
    held.value.release();
  }
}
