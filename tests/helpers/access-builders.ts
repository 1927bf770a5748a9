import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { createAnnotation } from '../../schema/index.ts';
import type { Anchor, Annotation, NewAnnotation, OperationContext, Role } from '../../schema/index.ts';
import type { RunningServer, Session, UpdateAuthorization, UpdateAuthorizer } from '../../server/index.ts';

/** An anchor of valid shape (validation checks its form; nothing here resolves it). */
export function anchorOf(exact = 'moderate turn', start = 100): Anchor {
  return {
    start: { item: { client: 1, clock: start }, assoc: 0 },
    end: { item: { client: 1, clock: start + exact.length - 1 }, assoc: -1 },
    quote: { exact, prefix: 'a ', suffix: ' b' },
    position: { start, end: start + exact.length },
    blockId: 'p-1',
    occurrences: 1,
  };
}

/** A server-side identity for tests of the update check. */
export function sessionOf(userId: string, role: Role, name: string): Session {
  return { userId, room: 'room', role, name, via: 'session', inviteHash: `hash-${userId}` };
}

/** The operation context of a user, with a clock that moves a minute per call. */
export function contextOf(session: { userId: string; name: string }): OperationContext {
  let clock = Date.parse('2025-03-01T10:00:00.000Z');
  return { actor: { userId: session.userId, name: session.name }, now: () => new Date((clock += 60_000)) };
}

/** Creates an annotation (a comment on a fixed anchor unless `input` says otherwise); throws if invalid. */
export function annotateAs(ydoc: Y.Doc, session: { userId: string; name: string }, input: Partial<NewAnnotation> = {}): Annotation {
  const created = createAnnotation(ydoc, { kind: 'comment', note: 'a note', anchor: anchorOf(), ...input }, contextOf(session));
  if (!created.ok) throw new Error(created.errors.join('; '));
  return created.value;
}

/** The user id the server gives an invite used directly: `i-` and 16 hex digits of its hash. */
export function inviteUserId(token: string): string {
  return `i-${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)}`;
}

/**
 * A server document and the authorizer under test, with client replicas that send what they
 * change through it, the way the collaboration server does: checked first, applied only when
 * accepted.
 */
export class AuthorizerHarness {
  readonly live = new Y.Doc();
  readonly #authorize: UpdateAuthorizer;

  constructor(authorize: UpdateAuthorizer) {
    this.#authorize = authorize;
  }

  /** A new client replica holding everything the server has. */
  replica(): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.live));
    return doc;
  }

  /** Brings a replica up to date with the server. */
  refresh(doc: Y.Doc): void {
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.live, Y.encodeStateVector(doc)));
  }

  /** Returns the update a change to a replica produces. */
  static capture(doc: Y.Doc, change: () => void): Uint8Array {
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array) => updates.push(update);
    doc.on('update', record);
    try {
      change();
    } finally {
      doc.off('update', record);
    }
    return Y.mergeUpdates(updates);
  }

  /** Checks an update as `session` would send it; applies it to the server document when accepted. */
  send(session: Session, update: Uint8Array, { apply = true } = {}): UpdateAuthorization {
    const verdict = this.#authorize({ room: session.room, docName: `${session.room}/annotations`, kind: 'annotations', session, update, ydoc: this.live });
    if (verdict.ok && apply) Y.applyUpdate(this.live, update, 'test-commit');
    return verdict;
  }

  /** Makes a change on a replica (refreshed first) and sends it as `session`. */
  change(session: Session, doc: Y.Doc, change: () => void): UpdateAuthorization {
    this.refresh(doc);
    return this.send(session, AuthorizerHarness.capture(doc, change));
  }
}

/**
 * Writes annotations into a room on the server side, the way an import does (stored through the
 * commit queue, relayed), bypassing the update check: tests use it to give users annotations
 * with any author. `build` changes replicas of the annotation and text documents.
 */
export async function seedRoom(server: Pick<RunningServer, 'collab'>, room: string, build: (annotations: Y.Doc, text: Y.Doc) => void): Promise<void> {
  const { registry, queue } = server.collab;
  // Holding the documents as a silent peer keeps them loaded while the seed is written.
  const holder = { id: -1_000_000, wantsAcks: false, awarenessClients: new Set<number>(), send: () => {}, close: () => {} };
  const [annotations, text] = (['annotations', 'text'] as const).map((kind) => registry.open(room, kind)) as [CollabDocOf, CollabDocOf];
  annotations.peers.add(holder);
  text.peers.add(holder);
  try {
    const until = Date.now() + 5000;
    while ((annotations.state === 'loading' || text.state === 'loading') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    const annotationReplica = new Y.Doc();
    Y.applyUpdate(annotationReplica, Y.encodeStateAsUpdate(annotations.ydoc));
    const textReplica = new Y.Doc();
    Y.applyUpdate(textReplica, Y.encodeStateAsUpdate(text.ydoc));
    build(annotationReplica, textReplica);
    queue.enqueue({ doc: annotations, update: Y.encodeStateAsUpdate(annotationReplica, Y.encodeStateVector(annotations.ydoc)), sender: null, applied: false });
    await queue.flush();
  } finally {
    for (const doc of [annotations, text]) {
      doc.removePeer(holder);
      registry.release(doc);
    }
  }
}

type CollabDocOf = ReturnType<RunningServer['collab']['registry']['open']>;
