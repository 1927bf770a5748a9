/**
 * DOM events the chapter's footnote node views send up to the app (they bubble and cross
 * shadow roots). The app owns the one shared footnote preview and the scrolling.
 */
export interface FootnotePeekDetail {
  n: number;
  /** The marker element the preview should sit next to. */
  anchor: HTMLElement;
}

/** Detail of a request to jump between a marker and its footnote. */
export interface FootnoteJumpDetail {
  n: number;
  /** `note` jumps from a marker down to the footnote, `marker` back up to the first marker. */
  to: 'note' | 'marker';
}

/** A marker is hovered or focused: show its footnote (detail: FootnotePeekDetail). */
export const FOOTNOTE_PEEK = 'ap-footnote-peek';
/** The pointer or focus left the marker: hide the preview. */
export const FOOTNOTE_UNPEEK = 'ap-footnote-unpeek';
/** Jump between a marker and its footnote (detail: FootnoteJumpDetail). */
export const FOOTNOTE_JUMP = 'ap-footnote-jump';

/** Sends one of the footnote events from `source`. */
export function sendFootnoteEvent<T>(source: HTMLElement, name: string, detail: T): void {
  source.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
}
