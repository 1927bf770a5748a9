import { LitElement, html } from 'lit';
import type { EditorView } from 'prosemirror-view';
import type * as Y from 'yjs';
import { can } from '../../schema/index.ts';
import { fetchExportChoices, fetchRoomMember, saveDisplayName } from '../collab/room-api.ts';
import type { ExportChoice } from '../collab/room-api.ts';
import type { RoomApiResult, RoomMember } from '../collab/room-api.ts';
import { recallMember, rememberMember } from '../app/member-cache.ts';
import { RoomConnection, dropLocalCache } from '../collab/room-connection.ts';
import type { ChangeRefusal, ConnectionSnapshot } from '../collab/room-connection.ts';
import { recoverRefusedWork } from '../collab/refusal-recovery.ts';
import { recoveringNotice, recoveryFailedNotice, recoverySummaryNotice, refusalNotice } from '../app/refusal-notices.ts';
import { listPeers, publishLocalUser } from '../collab/presence.ts';
import type { Peer } from '../collab/presence.ts';
import { collabUrlFor, linkedItemFromHash, linkedSentenceFromHash, roomFromPath } from '../app/room-address.ts';
import type { LinkedItem } from '../app/room-address.ts';
import { needsDisplayName, rememberDisplayName, suggestedDisplayName } from '../app/display-name-memory.ts';
import { ReadingRoom } from '../app/reading-room.ts';
import type { ReadingRoomState } from '../app/reading-room.ts';
import { wirePrinting } from '../app/print-apparatus.ts';
import type { PrintSource } from '../app/print-apparatus.ts';
import { describeFilter, emptyFilter, filterAnnotations, isFilterActive } from '../model/annotation-filter.ts';
import type { ApSidebar } from './ap-sidebar.ts';
import { fetchRoundView, NO_ROUND } from '../collab/round-api.ts';
import { ReadOnlyLayers } from '../collab/read-only-layers.ts';
import type { RoundView } from '../collab/round-api.ts';
import { SeminarController } from '../seminar/seminar-controller.ts';
import { OPEN_SEMINAR } from '../seminar/ap-room-bar.ts';
import '../seminar/ap-room-bar.ts';
import '../seminar/ap-seminar-view.ts';
import type { Notice } from './ap-notice.ts';
import type { ApNotice } from './ap-notice.ts';
import { REVEAL_ANNOTATION, SHOW_PASSAGE } from './app-events.ts';
import './ap-header.ts';
import './ap-name-dialog.ts';
import './ap-notice.ts';
import './ap-sidebar.ts';
import './ap-selection-toolbar.ts';
import './ap-annotation-editor.ts';
import './ap-hover-card.ts';
import './ap-footnote-preview.ts';
import '../site/ap-site.ts';

/** Where the shell is: booting, failed, asking for a name, or showing the room to a known member. */
/** How long a page waits for a reveal to finish before opening the room anyway, and how often it asks. */
const REVEAL_WAIT_MS = 30_000;
const REVEAL_POLL_MS = 250;
/** The hover card's list when nothing is hovered: one array, so that a render of the shell (every scrolled frame) leaves the card alone. */
const NO_ANNOTATIONS: never[] = [];

type Phase =
  | { kind: 'loading'; message: string }
  | { kind: 'error'; message: string; signIn?: boolean }
  | { kind: 'name'; member: RoomMember; error: string; busy: boolean }
  | { kind: 'ready'; member: RoomMember }
  | { kind: 'site' };

/**
 * The application shell. Boots the room (session, display name, documents, editor), then
 * renders the header, the book page, the sidebar and the floating layers. Rendered into
 * light DOM because ProseMirror manages the chapter's DOM and selection directly.
 */
