import type * as Y from 'yjs';
import { chapterOverview, chapterSentences, projectYDoc, sortPeople } from '../../schema/index.ts';
import type { ChapterOverview, ChapterText, DateRange, PersonRow, PersonSortKey, ReadAnnotation, SentenceSpan } from '../../schema/index.ts';
import type { SeminarSource } from './seminar-sources.ts';

/**
 * The seminar view's live figures: reads its sources (one annotation layer, or every layer of a
 * blind round), and recomputes the chapter overview (people, heat strip, agreement) once per
 * animation frame after any change, while the view is shown. The chapter's sentences are kept
 * until the text changes; a source is read again only after it changed.
 */

/** The order of the people table. */
export interface PeopleOrder {
  key: PersonSortKey;
  direction: 'ascending' | 'descending';
}

/** What the view draws. */
export interface SeminarFigures {
  overview: ChapterOverview;
  /** The people table in the chosen order. */
  people: PersonRow[];
  /** Whether every source holds the server's state. */
  ready: boolean;
  /** How long the last computation took, in ms (shown to nobody; the benchmark reads it). */
  computeMs: number;
}

/** What the model is built on. */
export interface SeminarModelOptions {
  chapter: () => { id: string; title: string };
  textDoc: Y.Doc;
  onChange: (figures: SeminarFigures) => void;
}

/** A source and what was last read from it (null: read it again). */
interface SourceEntry {
  source: SeminarSource;
  read: ReadAnnotation[] | null;
  unsubscribe: () => void;
}

export class SeminarModel {
  readonly #options: SeminarModelOptions;
  #sources: SourceEntry[] = [];
  #range: DateRange = {};
  #order: PeopleOrder = { key: 'name', direction: 'ascending' };
  #text: { projection: ChapterText; sentences: SentenceSpan[] } | null = null;
  #frame = 0;
  #active = false;
  #figures: SeminarFigures | null = null;
  /** Figures from the server (a closed round), shown instead of computed ones; null when live. */
  #fixed: ChapterOverview | null = null;
  readonly #onText = (): void => {
    this.#text = null;
    this.#schedule();
  };

  constructor(options: SeminarModelOptions) {
    this.#options = options;
    options.textDoc.on('update', this.#onText);
  }

  /** The last figures computed, or null before the first frame. */
  get figures(): SeminarFigures | null {
    return this.#figures;
  }

  /** Replaces the sources (destroying those not kept: a round's layers stay open as readers join) and recomputes. */
  setSources(sources: SeminarSource[]): void {
    const kept = new Map(this.#sources.filter((entry) => sources.includes(entry.source)).map((entry) => [entry.source, entry]));
    for (const entry of this.#sources) {
      if (kept.has(entry.source)) continue;
      entry.unsubscribe();
      entry.source.destroy();
    }
    if (sources.length > 0) this.#fixed = null;
    this.#sources = sources.map((source) => {
      const existing = kept.get(source);
      if (existing) return existing;
      const entry: SourceEntry = { source, read: null, unsubscribe: () => {} };
      entry.unsubscribe = source.subscribe(() => {
        entry.read = null;
        this.#schedule();
      });
      return entry;
    });
    this.#schedule();
  }

  /** Reads every source again and recomputes (a source became ready without changing). */
  refresh(): void {
    for (const entry of this.#sources) entry.read = null;
    this.#schedule();
  }

  /** Counts only what was written in `range` from now on. */
  setRange(range: DateRange): void {
    this.#range = { ...range };
    this.#schedule();
  }

  get range(): DateRange {
    return this.#range;
  }

  /** Orders the people table. */
  setOrder(order: PeopleOrder): void {
    this.#order = { ...order };
    if (this.#figures) this.#publish({ ...this.#figures, people: sortPeople(this.#figures.overview.people, order.key, order.direction) });
  }

  get order(): PeopleOrder {
    return this.#order;
  }

  /** Computes while the view is shown (`true`), and not at all while it is hidden. */
  setActive(active: boolean): void {
    this.#active = active;
    if (active) this.#schedule();
  }

  /** Computes now (tests and the first render), rather than in the next frame. */
  computeNow(): SeminarFigures {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const started = performance.now();
    this.#text ??= this.#readText();
    const annotations: ReadAnnotation[] = [];
    for (const entry of this.#sources) {
      entry.read ??= entry.source.read();
      for (const record of entry.read) annotations.push(record);
    }
    const overview = chapterOverview({ chapter: this.#options.chapter(), projection: this.#text.projection, annotations }, { range: this.#range, sentences: this.#text.sentences });
    const figures = {
      overview,
      people: sortPeople(overview.people, this.#order.key, this.#order.direction),
      ready: this.#sources.every((entry) => entry.source.ready),
      computeMs: performance.now() - started,
    };
    this.#publish(figures);
    return figures;
  }

  /** Shows figures computed elsewhere (the server's report of a closed round): no sources, no recomputing. */
  showFixed(overview: ChapterOverview): void {
    this.setSources([]);
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#fixed = overview;
    this.#publish({ overview, people: sortPeople(overview.people, this.#order.key, this.#order.direction), ready: true, computeMs: 0 });
  }

  destroy(): void {
    this.#options.textDoc.off('update', this.#onText);
    this.setSources([]);
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #readText(): { projection: ChapterText; sentences: SentenceSpan[] } {
    const projection = projectYDoc(this.#options.textDoc);
    return { projection, sentences: chapterSentences(projection) };
  }

  /** One computation per frame, before it is painted: a remote change shows in the next frame. */
  #schedule(): void {
    if (!this.#active || this.#frame || this.#fixed) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.computeNow();
    });
  }

  #publish(figures: SeminarFigures): void {
    this.#figures = figures;
    this.#options.onChange(figures);
  }
}
