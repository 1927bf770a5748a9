/** The counts the sidebar shows: the Annotations tab's count and each category chip's. */
export interface SidebarCounts {
  total: number | null;
  categories: Record<string, number>;
}

/** What the instruments record in the page (`window.__apBench`). Times are `performance.now()`. */
export interface PageRecord {
  /** Messages on the annotation document's socket: arrival, size, and when the task handling it (with its microtasks) was over. */
  messages: Array<{ at: number; bytes: number; settled: number | null }>;
  /** After the paint following the client's `ap-highlights-rendered` mark. */
  highlightsPainted: number | null;
  /** Taken in that same task: the annotations with a highlight in the chapter, and the sidebar's counts. */
  atPaint: { drawn: string[]; sidebar: SidebarCounts } | null;
  /** Every task over 50 ms on the page's main thread (Long Tasks API). */
  longTasks: Array<{ start: number; duration: number }>;
}

/**
 * Runs in the page before any of its scripts (`page.addInitScript`). It changes nothing the
 * client does; it records (1) every message arriving on the annotation socket and when the
 * task that handled it, microtasks included (ProseMirror's patch, Lit's sidebar update), was
 * over — a MessageChannel task queued behind it — and (2) the first paint after the client's
 * own `performance.mark('ap-highlights-rendered')` (a setTimeout queued in the frame callback
 * that marks it runs after that frame is painted).
 */
export function installPageInstruments(): void {
  const record: PageRecord = { messages: [], highlightsPainted: null, atPaint: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Elements inside open shadow roots too (the sidebar and its filters are Lit components).
  const deepQuery = (root: ParentNode, selector: string): Element[] => {
    const found = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) found.push(...deepQuery(element.shadowRoot, selector));
    return found;
  };
  const sidebarCounts = (): SidebarCounts => {
    const tab = deepQuery(document, '[role="tab"] .tab-count')[0];
    const categories: Record<string, number> = {};
    for (const chip of deepQuery(document, '.chip[data-category]')) categories[(chip as HTMLElement).dataset.category!] = Number(chip.querySelector('.count')?.textContent ?? NaN);
    return { total: tab ? Number(tab.textContent) : null, categories };
  };
  // Highlights drawn as elements, and (a large room) painted ranges, which carry their annotation's id.
  const drawnIds = (): string[] => {
    const ids = new Set([...document.querySelectorAll<HTMLElement>('.ap-chapter [data-annotation-id]')].map((e) => e.dataset.annotationId ?? ''));
    if (typeof CSS !== 'undefined' && 'highlights' in CSS) for (const highlight of CSS.highlights.values()) for (const range of highlight) ids.add((range as unknown as Record<string, string>).apAnnotationId ?? '');
    ids.delete('');
    return [...ids];
  };
  (window as unknown as { __apDrawnIds: () => string[] }).__apDrawnIds = drawnIds;
  (window as unknown as { __apBench: PageRecord }).__apBench = record;
  const Native = window.WebSocket;
  class InstrumentedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (!String(url).includes('/annotations')) return;
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as ArrayBuffer | Blob | string;
        const bytes = typeof data === 'string' ? data.length : data instanceof Blob ? data.size : data.byteLength;
        const entry: { at: number; bytes: number; settled: number | null } = { at: performance.now(), bytes, settled: null };
        record.messages.push(entry);
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          entry.settled = performance.now();
          channel.port1.close();
        };
        channel.port2.postMessage(0);
      });
    }
  }
  window.WebSocket = InstrumentedWebSocket;
  const mark = performance.mark.bind(performance);
  performance.mark = ((name: string, options?: PerformanceMarkOptions) => {
    const entry = mark(name, options);
    if (name === 'ap-highlights-rendered') {
      setTimeout(() => {
        record.highlightsPainted = performance.now();
        record.atPaint = { drawn: drawnIds(), sidebar: sidebarCounts() };
      }, 0);
    }
    return entry;
  }) as typeof performance.mark;
}

/** A change the page is told to watch for: an annotation's highlight appearing, or turning resolved. */
export interface WatchedChange {
  id: string;
  kind: 'create' | 'resolve';
}

/**
 * Starts watching the chapter for `change` (runs in the page); `window.__apWatch` resolves with
 * when the highlight's DOM changed and when the frame showing it was painted.
 */
export function watchForChange(change: WatchedChange): void {
  const shows = (): boolean => {
    const element = document.querySelector(`.ap-chapter [data-annotation-id="${change.id}"]`);
    return change.kind === 'create' ? element !== null : element?.classList.contains('ap-hl--resolved') === true;
  };
  (window as unknown as { __apWatch: Promise<{ dom: number; painted: number }> }).__apWatch = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      const dom = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve({ dom, painted: performance.now() }), 0));
    });
    observer.observe(document.querySelector('.ap-chapter')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
}

/**
 * The source of an expression calling `fn(arg)` in the page. Functions are sent as text; tsx
 * may wrap named functions in an `__name(…)` helper that exists only in Node, so a no-op one
 * is defined first.
 */
export function pageCall<A>(fn: (arg: A) => unknown, arg?: A): string {
  return `(() => { globalThis.__name ??= (target) => target; return (${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)}); })()`;
}
