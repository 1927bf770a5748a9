import type * as Y from 'yjs';
import { annotationsMap, readAnnotationById, touchedEntryKeys } from '../../schema/index.ts';

/**
 * A live annotation document's counts (valid annotations, open problems), kept up to date change
 * by change: counting by reading every annotation again (`listAnnotations`) cost ~10 µs per
 * annotation, every few seconds in a busy room: half a second of the event loop at 50,000
 * (bench: room-growth). The first call reads the document once; after that each transaction
 * re-reads only the annotations it touched.
 */
class AnnotationCounter {
  readonly #valid = new Set<string>();
  readonly #openProblems = new Set<string>();

  constructor(private readonly ydoc: Y.Doc) {
    const map = annotationsMap(ydoc);
    for (const id of map.keys()) this.#read(id);
    const onChange = (events: Array<Y.YEvent<any>>) => {
      for (const id of touchedEntryKeys(events, map)) this.#read(id);
    };
    map.observeDeep(onChange);
    ydoc.once('destroy', () => map.unobserveDeep(onChange));
  }

  counts(): { annotations: number; openProblems: number } {
    return { annotations: this.#valid.size, openProblems: this.#openProblems.size };
  }

  #read(id: string): void {
    const read = readAnnotationById(this.ydoc, id);
    this.#valid.delete(id);
    this.#openProblems.delete(id);
    if (!read.ok) return;
    this.#valid.add(id);
    if (read.value.kind === 'problem' && read.value.status === 'open') this.#openProblems.add(id);
  }
}

const counters = new WeakMap<Y.Doc, AnnotationCounter>();

/** The counts of a live annotation document, as `countAnnotations` gives them, kept incrementally. */
export function liveAnnotationCounts(ydoc: Y.Doc): { annotations: number; openProblems: number } {
  let counter = counters.get(ydoc);
  if (!counter) counters.set(ydoc, (counter = new AnnotationCounter(ydoc)));
  return counter.counts();
}
