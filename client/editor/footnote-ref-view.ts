import type { Node as PMNode } from 'prosemirror-model';
import type { NodeView } from 'prosemirror-view';
import { FOOTNOTE_JUMP, FOOTNOTE_PEEK, FOOTNOTE_UNPEEK, sendFootnoteEvent } from './footnote-events.ts';
import type { FootnoteJumpDetail, FootnotePeekDetail } from './footnote-events.ts';

/**
 * The superscript footnote marker in the body. It is focusable (Tab reaches it), shows the
 * footnote in a preview on hover or focus, and jumps to the footnote on click or Enter.
 */
export class FootnoteRefView implements NodeView {
  readonly dom: HTMLElement;
  private readonly n: number;

  /** Renders the marker for `node` (a `footnote_ref`). */
  constructor(node: PMNode) {
    this.n = Number(node.attrs.n);
    const marker = document.createElement('sup');
    marker.className = 'ap-fn-ref';
    marker.tabIndex = 0;
    marker.setAttribute('role', 'link');
    marker.setAttribute('aria-label', `Footnote ${this.n}`);
    marker.dataset.n = String(this.n);
    marker.textContent = String(this.n);
    const peek = (): void => sendFootnoteEvent<FootnotePeekDetail>(marker, FOOTNOTE_PEEK, { n: this.n, anchor: marker });
    const unpeek = (): void => sendFootnoteEvent(marker, FOOTNOTE_UNPEEK, { n: this.n });
    const jump = (event: Event): void => {
      event.preventDefault();
      sendFootnoteEvent<FootnoteJumpDetail>(marker, FOOTNOTE_JUMP, { n: this.n, to: 'note' });
    };
    marker.addEventListener('mouseenter', peek);
    marker.addEventListener('focus', peek);
    marker.addEventListener('mouseleave', unpeek);
    marker.addEventListener('blur', unpeek);
    marker.addEventListener('click', jump);
    marker.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') jump(event);
      if (event.key === 'Escape') unpeek();
    });
    this.dom = marker;
  }

  /** The marker handles its own pointer and key events; ProseMirror should not. */
  stopEvent(event: Event): boolean {
    return event.type === 'click' || event.type === 'mousedown' || (event.type === 'keydown' && event.target === this.dom);
  }

  /** The marker's DOM never changes under ProseMirror's feet. */
  ignoreMutation(): boolean {
    return true;
  }
}
