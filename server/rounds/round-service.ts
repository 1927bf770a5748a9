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
import { rerunAfter } from '../rerun-after.ts';
import { mergeLayers } from './layer-merge.ts';
import { layerOfDocName, layerOpenRefusal, layerWriteRefusal, sharedLayerRefusal } from './round-access.ts';
import type { RoundStore } from '../persistence/round-store.ts';

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
  /**
   * Other server processes share the store (docs/several-servers.md): rounds they change are
   * read again every `refreshMs` (default 1 s) and whenever `refresh()` is called (their news).
   */
  sharedStore?: boolean;
  refreshMs?: number;
  /** Tells the other processes that a round changed (they `refresh()`). */
  announce?: () => void;
  /** The collaboration server (built after the service, which guards its sockets). */
  collab: () => CollabServer;
  log: Logger;
  hooks?: RoundHooks | undefined;
}

/**
 * Blind rounds of every room (docs/seminar-view.md): starting, revealing and ending them, who
 * may open and write which layer (a guard around the access layer's, an authorizer around its
 * check), closing the sockets a change makes obsolete, and finishing reveals a crash interrupted.
 * The synchronous checks read the running rounds from memory: loaded at start, changed here, and,
 * with several processes, read again every second and when another process says a round changed.
 * The store has the last word on layer writes: it refuses entries of a round that is not open.
 */
