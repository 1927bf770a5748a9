import * as Y from 'yjs';
import { annotationsMap, dismissedMap, repliesMap, roundIsBlind, roundLayerName, ROUND_CHANGED_CLOSE } from '../../schema/index.ts';
import type { RoundParticipant, RoundSummary } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import type { UpdateAuthorizer } from '../collab/authorize-update.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { ConnectionGuard } from '../collab/connection-guard.ts';
import { copyDoc, holdDocuments } from '../http/export-import-docs.ts';
import type { Logger } from '../logger.ts';
import { mergeLayers } from './layer-merge.ts';
import { layerOfDocName, layerOpenRefusal, layerWriteRefusal, sharedLayerRefusal } from './round-access.ts';
import type { RoundStore } from './round-store.ts';

/** Test seams: a reveal can be made to wait at a phase (the crash tests kill the server there). */
export interface RoundHooks {
  /** Runs when a reveal reaches `phase`: after marking the round revealing, after storing the merge. */
  revealPhase?: (phase: 'marked' | 'merged', round: RoundSummary) => void | Promise<void>;
}

/** A result with an HTTP status for the failure. */
export type RoundResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** What a reveal did: the round as it ends up, entries merged by this run, entries the layers hold. */
export interface RevealOutcome {
  round: RoundSummary;
  merged: number;
  revealed: number;
}

/** What the service needs from the server. */
export interface RoundServiceOptions {
  store: RoundStore;
  /** The collaboration server (built after the service, which guards its sockets). */
  collab: () => CollabServer;
  log: Logger;
  hooks?: RoundHooks | undefined;
}

/**
 * Blind rounds of every room (docs/seminar-view.md): starting, revealing and ending them, who
 * may open and write which layer (a guard around the access layer's, an authorizer around its
 * check), closing the sockets a change makes obsolete, and finishing reveals a crash interrupted.
 * Round rows are cached: only this process writes them.
 */
export class RoundService {
  readonly #options: RoundServiceOptions;
  readonly #rounds = new Map<number, RoundSummary>();
  readonly #participants = new Map<number, Map<string, RoundParticipant>>();
  readonly #reveals = new Map<number, Promise<RoundResult<RevealOutcome>>>();

  constructor(options: RoundServiceOptions) {
    this.#options = options;
  }

  // --- reading ------------------------------------------------------------------------

  /** The round with this id, or null. */
  get(id: number): RoundSummary | null {
    const cached = this.#rounds.get(id);
    if (cached) return cached;
    const round = this.#options.store.get(id);
    if (round) this.#rounds.set(id, round);
    return round;
  }

  /** The room's round that is open or being revealed, or null. */
  running(room: string): RoundSummary | null {
    for (const round of this.#rounds.values()) if (round.room === room && roundIsBlind(round.state)) return round;
    const round = this.#options.store.running(room);
    if (round) this.#rounds.set(round.id, round);
    return round;
  }

  /** The room's most recent round, or null. */
  latest(room: string): RoundSummary | null {
    return this.running(room) ?? this.#options.store.latest(room);
  }

  /** Every round of the room, newest first. */
  list(room: string): RoundSummary[] {
    return this.#options.store.list(room);
  }

  /** The round's participants, in the order they joined. */
  participants(roundId: number): RoundParticipant[] {
    return [...this.#participantMap(roundId).values()];
  }

  #participantMap(roundId: number): Map<string, RoundParticipant> {
    let map = this.#participants.get(roundId);
    if (!map) this.#participants.set(roundId, (map = new Map(this.#options.store.participants(roundId).map((p) => [p.userId, p]))));
    return map;
  }

  #remember(round: RoundSummary): RoundSummary {
    this.#rounds.set(round.id, round);
    return round;
  }

  // --- changing -----------------------------------------------------------------------

