import * as Y from 'yjs';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { readRoomSnapshot, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { DocKind, RoomSnapshot } from '../../schema/index.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { CollabDoc, DocPeer } from '../collab/collab-doc.ts';

/**
 * Access to a room's two live documents for the export and import routes. A route holds
 * the documents while it works — loaded through the registry like any connection, so a room
 * loads fully before it is read and a room that cannot load is refused — and releases them
 * after, so an idle room still unloads.
 */

/** Both live documents of a room, held until `release()`. */
export interface HeldRoomDocs {
  text: CollabDoc;
  annotations: CollabDoc;
  release(): void;
}

let nextHolderId = -1;

/**
 * A peer that receives nothing: holding a document as one of its peers keeps the registry
 * from unloading it mid-request (it unloads documents without peers).
 */
function holderPeer(): DocPeer {
  return { id: nextHolderId--, wantsAcks: false, awarenessClients: new Set(), send: () => {}, close: () => {} };
}

/** Waits until a document has loaded (or failed); polls, since loading is short and rare here. */
async function whenLoaded(doc: CollabDoc, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (doc.state === 'loading' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return doc.state === 'ready';
}

/** Documents of a room held until `release()`, by stored name. */
export interface HeldDocs {
  docs: Map<string, CollabDoc>;
  release(): void;
}

/**
 * Opens and holds documents of a room (each `{kind, name}`; `name` defaults to `<room>/<kind>`),
 * waiting until every one has loaded; refuses with a message when one cannot load.
 */
export async function holdDocuments(collab: CollabServer, room: string, wanted: readonly { kind: DocKind; name?: string }[], timeoutMs = 10_000): Promise<{ ok: true; value: HeldDocs } | { ok: false; error: string }> {
  const held: { doc: CollabDoc; peer: DocPeer }[] = [];
  const release = () => {
    for (const { doc, peer } of held.splice(0)) {
      doc.removePeer(peer);
      collab.registry.release(doc);
    }
  };
  const docs = new Map<string, CollabDoc>();
  for (const { kind, name } of wanted) {
    const doc = collab.registry.open(room, kind, name);
    const peer = holderPeer();
    doc.peers.add(peer);
    held.push({ doc, peer });
    docs.set(doc.name, doc);
  }
  for (const doc of docs.values()) {
    if (await whenLoaded(doc, timeoutMs)) continue;
    release();
    return { ok: false, error: `room "${room}" could not be loaded (${doc.name})` };
  }
  return { ok: true, value: { docs, release } };
}

/** Opens and holds both documents of a room; refuses with a message when one cannot load. */
export async function holdRoomDocs(collab: CollabServer, room: string, timeoutMs = 10_000): Promise<{ ok: true; value: HeldRoomDocs } | { ok: false; error: string }> {
  const held = await holdDocuments(collab, room, [{ kind: 'text' }, { kind: 'annotations' }], timeoutMs);
  if (!held.ok) return held;
  const { docs, release } = held.value;
  return { ok: true, value: { text: docs.get(`${room}/text`)!, annotations: docs.get(`${room}/annotations`)!, release } };
}

/** Reads a room for export from its text and annotation documents. */
export function snapshotRoom(room: { id: string; title: string }, textDoc: Y.Doc, annotationsDoc: Y.Doc): RoomSnapshot {
  const chapter = yXmlFragmentToProsemirrorJSON(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  return readRoomSnapshot({ room, chapter, textDoc, annotationsDoc });
}

/** A detached copy of a document, to compute a change on without touching the live one. */
export function copyDoc(ydoc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
  return copy;
}
