import type * as Y from 'yjs';
import { can, roundIsBlind } from '../../schema/index.ts';
import type { ChapterOverview, DateRange, RoundSummary } from '../../schema/index.ts';
import type { AnnotationLayer } from '../app/annotation-layer.ts';
import type { RoomMember } from '../collab/room-api.ts';
import { endRound, fetchRoundView, revealRound, startRound } from '../collab/round-api.ts';
import type { RoundView } from '../collab/round-api.ts';
import type { Notice } from '../components/ap-notice.ts';
import { SeminarModel } from './seminar-model.ts';
import type { PeopleOrder, SeminarFigures } from './seminar-model.ts';
import { layerSource, RemoteLayer } from './seminar-sources.ts';
import type { SeminarSource } from './seminar-sources.ts';
import { presetRange } from './date-range.ts';
import type { RangePreset } from './date-range.ts';
import { lastSessionMark, markSession } from './session-marks.ts';
import { flashParagraph } from './paragraph-flash.ts';
import { whenIdle } from '../app/idle.ts';

/**
 * The seminar leader's view of a room (docs/seminar-view.md), behind the view's components:
 * whether it is shown (`#seminar` in the address), which annotations it counts (the shared
 * layer, the running blind round live, or a closed round as the server reports it), the date
 * range and order, and the owner's round actions. Components read `state` and call methods.
 */

/** Which annotations the view counts. */
export type LayerChoice = 'shared' | `round-${number}`;


/** Everything the view's components draw. */
export interface SeminarState {
  visible: boolean;
  room: string;
  title: string;
  role: RoomMember['role'];
  round: RoundView;
  layer: LayerChoice;
  figures: SeminarFigures | null;
  preset: RangePreset;
  range: DateRange;
  order: PeopleOrder;
  lastSession: string | null;
  /** The owner's round action in progress, if any. */
  busy: 'start' | 'reveal' | 'end' | null;
  error: string | null;
}

/** What the controller is built on (one per opened room; rebuilt when the room reopens). */
export interface SeminarControllerOptions {
  host: HTMLElement;
  member: RoomMember;
  room: string;
  collabUrl: string;
  textDoc: Y.Doc;
  title: () => string;
  round: RoundView;
  /** The reading room's annotation layer, and whether it is the shared one (else the user's own round layer). */
  readingLayer: AnnotationLayer;
  readingLayerIsShared: boolean;
  /** Resolves once the reading room's annotation document holds the server's state (or the cache's, offline). */
  readingLayerReady: Promise<void>;
  /** Reopens the room for a changed round (the layer the user annotates in changed). */
  onRoundChanged: () => void;
  notify: (notice: Notice) => void;
}

/** How often the owner's view asks who joined a running round. */
const PARTICIPANT_POLL_MS = 4000;

export const SEMINAR_HASH = '#seminar';

export class SeminarController {
  readonly #options: SeminarControllerOptions;
  readonly #model: SeminarModel;
  readonly #listeners = new Set<() => void>();
  readonly #layers = new Map<string, SeminarSource>();
  #state: SeminarState;
  #poll: ReturnType<typeof setInterval> | null = null;
  #fixedRequest = 0;
  readonly #onHash = (): void => this.#setVisible(location.hash === SEMINAR_HASH);

