import type { Node as PMNode } from 'prosemirror-model';
import type { NodeView } from 'prosemirror-view';
import { FOOTNOTE_JUMP, sendFootnoteEvent } from './footnote-events.ts';
import type { FootnoteJumpDetail } from './footnote-events.ts';

/**
 * A footnote below the chapter: its number as a button that jumps back to the marker in the
 * text, then the footnote's editable (annotatable) content. An item of the footnote list
 * (footnote-list.ts), not a landmark of its own: 36 asides were 36 anonymous landmarks.
 */
export class FootnoteView implements NodeView {
  readonly dom: HTMLElement;
  readonly contentDOM: HTMLElement;
  private readonly number: HTMLButtonElement;

  /** Renders `node` (a `footnote`). */
  constructor(node: PMNode) {
    this.dom = document.createElement('div');
    this.dom.className = 'ap-footnote';
    this.dom.setAttribute('role', 'listitem');
    this.number = document.createElement('button');
    this.number.type = 'button';
    this.number.className = 'ap-footnote__number';
    this.number.contentEditable = 'false';
    // Reached by jumping from a marker (focus moves here), not by tabbing through 36 notes.
    this.number.tabIndex = -1;
    this.number.addEventListener('click', (event) => {
      event.preventDefault();
      sendFootnoteEvent<FootnoteJumpDetail>(this.number, FOOTNOTE_JUMP, { n: Number(this.dom.dataset.n), to: 'marker' });
    });
    this.contentDOM = document.createElement('span');
    this.contentDOM.className = 'ap-footnote__text';
    this.dom.append(this.number, this.contentDOM);
    this.render(node);
  }

  /** Keeps the view when only the content changed; re-labels it when the number changed. */
  update(node: PMNode): boolean {
    if (node.type.name !== 'footnote') return false;
    this.render(node);
    return true;
  }

  /** The number button handles its own clicks. */
  stopEvent(event: Event): boolean {
    return event.target === this.number;
  }

  /** Only the content is ProseMirror's business. */
  ignoreMutation(mutation: MutationRecord | { type: 'selection'; target: Node }): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target);
  }

  private render(node: PMNode): void {
    const n = String(node.attrs.n);
    this.dom.id = `footnote-${n}`;
    this.dom.dataset.n = n;
    this.dom.dataset.id = String(node.attrs.id ?? '');
    this.number.textContent = n;
    this.number.setAttribute('aria-label', `Footnote ${n}: back to its marker in the text`);
  }
}
