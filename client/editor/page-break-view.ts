import type { Node as PMNode } from 'prosemirror-model';
import type { NodeView } from 'prosemirror-view';

/**
 * Where an original printed page began: a hairline in the text and the page number in the
 * left margin (placed by CSS), so readers can cite pages of the book.
 */
export class PageBreakView implements NodeView {
  readonly dom: HTMLElement;

  /** Renders the break for `node` (a `page_break`). */
  constructor(node: PMNode) {
    const page = String(node.attrs.page);
    const mark = document.createElement('span');
    mark.className = 'ap-page-break';
    mark.dataset.page = page;
    const number = document.createElement('span');
    number.className = 'ap-page-break__number';
    number.textContent = page;
    number.setAttribute('aria-label', `Page ${page} of the printed book begins here`);
    number.setAttribute('role', 'note');
    mark.append(number);
    this.dom = mark;
  }

  /** The break's DOM never changes under ProseMirror's feet. */
  ignoreMutation(): boolean {
    return true;
  }
}
