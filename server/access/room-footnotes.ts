import type * as Y from 'yjs';
import { liveBlocks, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';

/**
 * The footnote numbers each room's chapter has now, for the update check: an annotation may
 * link only footnotes that exist in the chapter (issue 4). The numbers come from the room's
 * live text document (its top-level `footnote` blocks), computed when first asked for and
 * again only after the text changed. A room whose text is not loaded here is read from the
 * store when its annotations load (`prepare`: the check itself is synchronous), and read again
 * after `textChanged` says a text update for the room was accepted, here or by another server
 * process; until that read returns, the numbers read before stand.
 */

/** Where the text documents come from. */
export interface RoomFootnotesSources {
  /** The room's loaded text document, or null when it is not loaded. */
  liveTextDoc(room: string): Y.Doc | null;
  /**
   * The room's text document as stored, or null when the room has none. Called only when no
   * live document exists; the caller owns the returned document and destroys it.
   */
  storedTextDoc?(room: string): Promise<Y.Doc | null>;
  /** Told when reading the stored text again failed (the numbers read before stand meanwhile). */
  readFailed?(room: string, error: unknown): void;
}

/** The cached numbers of one live text document. */
interface LiveEntry {
  doc: Y.Doc;
  numbers: ReadonlySet<number> | null;
  forget(): void;
}

/** Returns the numbers of the chapter's footnote blocks (the `n` attribute of each). */
export function footnoteNumbersOf(textDoc: Y.Doc): Set<number> {
  const numbers = new Set<number>();
  for (const block of liveBlocks(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME))) {
    if (block.nodeName !== 'footnote') continue;
    const n = Number(block.getAttribute('n') as unknown);
    if (Number.isSafeInteger(n) && n > 0) numbers.add(n);
  }
  return numbers;
}

/**
 * The footnote numbers of every room, cached per live text document. A text update only marks
 * the cache stale (no work on the text's hot path); the walk over the top-level blocks (a few
 * hundred, no text read) runs when an update links a footnote after the text changed.
 */
export class RoomFootnotes {
  readonly #sources: RoomFootnotesSources;
  readonly #live = new Map<string, LiveEntry>();
  /** Numbers read from the store for rooms whose text was not loaded; read again when it changes. */
  readonly #stored = new Map<string, ReadonlySet<number>>();
  /** Reads from the store in flight, by room. */
  readonly #reading = new Map<string, Promise<void>>();

  constructor(sources: RoomFootnotesSources) {
    this.#sources = sources;
  }

  /**
   * The room's footnote numbers now, or null when the room has no text document here: neither
   * loaded nor read from the store (`prepare`).
   */
  numbers(room: string): ReadonlySet<number> | null {
    const entry = this.#liveEntry(room);
    if (entry) return (entry.numbers ??= footnoteNumbersOf(entry.doc));
    // Not loaded: the stored state is current, and is read again when a text update is accepted.
    return this.#stored.get(room) ?? null;
  }

  /** Before a room's annotations take updates: reads its text's numbers from the store, unless known. */
  prepare(room: string): Promise<void> {
    if (this.#liveEntry(room) || this.#stored.has(room)) return Promise.resolve();
    return this.#read(room);
  }

  /** Records that a text update of `room` was accepted (here or elsewhere): numbers read from the store are read again. */
  textChanged(room: string): void {
    if (this.#stored.has(room)) this.#read(room).catch((error: unknown) => this.#sources.readFailed?.(room, error));
  }

  /** Reads a room's numbers from its stored text (one read at a time per room; a read asked for meanwhile runs after). */
  #read(room: string): Promise<void> {
    const running = this.#reading.get(room);
    const read = (running ?? Promise.resolve()).then(async () => {
      const stored = (await this.#sources.storedTextDoc?.(room)) ?? null;
      // No text: a room created later must not be taken for one without text.
      if (stored === null) return void this.#stored.delete(room);
      try {
        this.#stored.set(room, footnoteNumbersOf(stored));
      } finally {
        stored.destroy();
      }
    });
    const settled = read.finally(() => {
      if (this.#reading.get(room) === settled) this.#reading.delete(room);
    });
    this.#reading.set(room, settled);
    return settled;
  }

  /** Forgets every cached document and number (the server is stopping). */
  clear(): void {
    for (const entry of [...this.#live.values()]) entry.forget();
    this.#stored.clear();
  }

  #liveEntry(room: string): LiveEntry | null {
    const cached = this.#live.get(room);
    if (cached) return cached;
    const doc = this.#sources.liveTextDoc(room);
    if (doc === null) return null;
    const entry: LiveEntry = { doc, numbers: null, forget: () => {} };
    const stale = () => (entry.numbers = null);
    const forget = () => {
      doc.off('update', stale);
      doc.off('destroy', forget);
      if (this.#live.get(room) === entry) this.#live.delete(room);
    };
    entry.forget = forget;
    doc.on('update', stale);
    // An unloaded document is destroyed; a later load of the room brings a new one.
    doc.on('destroy', forget);
    this.#live.set(room, entry);
    this.#stored.delete(room);
    return entry;
  }
}