  constructor(options: SeminarControllerOptions) {
    this.#options = options;
    const round = options.round;
    const live = round.round && roundIsBlind(round.round.state) && options.member.role === 'owner';
    this.#state = {
      visible: false,
      room: options.room,
      title: options.title(),
      role: options.member.role,
      round,
      layer: live ? `round-${round.round!.id}` : 'shared',
      figures: null,
      preset: 'all',
      range: {},
      order: { key: 'name', direction: 'ascending' },
      lastSession: lastSessionMark(options.room),
      busy: null,
      error: null,
    };
    this.#model = new SeminarModel({
      chapter: () => ({ id: options.room, title: options.title() }),
      textDoc: options.textDoc,
      onChange: (figures) => this.#update({ figures, title: options.title() }),
    });
    window.addEventListener('hashchange', this.#onHash);
    this.#onHash();
    void options.readingLayerReady.then(() => {
      this.#readingReady = true;
      this.#model.refresh();
      // Owners and reviewers: the first computation (the chapter's sentences, every annotation's
      // reading, a cold JIT) happens while the page is idle, not when the view is asked for.
      if (this.available && options.readingLayerIsShared) this.#cancelWarm = whenIdle(() => this.#warm(), 5000);
    });
  }

  #cancelWarm: (() => void) | null = null;

  /** Computes the shared layer's figures once, unseen, so that showing the view only draws them. */
  #warm(): void {
    this.#cancelWarm = null;
    if (this.#state.visible || this.#state.layer !== 'shared') return;
    this.#model.setSources([layerSource(this.#options.readingLayer, () => this.#readingReady)]);
    this.#model.computeNow();
  }

  #readingReady = false;

  /** Whether this user may see the view at all (owner and reviewers). */
  get available(): boolean {
    return can(this.#options.member.role, 'view-overview');
  }

  get state(): SeminarState {
    return this.#state;
  }

  /** The model, for tests and the benchmark (its last computation's duration). */
  get model(): SeminarModel {
    return this.#model;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Shows the view (through the address, so Back returns to the chapter). */
  show(): void {
    if (location.hash !== SEMINAR_HASH) location.hash = SEMINAR_HASH;
    else this.#setVisible(true);
  }

  /** Goes back to the chapter. */
  hide(): void {
    if (location.hash === SEMINAR_HASH) history.pushState(null, '', location.pathname + location.search);
    this.#setVisible(false);
  }

  /** Counts another layer. */
  setLayer(layer: LayerChoice): void {
    if (layer === this.#state.layer) return;
    this.#update({ layer, figures: null });
    this.#connect();
  }

  /** Filters by a preset range, or a custom one. */
  setRange(preset: RangePreset, custom: DateRange = {}): void {
    const range = presetRange(preset, { lastSession: this.#state.lastSession, custom });
    this.#update({ preset, range });
    this.#model.setRange(range);
    if (this.#isFixed()) void this.#loadFixed();
  }

  /** Marks the end of a session now, for "since last session" next time. */
  markSession(): void {
    const at = markSession(this.#options.room);
    this.#update({ lastSession: at });
    this.#options.notify({ level: 'info', message: 'Session marked: "Since last session" will count from now.' });
  }

  setOrder(order: PeopleOrder): void {
    this.#update({ order });
    this.#model.setOrder(order);
  }

  /** Starts a blind round (owner). */
  async start(showStaff: boolean): Promise<void> {
    await this.#roundAction('start', () => startRound(this.#options.room, showStaff));
  }

  /** Reveals the running round (owner). */
  async reveal(): Promise<void> {
    const round = this.#state.round.round;
    if (round) await this.#roundAction('reveal', () => revealRound(this.#options.room, round.id));
  }

  /** Ends the running round without revealing it (owner). */
  async end(): Promise<void> {
    const round = this.#state.round.round;
    if (round) await this.#roundAction('end', () => endRound(this.#options.room, round.id));
  }

  /** Shows the chapter at a paragraph. */
  jumpTo(blockId: string): void {
    this.hide();
    requestAnimationFrame(() => flashParagraph(this.#options.host, blockId));
  }

  destroy(): void {
    this.#cancelWarm?.();
    window.removeEventListener('hashchange', this.#onHash);
    this.#stopPolling();
    this.#model.destroy();
    this.#layers.clear();
    this.#listeners.clear();
    this.#inert(false);
  }

  // --- internals ------------------------------------------------------------------------

  #update(patch: Partial<SeminarState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  #setVisible(visible: boolean): void {
    visible &&= this.available;
    if (visible === this.#state.visible) return;
    this.#update({ visible, title: this.#options.title() });
    this.#inert(visible);
    this.#model.setActive(visible);
    if (visible) this.#connect();
    else this.#stopPolling();
  }

  /**
   * Keeps the chapter and sidebar out of reach (focus, screen readers) while the view covers
   * them, and out of layout and paint (`data-covered`: content-visibility, which keeps their
   * state and scroll position): they keep following every change underneath.
   */
  #inert(on: boolean): void {
    for (const element of this.#options.host.querySelectorAll('#ap-reading, ap-sidebar')) {
      element.toggleAttribute('inert', on);
      element.toggleAttribute('data-covered', on);
    }
  }

  /** Whether the chosen layer is a round the server reports (closed, or not the owner's to watch live). */
  #isFixed(): boolean {
    const layer = this.#state.layer;
    if (layer === 'shared') return false;
    const current = this.#state.round.round;
    return !(current && `round-${current.id}` === layer && roundIsBlind(current.state) && this.#options.member.role === 'owner');
  }

  /** Connects the model to the sources of the chosen layer. */
  #connect(): void {
    if (!this.#state.visible) return;
    const layer = this.#state.layer;
    if (layer !== 'shared' && this.#isFixed()) {
      this.#stopPolling();
      this.#keepRemote([]);
      void this.#loadFixed();
      return;
    }
    if (layer === 'shared') {
      this.#stopPolling();
      if (this.#options.readingLayerIsShared) return this.#model.setSources([layerSource(this.#options.readingLayer, () => this.#readingReady), ...this.#keepRemote([])]);
      return this.#model.setSources(this.#keepRemote([`${this.#options.room}/annotations`]));
    }
    this.#model.setSources(this.#keepRemote(this.#state.round.you.layers.map((l) => l.name)));
    this.#poll ??= setInterval(() => void this.#refreshRound(), PARTICIPANT_POLL_MS);
  }

  /**
   * The read-only layers the view opens itself for `roomnames`, reusing those already open;
   * the others are forgotten here (the model destroys the sources it no longer gets).
   */
  #keepRemote(roomnames: readonly string[]): SeminarSource[] {
    for (const name of this.#layers.keys()) if (!roomnames.includes(name)) this.#layers.delete(name);
    return roomnames.map((roomname) => {
      let source = this.#layers.get(roomname);
      if (!source) {
        source = new RemoteLayer({ collabUrl: this.#options.collabUrl, roomname, textDoc: this.#options.textDoc, onClosed: () => void this.#refreshRound() });
        this.#layers.set(roomname, source);
      }
      return source;
    });
  }

  /** Asks the server for the round again; a new participant's layer joins the live sources. */
  async #refreshRound(): Promise<void> {
    const view = await fetchRoundView(this.#options.room);
    if (!view.ok) return;
    const before = this.#state.round.round;
    this.#update({ round: view.value });
    const after = view.value.round;
    if (before?.id !== after?.id || before?.state !== after?.state) return this.#options.onRoundChanged();
    if (!this.#isFixed() && this.#state.layer !== 'shared') this.#connect();
  }

  /** Fetches the server's report of a closed round for the chosen range. */
  async #loadFixed(): Promise<void> {
    const request = ++this.#fixedRequest;
    const params = new URLSearchParams({ format: 'report', layer: this.#state.layer });
    if (this.#state.range.since) params.set('since', this.#state.range.since);
    if (this.#state.range.until) params.set('until', this.#state.range.until);
    try {
      const response = await fetch(`/api/rooms/${encodeURIComponent(this.#options.room)}/overview?${params}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const body = (await response.json()) as ChapterOverview & { error?: string };
      if (request !== this.#fixedRequest) return;
      if (!response.ok) return this.#update({ error: body.error ?? `The server answered ${response.status}.` });
      this.#update({ error: null });
      this.#model.showFixed(body);
    } catch {
      if (request === this.#fixedRequest) this.#update({ error: 'The server cannot be reached.' });
    }
  }

  #stopPolling(): void {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
  }

  async #roundAction(kind: 'start' | 'reveal' | 'end', run: () => ReturnType<typeof startRound>): Promise<void> {
    if (this.#state.busy) return;
    this.#update({ busy: kind, error: null });
    const result = await run();
    if (!result.ok) {
      this.#update({ busy: null, error: result.error.message });
      return;
    }
    const round = result.value.round as RoundSummary;
    const messages = {
      start: 'Blind round started: everyone now annotates privately.',
      reveal: `Round ${round.id} revealed: ${round.revealed ?? 0} annotations and replies are now shared.`,
      end: `Round ${round.id} ended without revealing; its annotations stay private.`,
    };
    this.#options.notify({ level: 'info', message: messages[kind] });
    this.#update({ busy: null, round: result.value, layer: kind === 'start' ? `round-${round.id}` : 'shared' });
    // The layer everyone annotates in changed: the room reopens with the right one.
    this.#options.onRoundChanged();
  }
}