  /**
   * Starts a round in `room` (the caller checked the owner's role). Annotators' sockets on the
   * shared layer close at once (4409), so from now on they see only their own layer.
   */
  start(room: string, owner: Session, showStaff: boolean): RoundResult<RoundSummary> {
    const round = this.#options.store.start(room, owner.userId, showStaff, Date.now());
    if (!round) return { ok: false, status: 409, error: 'a blind round is already running in this room' };
    this.#remember(round);
    // The owner takes part from the start: a layer of theirs is there for everyone to be shown
    // (when chosen) even before their page reopens on it.
    this.#options.store.addParticipant(round.id, { userId: owner.userId, name: owner.name, role: owner.role, joinedAt: round.startedAt });
    this.#options.log.info('round.started', { room, round: round.id, showStaff });
    this.#closeWhere((c) => c.doc.name === `${room}/annotations` && sharedLayerRefusal(round, c.session.role) !== null, 'a blind round started');
    return { ok: true, value: round };
  }

  /** Ends an open round without revealing it: its layers stay private, read-only. */
  end(room: string, id: number): RoundResult<RoundSummary> {
    const round = this.get(id);
    if (!round || round.room !== room) return { ok: false, status: 404, error: `no round ${id} in this room` };
    if (round.state !== 'open') return { ok: false, status: 409, error: `round ${id} is ${round.state}, not open` };
    const ended = this.#remember(this.#options.store.setState(id, 'ended', Date.now()));
    this.#options.log.info('round.ended', { room, round: id });
    this.#closeLayers(ended, 'the blind round ended');
    return { ok: true, value: ended };
  }

  /**
   * Reveals a round: marks it revealing (no layer accepts writes from then on), stores what the
   * layers still had pending, merges every layer into the shared annotation document in one
   * update stored through the commit queue, then marks it revealed. Killed at any point, the
   * round is either revealed or still revealing, and revealing it again merges only what is
   * missing (entries keep their ids): nothing is lost or doubled. Concurrent calls share one run.
   */
  reveal(room: string, id: number): Promise<RoundResult<RevealOutcome>> {
    const round = this.get(id);
    if (!round || round.room !== room) return Promise.resolve({ ok: false, status: 404, error: `no round ${id} in this room` });
    if (round.state === 'ended') return Promise.resolve({ ok: false, status: 409, error: `round ${id} ended without being revealed; its layers stay private` });
    if (round.state === 'revealed') return Promise.resolve({ ok: true, value: { round, merged: 0, revealed: round.revealed ?? 0 } });
    let running = this.#reveals.get(id);
    if (!running) {
      running = this.#runReveal(round).finally(() => this.#reveals.delete(id));
      this.#reveals.set(id, running);
    }
    return running;
  }

