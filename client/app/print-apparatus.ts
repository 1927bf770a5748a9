import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import type * as Y from 'yjs';
import { ANNOTATION_KINDS, buildPrintModel, PRINT_STYLESHEET, readRoomSnapshot, renderPrintArticle, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';

/**
 * Printing the room: the whole chapter laid out for paper with the apparatus the sidebar's
 * filters show (schema `exchange/export/print`), put into the page just before the browser
 * prints. The Print action and Ctrl+P (Cmd+P) render it and open the browser's print dialog;
 * the browser's own Print menu item is caught by `beforeprint`. On screen it stays hidden
 * (app.css); the print stylesheet hides the rest of the page.
 */

/** What the print needs from the room when it prints. */
export interface PrintSource {
  room: string;
  textDoc: Y.Doc;
  annotationsDoc: Y.Doc;
  /** Ids of the annotations the sidebar's filters let through, or null when nothing is filtered. */
  visibleIds(): ReadonlySet<string> | null;
  /** The filters in words for the printed header, or null. */
  filterNote(): string | null;
}

let adopted = false;

/** Adds the print stylesheet to the page once, as a constructed sheet (the CSP forbids inline styles). */
function adoptPrintStylesheet(): void {
  if (adopted) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PRINT_STYLESHEET);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  adopted = true;
}

/**
 * Renders the printable chapter into `host`. Reads the room as the exports do (every anchor
 * resolved against the current text), so what is printed is what the room holds now,
 * offline changes included.
 */
export function renderPrintView(host: HTMLElement, source: PrintSource): number {
  adoptPrintStylesheet();
  const chapter = yXmlFragmentToProsemirrorJSON(source.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const snapshot = readRoomSnapshot({ room: { id: source.room, title: source.room }, chapter, textDoc: source.textDoc, annotationsDoc: source.annotationsDoc });
  const model = buildPrintModel(snapshot, { kinds: new Set(ANNOTATION_KINDS.map((k) => k.term)), includeResolved: true, ids: source.visibleIds() });
  // The article is built by one escaping renderer shared with `format=print`; no room text
  // reaches the page unescaped, and the page's CSP would not run a script if one did.
  host.innerHTML = renderPrintArticle(model, { room: source.room, printedAt: new Date().toISOString(), filterNote: source.filterNote() });
  host.dataset.printedAt = String(Date.now());
  return model.count;
}

/**
 * Wires printing to the window: Ctrl+P / Cmd+P prints the apparatus, the browser's menu Print
 * renders it first, and the rendered copy is dropped after printing. The copy lives in its own
 * element at the end of the body, outside the app's rendering. Returns the function that prints
 * (the export menu calls it) and the one that unwires everything.
 */
export function wirePrinting(source: () => PrintSource | null): { print(): void; destroy(): void } {
  const host = document.createElement('div');
  host.className = 'ap-print-host';
  document.body.append(host);
  let rendered = false;
  const render = (): void => {
    const current = source();
    if (!current) return;
    renderPrintView(host, current);
    rendered = true;
  };
  const print = (): void => {
    render();
    window.print();
  };
  const onKeydown = (event: KeyboardEvent): void => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'p') {
      event.preventDefault();
      print();
    }
  };
  const onBeforePrint = (): void => {
    if (!rendered) render();
  };
  const onAfterPrint = (): void => {
    rendered = false;
    host.replaceChildren();
  };
  window.addEventListener('keydown', onKeydown);
  window.addEventListener('beforeprint', onBeforePrint);
  window.addEventListener('afterprint', onAfterPrint);
  return {
    print,
    destroy() {
      host.remove();
      window.removeEventListener('keydown', onKeydown);
      window.removeEventListener('beforeprint', onBeforePrint);
      window.removeEventListener('afterprint', onAfterPrint);
    },
  };
}