export class ApApp extends LitElement {
  static override properties = {
    phase: { state: true },
    snapshot: { state: true },
    peers: { state: true },
    exportChoices: { state: true },
    room: { state: true },
    renaming: { state: true },
    round: { state: true },
    seminar: { state: true },
  };
  declare phase: Phase;
  declare snapshot: ConnectionSnapshot | null;
  declare peers: Peer[];
  /** The downloads the export menu offers; null while the server is being asked. */
  declare exportChoices: ExportChoice[] | null;
  /** The interactive state of the open room (annotations, selection, popovers). */
  declare room: ReadingRoomState | null;
  /** Whether the name dialog is open over the room (the user asked to change their name). */
  declare renaming: boolean;
  /** The room's latest blind round and what this user sees in it (docs/seminar-view.md). */
  declare round: RoundView;
  /** The seminar leader's view of the open room. */
  declare seminar: SeminarController | null;

  private member: RoomMember | null = null;
  private roomName = '';
  private connection: RoomConnection | null = null;
  private readingRoom: ReadingRoom | null = null;
  /** Set while a refused annotation change is being recovered (further refusals are expected). */
  private recovering = false;
  /** Printing (the Print action, Ctrl+P, the browser's Print), wired once the room is open. */
  private printing: { print(): void; destroy(): void } | null = null;
  private readonly onBeforeUnload = (event: BeforeUnloadEvent): void => {
    // Promise 2 of docs/reliability.md: warn before closing while changes are not yet stored.
    if ((this.connection?.snapshot().pending ?? 0) > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  };

  constructor() {
    super();
    this.phase = { kind: 'loading', message: 'Opening the chapter…' };
    this.snapshot = null;
    this.peers = [];
    this.exportChoices = null;
    this.room = null;
    this.renaming = false;
    this.round = NO_ROUND;
    this.seminar = null;
    this.addEventListener(OPEN_SEMINAR, () => this.seminar?.show());
  }

  override createRenderRoot(): HTMLElement {
    // Light DOM: ProseMirror needs the document's selection, and app.css styles the chapter.
    this.replaceChildren();
    return this;
  }

  // Back online, the export menu may become available (it is probed only while online).
  private readonly onOnline = (): void => this.checkExports();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onBeforeUnload);
    window.addEventListener('online', this.onOnline);
    this.addEventListener(REVEAL_ANNOTATION, this.onReveal);
    this.addEventListener(SHOW_PASSAGE, this.onShowPassage);
    void this.boot();
  }

  /** A highlight was opened: in the narrow layout the sidebar's sheet opens on its card. */
  private readonly onReveal = (): void => this.querySelector<ApSidebar>('ap-sidebar')?.reveal('annotations');
  /** A passage is shown in the text (a suggestion's Show): the narrow layout's sheet gets out of the way. */
  private readonly onShowPassage = (): void => this.querySelector<ApSidebar>('ap-sidebar')?.collapse();

  override disconnectedCallback(): void {
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    window.removeEventListener('online', this.onOnline);
    this.printing?.destroy();
    this.removeEventListener(REVEAL_ANNOTATION, this.onReveal);
    this.removeEventListener(SHOW_PASSAGE, this.onShowPassage);
    this.seminar?.destroy();
    this.readingRoom?.destroy();
    this.staffLayers?.destroy();
    this.connection?.destroy();
    super.disconnectedCallback();
  }

  /** Shows a notice in the corner stack. */
  notify(notice: Notice): void {
    this.querySelector<ApNotice>('ap-notice')?.show(notice);
  }

  private async boot(): Promise<void> {
    const room = roomFromPath(location.pathname);
    // Every other address is a page of the site around the rooms (home, sign-in, seminars…).
    if (!room) {
      this.phase = { kind: 'site' };
      return;
    }
    this.roomName = room;
    // The round is asked for alongside the member, not after: the annotation socket opens only
    // once both are known, and on a large room every turn before it delays the highlights.
    const round = navigator.onLine ? fetchRoundView(room) : null;
    const member = await this.identify(room);
    if (!member.ok) return this.fail(member.error.message, member.error.status === 401);
    this.member = member.value;
    if (needsDisplayName(member.value)) {
      this.phase = { kind: 'name', member: member.value, error: '', busy: false };
      return;
    }
    await this.enterRoom(member.value, round);
  }

  /**
   * Asks the server who this session is; offline (no network at all), falls back to who it
   * was last time in this browser, so that unsaved work can be seen and kept after a reload.
   */
  private async identify(room: string): Promise<RoomApiResult<RoomMember>> {
    const cached = recallMember(room);
    if (!navigator.onLine && cached) return { ok: true, value: cached };
    const member = await fetchRoomMember(room);
    if (member.ok) rememberMember(member.value);
    else if (member.error.status === 0 && cached) return { ok: true, value: cached };
    return member;
  }

  private fail(message: string, signIn = false): void {
    this.phase = { kind: 'error', message, signIn };
  }

  private async onNameChosen(event: CustomEvent<string>): Promise<void> {
    const member = this.member;
    // The dialog is shown only once the server has said who this is.
    if (!member) return;
    const connection = this.connection;
    if (!connection) this.phase = { kind: 'name', member, error: '', busy: true };
    const saved = await saveDisplayName(this.roomName, event.detail);
    if (!saved.ok) {
      if (connection) this.notify({ level: 'error', message: saved.error.message });
      else this.phase = { kind: 'name', member, error: saved.error.message, busy: false };
      return;
    }
    rememberDisplayName(member, event.detail);
    member.name = event.detail;
    rememberMember(member);
    if (!connection) return this.enterRoom(member);
    publishLocalUser(connection.awareness, { userId: member.userId, name: member.name, role: member.role });
    this.readingRoom?.rename(member.name);
    this.renaming = false;
  }

  /** Opens the room for `member`; `round` is the round's view when it was already asked for. */
  private async enterRoom(member: RoomMember, round: ReturnType<typeof fetchRoundView> | null = null): Promise<void> {
    this.phase = { kind: 'loading', message: 'Opening the chapter…' };
    await this.readRound(round);
    const connection = await RoomConnection.open({
      annotationsPath: this.annotationLayerPath(),
      onRoundChanged: () => void this.reopenForRound(),
      room: this.roomName,
      roomUid: member.roomUid,
      userId: member.userId,
      collabUrl: collabUrlFor(location),
      writable: { text: can(member.role, 'edit-text'), annotations: can(member.role, 'annotate') },
      onNotice: (notice) => this.notify(notice),
      onAnnotationsRefused: (refusal) => this.onAnnotationsRefused(refusal),
    });
    this.connection = connection;
    connection.subscribe((snapshot) => (this.snapshot = snapshot));
    publishLocalUser(connection.awareness, { userId: member.userId, name: member.name, role: member.role });
    connection.awareness.on('change', () => (this.peers = listPeers(connection.awareness)));
    this.peers = listPeers(connection.awareness);
    await connection.whenTextReady();
    this.phase = { kind: 'ready', member };
    await this.updateComplete;
    this.mountRoom(connection, member);
    this.checkExports();
  }

  private onAnnotationsRefused(refusal: ChangeRefusal): void {
    if (!this.recovering) this.notify(refusalNotice(refusal.reason, () => void this.recoverRefusedWork()));
  }

  /**
   * Puts the user's annotation work that a refusal blocked onto the server (refusal-recovery.ts),
   * then drops the local annotation cache, which still holds the refused change, and reopens the room.
   */
  private async recoverRefusedWork(): Promise<void> {
    const { connection, member } = this;
    if (!connection || !member || this.recovering) return;
    const retry = (): void => void this.recoverRefusedWork();
    if (!navigator.onLine) return this.notify(recoveryFailedNotice('you are offline', retry));
    this.recovering = true;
    this.notify(recoveringNotice());
    const footnotes = this.room?.footnoteNumbers ?? [];
    const result = await recoverRefusedWork({
      room: this.roomName,
      collabUrl: collabUrlFor(location),
      localDoc: connection.annotations.ydoc,
      roomname: this.annotationLayerPath() ?? undefined,
      replay: {
        actor: { userId: member.userId, name: member.name },
        identities: new Set(member.identities),
        role: member.role,
        ownClients: new Set([...connection.unsavedAnnotationClients(), connection.annotations.ydoc.clientID]),
        ...(footnotes.length > 0 ? { footnoteNumbers: new Set(footnotes) } : {}),
      },
    });
    if (!result.ok) {
      this.recovering = false;
      return this.notify(recoveryFailedNotice(result.error, retry));
    }
    await this.reopenRoom(member);
    this.recovering = false;
    this.notify(recoverySummaryNotice(result.value));
  }

  /**
   * Reads the room's blind round: during one, the user annotates in a layer of their own. Offline,
   * the room opens as it was last seen (no round known: the server refuses what it must).
   */
  private async readRound(asked: ReturnType<typeof fetchRoundView> | null = null): Promise<void> {
    if (!navigator.onLine) return;
    let view = await (asked ?? fetchRoundView(this.roomName));
    // A reveal takes a moment: the room reopens once it is done, on the shared layer (opening the
    // user's layer meanwhile could outlast the reveal's closing of the layers).
    for (let waited = 0; view.ok && view.value.round?.state === 'revealing' && waited < REVEAL_WAIT_MS; waited += REVEAL_POLL_MS) {
      this.phase = { kind: 'loading', message: 'The owner is revealing the blind round…' };
      await new Promise((resolve) => setTimeout(resolve, REVEAL_POLL_MS));
      view = await fetchRoundView(this.roomName);
    }
    if (view.ok) this.round = view.value;
  }

  /** The annotation document this user writes in: their own layer while a blind round is open, else the shared one. */
  private annotationLayerPath(): string | null {
    const { round, you } = this.round;
    return round && (round.state === 'open' || you.sharedHidden) ? you.layer : null;
  }

  /**
   * A blind round started, ended or was revealed: reopen the room on the layer the user now sees.
   * A change heard while reopening (a reveal closes the layers when it starts and again when it
   * is done) reopens once more afterwards, so the page ends on the round's final state.
   */
  private reopenForRound(): void {
    if (this.reopening) {
      this.reopenAgain = true;
      return;
    }
    this.reopening = true;
    void this.reopenRoom(this.member!, { keepCache: true }).finally(() => {
      this.reopening = false;
      if (!this.reopenAgain) return;
      this.reopenAgain = false;
      this.reopenForRound();
    });
  }

  private reopening = false;
  private reopenAgain = false;

  /** The staff's layers shown read-only beside the user's own (a blind round whose owner chose so). */
  private staffLayers: ReadOnlyLayers | null = null;

  private openStaffLayers(member: RoomMember): ReadOnlyLayers {
    this.staffLayers?.destroy();
    // Only the staff's layers, and only when the owner chose to show them: the owner watches the
    // students' work in the seminar view, not in the chapter.
    const { round, participants, you } = this.round;
    const staff = new Set(participants.filter((p) => p.role === 'owner' || p.role === 'reviewer').map((p) => p.userId));
    const shown = this.annotationLayerPath() !== null && round?.showStaff === true;
    const others = shown ? you.layers.filter((layer) => layer.userId !== member.userId && staff.has(layer.userId)).map((layer) => layer.name) : [];
    this.staffLayers = new ReadOnlyLayers(collabUrlFor(location), others, () => this.reopenForRound());
    return this.staffLayers;
  }

  /** Closes the room, forgets its local annotation cache (unless kept) and opens it again from the server. */
  private async reopenRoom(member: RoomMember, { keepCache = false } = {}): Promise<void> {
    this.seminar?.destroy();
    this.seminar = null;
    this.readingRoom?.destroy();
    this.staffLayers?.destroy();
    this.staffLayers = null;
    this.connection?.destroy();
    this.readingRoom = null;
    this.connection = null;
    this.room = null;
    if (member.roomUid && !keepCache) await dropLocalCache(this.roomName, member.roomUid, member.userId, 'annotations', this.annotationLayerPath());
    await this.enterRoom(member);
  }

  /** Enables the export menu once the export endpoint answers (not while offline: no failed requests). */
  private checkExports(): void {
    if (!navigator.onLine || (this.exportChoices?.length ?? 0) > 0) return;
    void fetchExportChoices(this.roomName).then((choices) => (this.exportChoices = choices));
  }

  private mountRoom(connection: RoomConnection, member: RoomMember): void {
    const mount = this.querySelector<HTMLElement>('#ap-chapter-mount')!;
    this.readingRoom = new ReadingRoom({
      host: this,
      mount,
      connection,
      member,
      onNotice: (notice) => this.notify(notice),
      onChange: (state) => (this.room = state),
      readOnlyLayers: this.openStaffLayers(member).docs,
    });
    this.printing ??= wirePrinting(() => this.printSource());
    this.seminar = new SeminarController({
      host: this,
      member,
      room: this.roomName,
      collabUrl: collabUrlFor(location),
      textDoc: connection.text.ydoc,
      title: () => this.room?.title ?? '',
      round: this.round,
      readingLayer: this.readingRoom.layer,
      readingLayerIsShared: this.annotationLayerPath() === null,
      readingLayerReady: connection.whenAnnotationsReady(),
      onRoundChanged: () => this.reopenForRound(),
      notify: (notice) => this.notify(notice),
    });
    performance.mark('ap-chapter-rendered');
    const linked = linkedItemFromHash(location.hash);
    if (linked) void this.readingRoom.openLinked(linked).then((found) => found || this.notifyMissingLink(linked));
    const sentence = linkedSentenceFromHash(location.hash);
    if (sentence) void this.readingRoom.openLinkedSentence(sentence).then((found) => found || this.notify({ level: 'warning', message: 'The sentence this link points to is no longer in the chapter (its paragraph was changed or deleted).' }));
    // Highlights are patched in after the annotation document syncs; the next frame shows them.
    void connection.whenAnnotationsReady().then(() => requestAnimationFrame(() => performance.mark('ap-highlights-rendered')));
  }

  /** Says so when a followed link names an annotation this room no longer has. */
  private notifyMissingLink(item: LinkedItem): void {
    this.notify({ level: 'warning', message: `The ${item.kind} this link points to is not in this room (it may have been deleted).` });
  }

  /** What a printout shows: the live documents and the annotations the sidebar's filters let through. */
  private printSource(): PrintSource | null {
    const connection = this.connection;
    if (!connection) return null;
    const filter = this.querySelector<ApSidebar>('ap-sidebar')?.filter ?? emptyFilter();
    const annotations = this.room?.annotations ?? [];
    return {
      room: this.roomName,
      textDoc: connection.text.ydoc,
      annotationsDoc: connection.annotations.ydoc,
      visibleIds: () => {
        if (!isFilterActive(filter)) return null;
        const { inText, needsAttention } = filterAnnotations(annotations, filter);
        return new Set([...inText, ...needsAttention].map((a) => a.id));
      },
      filterNote: () => describeFilter(filter, annotations),
    };
  }

  /** The chapter editor, for tests and tools. */
  get editorView(): EditorView | null {
    return this.readingRoom?.view ?? null;
  }

  /** Test hook: the live annotation document (e2e specs forge a change the server refuses through it). */
  get annotationsDocForTests(): Y.Doc | null {
    return this.connection?.annotations.ydoc ?? null;
  }

  override render() {
    const phase = this.phase;
    if (phase.kind === 'site') return html`<ap-site></ap-site>`;
    if (phase.kind === 'loading' || phase.kind === 'error') {
      return html`<div class="ap-boot ${phase.kind === 'error' ? 'ap-boot--error' : ''}" role=${phase.kind === 'error' ? 'alert' : 'status'} aria-live="polite">
          <p class="ap-boot__title">Apparatus</p>
          <p class="ap-boot__text">${phase.message}</p>
          ${phase.kind === 'error' && phase.signIn ? html`<p class="ap-boot__text"><a href="/sign-in?return=${encodeURIComponent(location.pathname)}">Sign in</a> · <a href="/">Your seminars</a></p>` : null}
          ${this.snapshot && phase.kind === 'loading' ? html`<p class="ap-boot__text"><ap-save-status .snapshot=${this.snapshot}></ap-save-status></p>` : null}
        </div>
        <ap-notice></ap-notice>`;
    }
    if (phase.kind === 'name') return this.renderNameDialog(phase.member, phase.error, phase.busy);
    return this.renderRoom(phase.member);
  }

  private renderRoom(member: RoomMember) {
    const room = this.room;
    const editing = room?.editing ?? false;
    return html`<nav class="ap-skip-links" aria-label="Skip links"><a class="ap-skip-link" href="#ap-sidebar">Skip to the annotations</a></nav>
      <div class="ap-shell">
        <ap-header
          .chapterTitle=${room?.title ?? ''}
          .room=${this.roomName}
          .userName=${member.name}
          .role=${member.role}
          .peers=${this.peers}
          .snapshot=${this.snapshot}
          .exportChoices=${this.exportChoices}
          .canEditText=${can(member.role, 'edit-text')}
          .editing=${editing}
          .home=${member.seminar ? { href: `/s/${encodeURIComponent(member.seminar.id)}`, label: member.seminar.title } : { href: '/', label: 'your seminars' }}
          .signUpHref=${member.isAccount ? null : `/sign-up?return=${encodeURIComponent(location.pathname)}`}
          @ap-toggle-editing=${(e: CustomEvent<boolean>) => this.readingRoom?.setEditing(e.detail)}
          @ap-rename-request=${() => (this.renaming = true)}
          @ap-print-request=${() => this.printing?.print()}
        ></ap-header>
        <main class="ap-reading" id="ap-reading" aria-label="Chapter">
          <ap-room-bar .round=${this.round} .role=${member.role}></ap-room-bar>
          <article class="ap-page">
            <p class="ap-page__eyebrow">${this.eyebrow(member.role, editing)}</p>
            <div id="ap-chapter-mount"></div>
          </article>
        </main>
        <ap-sidebar
          id="ap-sidebar"
          role="complementary"
          aria-label="Annotations, footnotes and suggestions"
          tabindex="-1"
          .annotations=${room?.annotations ?? []}
          .activeId=${room?.activeId ?? null}
          .role=${member.role}
          .userId=${member.userId}
          .footnoteNumbers=${room?.footnoteNumbers ?? []}
          .footnoteReport=${room?.footnoteReport ?? null}
          .suggestions=${room?.suggestions ?? null}
          .canAct=${can(member.role, 'annotate')}
        ></ap-sidebar>
        <ap-seminar-view hidden .controller=${this.seminar}></ap-seminar-view>
      </div>
      <ap-selection-toolbar .anchorRect=${room?.toolbarRect ?? null}></ap-selection-toolbar>
      ${room?.editor
        ? html`<ap-annotation-editor
            .mode=${room.editor.mode}
            .draft=${room.editor.draft}
            .quote=${room.editor.quote}
            .offeredFootnotes=${room.editor.offeredFootnotes}
            .allFootnotes=${room.footnoteNumbers}
            .anchorRect=${room.editor.anchorRect}
          ></ap-annotation-editor>`
        : null}
      <ap-hover-card .annotations=${room?.hover?.annotations ?? NO_ANNOTATIONS} .anchorRect=${room?.hover?.rect ?? null}></ap-hover-card>
      <ap-footnote-preview .peek=${room?.footnotePeek ?? null}></ap-footnote-preview>
      <ap-notice></ap-notice>
      ${this.renaming ? this.renderNameDialog(member, '', false) : null}`;
  }

  private renderNameDialog(member: RoomMember, error: string, busy: boolean) {
    const initial = this.renaming ? member.name : suggestedDisplayName(member);
    return html`<ap-name-dialog .roomTitle=${this.roomName} .role=${member.role} .initialName=${initial} .error=${error} .busy=${busy} @ap-name-chosen=${this.onNameChosen} @ap-name-cancel=${() => (this.renaming = false)}></ap-name-dialog>`;
  }

  private eyebrow(role: RoomMember['role'], editing: boolean): string {
    if (editing) return 'Editing the text · changes are shared live';
    if (role === 'viewer') return 'Reading · view only';
    return 'Select a passage to annotate it';
  }
}

customElements.define('ap-app', ApApp);