export class RoundService {
  readonly #options: RoundServiceOptions;
  /** Rounds as last read or changed here, by id. */
  readonly #rounds = new Map<number, RoundSummary>();
  /** The open or revealing round of each room, by room. */
  readonly #running = new Map<string, number>();
  readonly #reveals = new Map<number, Promise<RoundResult<RevealOutcome>>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: RoundServiceOptions) {
    this.#options = options;
  }

  /** Reads the running rounds (before the server takes connections); with a shared store, keeps reading them. */
  async load(): Promise<void> {
    for (const round of await this.#options.store.runningEverywhere()) this.#remember(round);
    if (!this.#options.sharedStore || this.#timer) return;
    this.#timer = setInterval(() => void this.refresh(), this.#options.refreshMs ?? 1000);
    this.#timer.unref();
  }

  /** Stops reading the running rounds again. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * Reads the running rounds again and acts on what another process changed, as it did: a round
   * started closes annotators' shared layers, a round revealed or ended closes its layers. One read
   * at a time (and one more after it when asked meanwhile); never rejects.
   */
  readonly refresh: () => Promise<void> = rerunAfter(() => this.#readRunning().catch((error: unknown) => this.#options.log.warn('round.refresh-failed', { error })));

  async #readRunning(): Promise<void> {
    const { store } = this.#options;
    const running = new Map((await store.runningEverywhere()).map((round) => [round.id, round]));
    const before = [...this.#running.values()];
    for (const round of running.values()) this.#changed(round);
    for (const id of before) {
      if (running.has(id)) continue;
      const round = await store.get(id);
      if (round) this.#changed(round);
      else this.#forget(id);
    }
  }

  /** Takes a round as read from the store, closing the sockets its change (if any) makes obsolete. */
  #changed(round: RoundSummary): void {
    // A reveal running here moves the round itself (it is closed here before the store says so).
    if (this.#reveals.has(round.id)) return;
    const known = this.#rounds.get(round.id);
    this.#remember(round);
    if (known?.state === round.state) return;
    if (round.state === 'open') this.#closeSharedLayers(round, 'a blind round started');
    else this.#closeLayers(round, round.state === 'revealing' ? 'the blind round is being revealed' : round.state === 'ended' ? 'the blind round ended' : 'the blind round was revealed');
  }

  // --- reading ------------------------------------------------------------------------

  /** The round with this id, or null: as known here when it can change no more (or only this process writes rounds), else read. */
  async get(id: number): Promise<RoundSummary | null> {
    const cached = this.#rounds.get(id);
    if (cached && (!this.#options.sharedStore || !roundIsBlind(cached.state))) return cached;
    const round = await this.#options.store.get(id);
    return round ? this.#remember(round) : null;
  }

  /** The room's round that is open or being revealed, as this process knows it (the synchronous checks). */
  running(room: string): RoundSummary | null {
    const id = this.#running.get(room);
    return id === undefined ? null : (this.#rounds.get(id) ?? null);
  }

  /** The room's most recent round, or null. */
  async latest(room: string): Promise<RoundSummary | null> {
    const round = await this.#options.store.latest(room);
    return round ? this.#remember(round) : null;
  }

  /** Every round of the room, newest first. */
  list(room: string): Promise<RoundSummary[]> {
    return this.#options.store.list(room);
  }

  /** The round's participants, in the order they joined. */
  participants(roundId: number): Promise<RoundParticipant[]> {
    return this.#options.store.participants(roundId);
  }

  #remember(round: RoundSummary): RoundSummary {
    this.#rounds.set(round.id, round);
    if (roundIsBlind(round.state)) this.#running.set(round.room, round.id);
    else if (this.#running.get(round.room) === round.id) this.#running.delete(round.room);
    return round;
  }

  #forget(id: number): void {
    const round = this.#rounds.get(id);
    this.#rounds.delete(id);
    if (round && this.#running.get(round.room) === id) this.#running.delete(round.room);
  }

  // --- changing -----------------------------------------------------------------------

  /**
   * Starts a round in `room` (the caller checked the owner's role). Annotators' sockets on the
   * shared layer close at once (4409), so from now on they see only their own layer.
   */
  async start(room: string, owner: Session, showStaff: boolean): Promise<RoundResult<RoundSummary>> {
    const round = await this.#options.store.start(room, owner.userId, showStaff, Date.now());
    if (!round) return { ok: false, status: 409, error: 'a blind round is already running in this room' };
    this.#remember(round);
    // The owner takes part from the start: a layer of theirs is there for everyone to be shown
    // (when chosen) even before their page reopens on it.
    await this.#options.store.addParticipant(round.id, { userId: owner.userId, name: owner.name, role: owner.role, joinedAt: round.startedAt });
    this.#options.log.info('round.started', { room, round: round.id, showStaff });
    this.#closeSharedLayers(round, 'a blind round started');
    this.#options.announce?.();
    return { ok: true, value: round };
  }

  /** Ends an open round without revealing it: its layers stay private, read-only. */
  async end(room: string, id: number): Promise<RoundResult<RoundSummary>> {
    const round = await this.get(id);
    if (!round || round.room !== room) return { ok: false, status: 404, error: `no round ${id} in this room` };
    if (round.state !== 'open') return { ok: false, status: 409, error: `round ${id} is ${round.state}, not open` };
    const ended = this.#remember(await this.#options.store.setState(id, 'ended', Date.now()));
    this.#options.log.info('round.ended', { room, round: id });
    this.#closeLayers(ended, 'the blind round ended');
    this.#options.announce?.();
    return { ok: true, value: ended };
  }

  /**
   * Reveals a round: marks it revealing (no layer accepts writes from then on), stores what the
   * layers still had pending, merges every layer into the shared annotation document in one
   * update stored through the commit queue, then marks it revealed. Killed at any point, the
   * round is either revealed or still revealing, and revealing it again merges only what is
   * missing (entries keep their ids): nothing is lost or doubled. Concurrent calls share one run.
   */
  async reveal(room: string, id: number): Promise<RoundResult<RevealOutcome>> {
    const round = await this.get(id);
    if (!round || round.room !== room) return { ok: false, status: 404, error: `no round ${id} in this room` };
    if (round.state === 'ended') return { ok: false, status: 409, error: `round ${id} ended without being revealed; its layers stay private` };
    if (round.state === 'revealed') return { ok: true, value: { round, merged: 0, revealed: round.revealed ?? 0 } };
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
    if (round.state === 'open') {
      // Closed here first (this process's checks refuse the layers' writes from now on), and what
      // they accepted before is stored while the round is still open; then marked in the store,
      // whose mark waits for other processes' layer writes on their way and refuses later ones.
      this.#remember({ ...round, state: 'revealing' });
      this.#closeLayers(round, 'the blind round is being revealed');
      try {
        await collab.queue.flush();
        round = this.#remember(await store.setState(round.id, 'revealing'));
      } catch (error) {
        this.#remember(round);
        throw error;
      }
      this.#options.announce?.();
    } else this.#closeLayers(round, 'the blind round is being revealed');
    await hooks?.revealPhase?.('marked', round);
    // Updates accepted into a layer before it closed are stored (and applied) first.
    await collab.queue.flush();
    const layers = (await store.participants(round.id)).map((p) => roundLayerName(round.room, round.id, p.userId));
    const held = await holdDocuments(collab, round.room, [{ kind: 'annotations' }, ...layers.map((name) => ({ kind: 'annotations' as const, name }))]);
    if (!held.ok) return { ok: false, status: 503, error: held.error };
    let merged = 0;
    let revealed = 0;
    try {
      // Sharing the store: the layers hold what other processes stored in them too.
      await collab.caughtUp([...held.value.docs.values()]);
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
    // SQLite: on the main connection (FULL by default), whose commit also makes the merge above durable.
    const done = this.#remember(await store.setState(round.id, 'revealed', Date.now(), revealed));
    log.info('round.revealed', { room: round.room, round: round.id, merged, revealed, layers: layers.length });
    this.#closeLayers(done, 'the blind round was revealed');
    this.#options.announce?.();
    return { ok: true, value: { round: done, merged, revealed } };
  }

  /** Finishes every reveal a crash interrupted (run once the server listens). */
  async resumeReveals(): Promise<void> {
    for (const round of await this.#options.store.revealing()) {
      this.#remember(round);
      this.#options.log.warn('round.reveal-resumed', { room: round.room, round: round.id });
      const result = await this.reveal(round.room, round.id).catch((error: unknown) => ({ ok: false as const, error: String(error) }));
      if (!result.ok) this.#options.log.error('round.reveal-failed', { room: round.room, round: round.id, error: result.error });
    }
  }

  // --- sockets and updates ------------------------------------------------------------

  /** Wraps the access layer's guard: round layers only for those `round-access.ts` allows; no shared layer for annotators during a round. */
  guard(inner: ConnectionGuard): ConnectionGuard {
    return {
      screenUpgrade: (request) => inner.screenUpgrade(request),
      vetUpgrade: async (accepted) => {
        const refusal = (await inner.vetUpgrade?.(accepted)) ?? null;
        if (refusal || !accepted.layer) return refusal;
        return this.#admitLayer(accepted.session, accepted.layer);
      },
      admitConnection: (request, accepted) => {
        const admitted = inner.admitConnection(request, accepted);
        if (!admitted.ok) return admitted;
        const refusal = !accepted.layer && accepted.kind === 'annotations' ? sharedLayerRefusal(this.running(accepted.room), accepted.session.role) : null;
        return refusal ? { ok: false, ...refusal } : { ok: true };
      },
      attached: (connection, request) => inner.attached(connection, request),
      detached: (connection) => inner.detached(connection),
      admitFrame: (connection, frame) => inner.admitFrame(connection, frame),
      receiveAwareness: (connection, update) => inner.receiveAwareness(connection, update),
    };
  }

  /** Decides on opening a layer (read from the store); the first time its own participant opens it in an open round, records them. */
  async #admitLayer(session: Session, layer: { roundId: number; userId: string }) {
    const round = await this.get(layer.roundId);
    const participant = round ? ((await this.participants(layer.roundId)).find((p) => p.userId === layer.userId) ?? null) : null;
    const refusal = layerOpenRefusal(round, participant, session, layer.userId);
    if (refusal || round?.state !== 'open' || layer.userId !== session.userId || participant) return refusal;
    await this.#options.store.addParticipant(layer.roundId, { userId: session.userId, name: session.name, role: session.role, joinedAt: new Date().toISOString() });
    return null;
  }

  /** Wraps an update authorizer: round layers are written only by their participant while open; annotators never write the shared layer during a round. */
  authorizer(inner: UpdateAuthorizer): UpdateAuthorizer {
    return (request) => {
      const layer = layerOfDocName(request.docName, request.room);
      if (layer) {
        // Known here: the socket's admission read it, and changes are followed since.
        const refusal = layerWriteRefusal(this.#rounds.get(layer.roundId) ?? null, request.session, layer.userId);
        if (refusal) return { ok: false, reason: refusal };
      } else if (request.kind === 'annotations') {
        const refusal = sharedLayerRefusal(this.running(request.room), request.session.role);
        if (refusal) return { ok: false, reason: refusal.reason };
      }
      return inner(request);
    };
  }

  /** Closes annotators' sockets on the room's shared layer (4409): a round started. */
  #closeSharedLayers(round: RoundSummary, reason: string): void {
    this.#closeWhere((c) => c.doc.name === `${round.room}/annotations` && sharedLayerRefusal(round, c.session.role) !== null, reason);
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
