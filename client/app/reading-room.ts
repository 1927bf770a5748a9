import type * as Y from 'yjs';
import { Plugin, TextSelection } from 'prosemirror-state';
import type { EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { yUndoPluginKey } from 'y-prosemirror';
import { can, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { SuggestionList } from '../model/suggestion-list.ts';
import type { RoomMember } from '../collab/room-api.ts';
import type { ConnectionNotice, RoomConnection } from '../collab/room-connection.ts';
import { createChapterEditor, destroyChapterEditor } from '../editor/chapter-editor.ts';
import { annotationKeys } from '../editor/annotation-keys.ts';
import { HIGHLIGHT_SELECTOR, paintsHighlights } from '../editor/annotation-decorations.ts';
import type { AnnotationShortcut } from '../editor/annotation-keys.ts';
import { viewObserver } from '../editor/view-observer.ts';
import { isTextEditing, setTextEditing } from '../editor/read-only-guard.ts';
import { FOOTNOTE_JUMP, FOOTNOTE_PEEK, FOOTNOTE_UNPEEK } from '../editor/footnote-events.ts';
import type { FootnoteJumpDetail, FootnotePeekDetail } from '../editor/footnote-events.ts';
import { buildFootnoteReport, chapterFootnotes } from '../model/footnote-report.ts';
import type { FootnoteReport } from '../model/footnote-report.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import { ANNOTATION_ACTION, REVEAL_ANNOTATION, SHOW_PASSAGE, TOOLBAR_CHOICE } from '../components/app-events.ts';
import { bringPassageIntoView } from './passage-into-view.ts';
import { isNarrowLayout } from '../components/layout-mode.ts';
import { listPeers } from '../collab/presence.ts';
import type { AnnotationAction, AnnotationDraft, ToolbarChoice } from '../components/app-events.ts';
import { EDITOR_CANCEL, EDITOR_SUBMIT } from '../components/ap-annotation-editor.ts';
import type { FootnotePeek } from '../components/ap-footnote-preview.ts';
import { AnnotationLayer } from './annotation-layer.ts';
import { AuthorDirectory } from './author-directory.ts';
import { Suggestions } from './suggestions.ts';
import type { AnnotatedRange } from './related-passage.ts';
import { SUGGESTION_ACTION } from '../components/ap-suggestions-panel.ts';
import type { SuggestionAction } from '../components/ap-suggestions-panel.ts';
import { jumpToFootnote } from './footnote-navigation.ts';
import { whenIdle } from './idle.ts';
import { rangeRect, selectionRect } from './selection-geometry.ts';
import type { LinkedItem, LinkedSentence } from './room-address.ts';
import { linkedSentenceRange } from './linked-sentence.ts';
import { EditorPopover } from './editor-popover.ts';
import type { EditorPopoverState } from './editor-popover.ts';
import { HighlightHover } from './highlight-hover.ts';
import type { HoverState } from './highlight-hover.ts';
import { OwnerReanchoring } from './owner-reanchoring.ts';

/** Everything the shell renders about the open room, replaced as a whole on each change. */
export interface ReadingRoomState {
  title: string;
  editing: boolean;
  annotations: AnnotationView[];
  activeId: string | null;
  footnoteNumbers: number[];
  footnoteReport: FootnoteReport | null;
  /** The assistants' suggestions (open, covered, dismissed), or null before the first analysis. */
  suggestions: SuggestionList | null;
  toolbarRect: DOMRect | null;
  editor: EditorPopoverState | null;
  hover: HoverState | null;
  footnotePeek: FootnotePeek | null;
}

/** What a reading room is built from. */
export interface ReadingRoomOptions {
  /** The element whose subtree holds the page; UI events bubble to it. */
  host: HTMLElement;
  mount: HTMLElement;
  connection: RoomConnection;
  member: RoomMember;
  onNotice: (notice: ConnectionNotice) => void;
  onChange: (state: ReadingRoomState) => void;
  /** Annotation layers shown read-only beside the user's own (a blind round's staff layers). */
  readOnlyLayers?: readonly Y.Doc[];
}

/**
 * The interactive room: the chapter editor bound to the text document, the annotation
 * layer, and the glue between them and the components (selection toolbar, annotation
 * editor popover, hover card, footnote preview, sidebar actions).
 */
export class ReadingRoom {
  readonly view: EditorView;
  readonly layer: AnnotationLayer;
  private readonly suggestions: Suggestions;
  private analysed = false;
  private readonly popover: EditorPopover;
  private readonly hover: HighlightHover;
  private activeId: string | null = null;
  private footnotePeek: FootnotePeek | null = null;
  private footnotes: Array<{ n: number; text: string }> = [];
  private footnotesDoc: EditorState['doc'] | null = null;
  private title = '';
  private frame = 0;
  private report: { annotations: AnnotationView[]; footnotes: unknown; value: FootnoteReport } | null = null;
  private readonly cleanups: Array<() => void> = [];
  /** Who acts; shared with the layer and the assistants, so a rename reaches every new write. */
  private readonly actor: { userId: string; name: string };
  /** Authors as people: a guest identity that became part of an account reads as that account. */
  private readonly authors: AuthorDirectory;

  constructor(private readonly options: ReadingRoomOptions) {
    const { connection, member } = options;
    this.actor = { userId: member.userId, name: member.name };
    this.authors = new AuthorDirectory(member.room, member, () => this.layer.refreshAuthors());
    this.layer = new AnnotationLayer({
      annotationsDoc: connection.annotations.ydoc,
      textDoc: connection.text.ydoc,
      actor: this.actor,
      getView: () => this.view,
      authors: this.authors,
      readOnlyDocs: options.readOnlyLayers ?? [],
      drawingHeld: () => connection.receivingAnnotationState(),
    });
    this.cleanups.push(connection.subscribe(() => {
      if (!connection.receivingAnnotationState()) this.layer.resumeDrawing();
    }));
    this.suggestions = new Suggestions(connection.annotations.ydoc, connection.text.ydoc, this.actor);
    this.popover = new EditorPopover(() => this.view, () => this.emit());
    this.hover = new HighlightHover(this.layer, () => this.emit());
    this.view = createChapterEditor({
      mount: options.mount,
      yFragment: connection.text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME),
      awareness: connection.awareness,
      label: 'Chapter text',
      plugins: [annotationKeys((shortcut, view) => this.onShortcut(shortcut, view)), this.clickPlugin(), this.layer.plugin, viewObserver(() => this.schedule())],
    });
    this.hover.attach(this.view);
    if (can(member.role, 'edit-others')) this.keepAnchored(connection);
    this.cleanups.push(this.layer.subscribe(() => this.schedule()), this.suggestions.subscribe(() => this.schedule()));
    // The assistants read the chapter once the annotations are drawn and the page is idle, and
    // again after text edits. Not before: on a large room the analysis (~0.5 s) would run in the
    // middle of opening it and delay the highlights (bench/scenarios/browser-open-5000.ts).
    void connection.whenAnnotationsReady().then(() => requestAnimationFrame(() => whenIdle(() => this.analyse(), 2000)));
    this.listen();
    this.followPresentNames();
    this.emit();
  }

  /** Uses the user's new display name for what they write from now on (the server checks it). */
  rename(name: string): void {
    this.actor.name = name;
    this.authors.rename(name);
    this.layer.refreshAuthors();
  }

  /** Switches the owner's text editing on or off. */
  setEditing(editing: boolean): void {
    if (!can(this.options.member.role, 'edit-text')) return;
    setTextEditing(this.view, editing);
    this.view.focus();
    this.emit();
  }

  /** Stops listening and destroys the editor. */
  destroy(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.hover.detach();
    this.suggestions.destroy();
    this.authors.destroy();
    this.layer.destroy();
    destroyChapterEditor(this.view);
  }

  /**
   * On the owner's client (only the owner may write other people's annotations): re-anchor
   * annotations that the owner's text edits relocated, once the room has synced and after
   * each edit, and those an undo restored (see OwnerReanchoring).
   */
  private keepAnchored(connection: RoomConnection): void {
    const reanchoring = new OwnerReanchoring({
      annotationsDoc: connection.annotations.ydoc,
      textDoc: connection.text.ydoc,
      actor: this.actor,
      undoManager: yUndoPluginKey.getState(this.view.state)?.undoManager ?? null,
      hasRelocated: () => this.layer.views().some((view) => view.anchorState === 'relocated'),
    });
    let synced = false;
    const unsubscribe = connection.subscribe((snapshot) => {
      if (snapshot.synced && !synced) {
        synced = true;
        reanchoring.schedule();
      }
    });
    this.cleanups.push(unsubscribe, () => reanchoring.destroy());
  }

  private get canAnnotate(): boolean {
    return can(this.options.member.role, 'annotate');
  }

  // --- events from the page -------------------------------------------------------------

  private listen(): void {
    const host = this.options.host;
    const on = <T>(name: string, handler: (detail: T, event: CustomEvent<T>) => void): void => {
      const listener = (event: Event): void => handler((event as CustomEvent<T>).detail, event as CustomEvent<T>);
      host.addEventListener(name, listener);
      this.cleanups.push(() => host.removeEventListener(name, listener));
    };
    on<AnnotationAction>(ANNOTATION_ACTION, (action) => this.onAction(action));
    on<SuggestionAction>(SUGGESTION_ACTION, (action) => this.onSuggestion(action));
    on<ToolbarChoice>(TOOLBAR_CHOICE, (choice) => this.onChoice(choice));
    on<AnnotationDraft>(EDITOR_SUBMIT, (draft) => this.onEditorSubmit(draft));
    on(EDITOR_CANCEL, () => this.closePopover());
    on<FootnotePeekDetail>(FOOTNOTE_PEEK, (detail) => this.peekFootnote(detail));
    on(FOOTNOTE_UNPEEK, () => this.setPeek(null));
    on<FootnoteJumpDetail>(FOOTNOTE_JUMP, (detail) => {
      this.setPeek(null);
      if (!jumpToFootnote(this.view.dom, detail.n, detail.to)) this.options.onNotice({ level: 'info', message: `Footnote ${detail.n} is not in the chapter.` });
    });
    const reading = host.querySelector<HTMLElement>('#ap-reading');
    const onScroll = (): void => this.schedule();
    reading?.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    this.cleanups.push(() => {
      reading?.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    });
  }

  private clickPlugin(): Plugin {
    return new Plugin({
      props: {
        handleClick: (view, pos, event) => {
          // Only a click on a highlight opens it; a click elsewhere just places the caret. Painted
          // highlights (a large room) are no elements: the point is checked against their lines.
          if (event.shiftKey) return false;
          const [innermost] = paintsHighlights(view.state) ? this.hover.paintedAt(event.clientX, event.clientY).ids : (event.target as Element).closest?.(HIGHLIGHT_SELECTOR) ? this.layer.annotationsAt(pos) : [];
          if (!innermost) return false;
          // The caret the click put into the DOM may not have reached the editor's state yet
          // (its selectionchange comes later). Opening the annotation redraws the highlight,
          // which writes the state's selection back to the DOM: the caret would jump back to
          // where it was, and the owner's typing land there (issue 13). Place it first.
          view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos))));
          this.open(innermost, { scrollText: false });
          return true;
        },
      },
    });
  }

  private onShortcut(shortcut: AnnotationShortcut, view: EditorView): boolean {
    if (shortcut === 'cancel') {
      // Esc right after P or C can reach the chapter before the new form has taken focus: it
      // cancels that form too, as Esc inside the form would.
      if (this.popover.state) this.closePopover();
      view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, view.state.selection.head)));
      return true;
    }
    if (shortcut === 'open') {
      const [innermost] = this.layer.annotationsAt(view.state.selection.head);
      if (!innermost) return false;
      this.open(innermost, { scrollText: false });
      return true;
    }
    if (!this.canAnnotate) return false;
    this.onChoice(shortcut);
    return true;
  }

  private onChoice(choice: ToolbarChoice): void {
    const { from, to, empty } = this.view.state.selection;
    if (empty || !this.canAnnotate) return;
    if (choice === 'problem' || choice === 'comment') {
      this.popover.openCreate(choice, { from, to });
      return;
    }
    const draft = this.popover.defaultDraft(choice, { from, to });
    const created = this.layer.create({ from, to }, draft);
    if (!created.ok) return this.options.onNotice({ level: 'warning', message: created.error });
    this.collapseSelection(to);
    this.setActive(created.value);
    this.popover.openEdit(created.value, this.layer.view(created.value)!, { from, to });
  }

  private onEditorSubmit(draft: AnnotationDraft): void {
    const target = this.popover.state;
    if (!target) return;
    if (target.mode === 'edit') {
      const updated = this.layer.update(target.annotationId, draft);
      if (!updated.ok) return this.popover.setError(updated.error);
      return this.closePopover();
    }
    const created = this.layer.create(target.range, draft);
    if (!created.ok) return this.popover.setError(created.error);
    if (typeof created.value === 'string') {
      this.collapseSelection(target.range.to);
      this.setActive(created.value);
    }
    this.closePopover();
  }

  private closePopover(): void {
    this.popover.close();
    this.view.focus();
    this.emit();
  }

  private collapseSelection(at: number): void {
    const pos = Math.min(at, this.view.state.doc.content.size);
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.near(this.view.state.doc.resolve(pos))));
  }

  private onAction(action: AnnotationAction): void {
    const layer = this.layer;
    let result: { ok: boolean; error?: string } = { ok: true };
    switch (action.type) {
      case 'open': return this.open(action.id, { scrollText: true });
      case 'close': return this.setActive(null);
      case 'hover': return this.hover.setCardHover(action.id);
      case 'edit': return this.editExisting(action.id);
      case 'update': result = layer.update(action.id, action.draft); break;
      case 'reply': result = layer.reply(action.id, action.body); break;
      case 'edit-reply': result = layer.editReply(action.replyId, action.body); break;
      case 'delete-reply': result = layer.deleteReply(action.replyId); break;
      case 'set-status': result = layer.setStatus(action.id, action.status); break;
      case 'apply-correction': result = layer.applyCorrection(action.id); break;
      case 'delete':
        result = layer.remove(action.id);
        if (result.ok && this.activeId === action.id) this.setActive(null);
        break;
    }
    if (!result.ok) this.options.onNotice({ level: 'warning', message: result.error ?? 'That did not work.' });
  }

  private analyse(): void {
    if (this.view.isDestroyed) return;
    this.analysed = true;
    this.suggestions.analyse(this.view.state.doc);
  }

  private suggestionList(annotations: AnnotationView[]): SuggestionList {
    const { userId, role } = this.options.member;
    return this.suggestions.list(annotations, (id) => this.layer.rangeOf(id), { userId, role, nameOf: this.presentNames });
  }

  /** Names of the people present, for "Dismissed by …" (a new function only when presence changes, so lists stay cached). */
  private presentNames: (userId: string) => string | undefined = () => undefined;

  private followPresentNames(): void {
    const awareness = this.options.connection.awareness;
    const refresh = (): void => {
      const names = new Map(listPeers(awareness).map((peer) => [peer.userId, peer.name]));
      this.presentNames = (userId) => names.get(userId);
      this.schedule();
    };
    awareness.on('change', refresh);
    this.cleanups.push(() => awareness.off('change', refresh));
    refresh();
  }

  private onSuggestion(action: SuggestionAction): void {
    if (action.type === 'show') return this.showSuggestion(action.id);
    if (action.type === 'accept') return this.acceptSuggestion(action.id);
    const result = action.type === 'restore' ? this.suggestions.restore(action.id) : this.suggestions.dismiss(action.id);
    if (!result.ok) this.options.onNotice({ level: 'warning', message: result.error });
  }

  /** Accepts a suggestion, unless an annotation already records it: accepting never doubles what exists. */
  private acceptSuggestion(id: string): void {
    const covered = this.suggestionList(this.layer.views()).covered.find((c) => c.finding.id === id);
    if (covered) return this.options.onNotice({ level: 'info', message: `Already recorded: ${covered.coveredBy}.` });
    const result = this.suggestions.accept(id, this.annotatedRanges());
    if (!result.ok) return this.options.onNotice({ level: 'warning', message: result.error });
    this.options.onNotice({ level: 'info', message: 'Suggestion added as your annotation.' });
  }

  /** Every annotation that has a place in the text, with its live range. */
  private annotatedRanges(): AnnotatedRange[] {
    return this.layer.views().flatMap((view) => {
      const range = this.layer.rangeOf(view.id);
      return range ? [{ id: view.id, ...range }] : [];
    });
  }

  /** Selects a suggestion's quote in the text and brings it wholly into view (closing the narrow layout's sheet). */
  private showSuggestion(id: string): void {
    const range = this.suggestions.rangeOf(id);
    if (range) this.showPassage(range);
  }

  /**
   * Selects a sentence an address links to (a seminar overview's agenda) once the room has
   * settled, and brings it into view; false when the chapter no longer has it.
   */
  async openLinkedSentence(sentence: LinkedSentence): Promise<boolean> {
    await this.options.connection.whenAnnotationsReady();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    if (this.view.isDestroyed) return true;
    const range = linkedSentenceRange(this.options.connection.text.ydoc, sentence);
    if (range) this.showPassage(range);
    return range !== null;
  }

  /** Selects a passage and brings it wholly into view (closing the narrow layout's sheet). */
  private showPassage(range: { from: number; to: number }): void {
    this.options.host.dispatchEvent(new CustomEvent(SHOW_PASSAGE));
    // Focus first, so the selection goes to the editor's DOM rather than stay by the sidebar's button.
    this.view.focus();
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, range.from, range.to)));
    const reading = this.options.host.querySelector<HTMLElement>('#ap-reading');
    if (reading) bringPassageIntoView(this.view, reading, range.from, range.to);
  }

  /**
   * Opens the annotation an address links to (an annotation IRI a browser followed) once the
   * annotations have arrived, scrolling the text to it; a reply opens its annotation.
   */
  async openLinked(item: LinkedItem): Promise<boolean> {
    await this.options.connection.whenAnnotationsReady();
    const id = item.kind === 'reply' ? this.layer.annotationOfReply(item.id) : item.id;
    if (!id || !this.layer.view(id)) return false;
    this.open(id, { scrollText: false });
    // After the sidebar has drawn and smoothly scrolled to the card (which would cancel a smooth
    // scroll of the text started now), jump the text to the passage.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const range = this.layer.rangeOf(id);
    if (range) this.passageElement(range.from)?.scrollIntoView({ block: 'center' });
    return true;
  }

  /** The element the text at a document position is drawn in. */
  private passageElement(pos: number): Element | null {
    const dom = this.view.domAtPos(pos);
    return dom.node instanceof Element ? dom.node : dom.node.parentElement;
  }

  /**
   * Opens an annotation: selects its card in the sidebar and shows its highlight. In the narrow
   * layout the sidebar's sheet opens over the lower part of the screen, so the highlight moves
   * up to stay in view above it.
   */
  private open(id: string, { scrollText }: { scrollText: boolean }): void {
    this.setActive(id);
    this.options.host.dispatchEvent(new CustomEvent<string>(REVEAL_ANNOTATION, { detail: id }));
    const range = this.layer.rangeOf(id);
    const narrow = isNarrowLayout();
    if (!range || !(scrollText || narrow)) return;
    const element = this.passageElement(range.from);
    if (!element) return;
    if (!narrow) return element.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const reading = this.options.host.querySelector<HTMLElement>('#ap-reading');
    const top = this.view.coordsAtPos(range.from).top;
    const readingTop = reading?.getBoundingClientRect().top ?? 0;
    // The sheet covers about two thirds of the screen; the top quarter stays visible.
    if (top < readingTop + 8 || top > innerHeight * 0.25) reading?.scrollBy({ top: top - readingTop - 24, behavior: 'smooth' });
  }

  private editExisting(id: string): void {
    const view = this.layer.view(id);
    if (!view) return;
    this.setActive(id);
    this.popover.openEdit(id, view, this.layer.rangeOf(id));
  }

  private setActive(id: string | null): void {
    this.activeId = id;
    this.layer.setActive(id);
    this.emit();
  }

  private peekFootnote(detail: FootnotePeekDetail): void {
    this.refreshFootnotes();
    const note = this.footnotes.find((f) => f.n === detail.n);
    this.setPeek({ n: detail.n, text: note?.text ?? '', rect: detail.anchor.getBoundingClientRect() });
  }

  private setPeek(peek: FootnotePeek | null): void {
    this.footnotePeek = peek;
    this.emit();
  }

  // --- state for the shell ------------------------------------------------------------

  /** Coalesces bursts of changes (typing, remote updates, scrolling) into one render per frame. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.emit();
    });
  }

  private refreshFootnotes(): void {
    const doc = this.view.state.doc;
    if (this.footnotesDoc === doc) return;
    this.footnotesDoc = doc;
    if (this.analysed) this.suggestions.analyse(doc);
    this.footnotes = chapterFootnotes(doc);
    const first = doc.firstChild;
    this.title = first && first.type.name === 'heading' ? first.textContent : '';
  }

  /** The footnote panel's data, recomputed only when annotations or footnotes changed. */
  private footnoteReport(annotations: AnnotationView[]): FootnoteReport {
    if (this.report?.annotations !== annotations || this.report.footnotes !== this.footnotes) {
      this.report = { annotations, footnotes: this.footnotes, value: buildFootnoteReport(this.footnotes, annotations) };
    }
    return this.report.value;
  }

  private toolbarRect(): DOMRect | null {
    const view = this.view;
    if (!this.canAnnotate || isTextEditing(view.state) || this.popover.state !== null) return null;
    if (!view.hasFocus() && !this.options.host.querySelector('ap-selection-toolbar:focus-within')) return null;
    return selectionRect(view);
  }

  private emit(): void {
    this.refreshFootnotes();
    const annotations = this.layer.views();
    this.popover.reposition((from, to) => rangeRect(this.view, from, to));
    this.options.onChange({
      title: this.title,
      editing: isTextEditing(this.view.state),
      annotations,
      activeId: this.activeId,
      footnoteNumbers: this.footnotes.map((f) => f.n),
      footnoteReport: this.footnoteReport(annotations),
      suggestions: this.analysed ? this.suggestionList(annotations) : null,
      toolbarRect: this.toolbarRect(),
      editor: this.popover.state,
      hover: this.hover.state,
      footnotePeek: this.footnotePeek,
    });
  }
}