  async #runReveal(round: RoundSummary): Promise<RoundResult<RevealOutcome>> {
    const { store, log, hooks } = this.#options;
    const collab = this.#options.collab();
    if (round.state === 'open') round = this.#remember(store.setState(round.id, 'revealing'));
    this.#closeLayers(round, 'the blind round is being revealed');
    await hooks?.revealPhase?.('marked', round);
    // Updates accepted into a layer before it closed are stored (and applied) first.
    await collab.queue.flush();
    const layers = this.participants(round.id).map((p) => roundLayerName(round.room, round.id, p.userId));
    const held = await holdDocuments(collab, round.room, [{ kind: 'annotations' }, ...layers.map((name) => ({ kind: 'annotations' as const, name }))]);
    if (!held.ok) return { ok: false, status: 503, error: held.error };
    let merged = 0;
    let revealed = 0;
    try {
      const shared = held.value.docs.get(`${round.room}/annotations`)!;
      const layerDocs = layers.map((name) => held.value.docs.get(name)!.ydoc);
      revealed = layerDocs.reduce((n, doc) => n + countEntries(doc), 0);
      const scratch = copyDoc(shared.ydoc);
      merged = mergeLayers(scratch, layerDocs);
      if (merged > 0) {
        collab.queue.enqueue({ doc: shared, update: Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(shared.ydoc)), sender: null, applied: false });
        await collab.queue.flush();
        // Kept as revealing: the next reveal (or the next start) merges what is still missing.
        if (collab.queue.failing) return { ok: false, status: 503, error: 'the store is failing; the reveal is kept and is finished when you reveal again' };
      }
    } finally {
      held.value.release();
    }
    await hooks?.revealPhase?.('merged', round);
    // On the main connection (FULL by default): its commit also makes the merge above durable.
    const done = this.#remember(store.setState(round.id, 'revealed', Date.now(), revealed));
    log.info('round.revealed', { room: round.room, round: round.id, merged, revealed, layers: layers.length });
    this.#closeLayers(done, 'the blind round was revealed');
    return { ok: true, value: { round: done, merged, revealed } };
  }

  /** Finishes every reveal a crash interrupted (run once the server listens). */
  async resumeReveals(): Promise<void> {
    for (const round of this.#options.store.revealing()) {
      this.#remember(round);
      this.#options.log.warn('round.reveal-resumed', { room: round.room, round: round.id });
      const result = await this.reveal(round.room, round.id);
      if (!result.ok) this.#options.log.error('round.reveal-failed', { room: round.room, round: round.id, error: result.error });
    }
  }

  // --- sockets and updates ------------------------------------------------------------

  /** Wraps the access layer's guard: round layers only for those `round-access.ts` allows; no shared layer for annotators during a round. */
  guard(inner: ConnectionGuard): ConnectionGuard {
    return {
      screenUpgrade: (request) => inner.screenUpgrade(request),
      admitConnection: (request, accepted) => {
        const admitted = inner.admitConnection(request, accepted);
        if (!admitted.ok) return admitted;
        const refusal = accepted.layer ? this.#admitLayer(accepted.session, accepted.layer) : accepted.kind === 'annotations' ? sharedLayerRefusal(this.running(accepted.room), accepted.session.role) : null;
        return refusal ? { ok: false, ...refusal } : { ok: true };
      },
      attached: (connection, request) => inner.attached(connection, request),
      detached: (connection) => inner.detached(connection),
      admitFrame: (connection, frame) => inner.admitFrame(connection, frame),
      receiveAwareness: (connection, update) => inner.receiveAwareness(connection, update),
    };
  }

  /** Decides on opening a layer; the first time its own participant opens it in an open round, records them. */
  #admitLayer(session: Session, layer: { roundId: number; userId: string }) {
    const round = this.get(layer.roundId);
    const participants = this.#participantMap(layer.roundId);
    const refusal = layerOpenRefusal(round, participants.get(layer.userId) ?? null, session, layer.userId);
    if (refusal || round?.state !== 'open' || layer.userId !== session.userId || participants.has(session.userId)) return refusal;
    const participant: RoundParticipant = { userId: session.userId, name: session.name, role: session.role, joinedAt: new Date().toISOString() };
    this.#options.store.addParticipant(layer.roundId, participant);
    participants.set(session.userId, participant);
    return null;
  }

  /** Wraps an update authorizer: round layers are written only by their participant while open; annotators never write the shared layer during a round. */
  authorizer(inner: UpdateAuthorizer): UpdateAuthorizer {
    return (request) => {
      const layer = layerOfDocName(request.docName, request.room);
      if (layer) {
        const refusal = layerWriteRefusal(this.get(layer.roundId), request.session, layer.userId);
        if (refusal) return { ok: false, reason: refusal };
      } else if (request.kind === 'annotations') {
        const refusal = sharedLayerRefusal(this.running(request.room), request.session.role);
        if (refusal) return { ok: false, reason: refusal.reason };
      }
      return inner(request);
    };
  }

  /** Closes the sockets of a round's layers (4409): their clients fetch the round and reopen. */
  #closeLayers(round: RoundSummary, reason: string): void {
    const prefix = `${round.room}/rounds/${round.id}/`;
    this.#closeWhere((c) => c.doc.name.startsWith(prefix), reason);
  }

  #closeWhere(matches: (connection: CollabConnection) => boolean, reason: string): void {
    for (const connection of [...this.#options.collab().connections()]) if (matches(connection)) connection.close(ROUND_CHANGED_CLOSE, reason);
  }
}

/** How many annotations, replies and dismissals a layer holds. */
function countEntries(doc: Y.Doc): number {
  return annotationsMap(doc).size + repliesMap(doc).size + dismissedMap(doc).size;
}
