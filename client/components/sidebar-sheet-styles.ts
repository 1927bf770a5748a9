import { css } from 'lit';

/**
 * The sidebar's two shapes. Wide: a column beside the chapter, tabs on top. Narrow (the media
 * query of layout-mode.ts): a bottom sheet; closed, only its grabber and tabs (with counts)
 * show at the bottom of the screen; open, it covers most of the chapter and scrolls inside.
 */
export const sheetStyles = css`
  .head { display: flex; align-items: flex-end; background: var(--ap-surface); border-bottom: 1px solid var(--ap-rule); flex: none; position: relative; }
  .grabber, .sheet-toggle { display: none; }
  [role='tablist'] { flex: 1; min-width: 0; }

  :host([sheet]) {
    position: fixed;
    left: 0;
    right: 0;
    bottom: 0;
    z-index: 40;
    height: min(66dvh, 720px);
    border-left: 0;
    border-radius: 14px 14px 0 0;
    box-shadow: 0 -6px 24px rgba(29, 34, 48, 0.18);
    /* Closed: only the head (grabber and tabs) peeks above the bottom edge. */
    transform: translateY(calc(100% - var(--ap-sheet-peek, 58px)));
    transition: transform 0.22s ease;
    overflow: hidden;
  }
  :host([sheet][open]) { transform: none; }
  :host([sheet]) .head { border-radius: 14px 14px 0 0; padding-top: 10px; align-items: center; }
  :host([sheet]) .grabber { display: block; position: absolute; top: 5px; left: 50%; width: 38px; height: 4px; margin-left: -19px; border-radius: 2px; background: var(--ap-rule-strong); }
  :host([sheet]) [role='tablist'] { border-bottom: 0; padding: 0 4px 0 8px; overflow-x: auto; scrollbar-width: none; }
  :host([sheet]) [role='tab'] { padding: 10px 8px 12px; white-space: nowrap; }
  :host([sheet]) .sheet-toggle { display: inline-flex; flex: none; width: 44px; height: 44px; justify-content: center; margin-right: 6px; }
  .chevron { width: 10px; height: 10px; border-left: 2px solid currentColor; border-top: 2px solid currentColor; transform: translateY(3px) rotate(45deg); }
  :host([sheet][open]) .chevron { transform: translateY(-3px) rotate(225deg); }
  :host([sheet]) .panel { padding-bottom: calc(24px + env(safe-area-inset-bottom)); }
  @media (max-width: 599px) {
    :host([sheet]) [role='tablist'] { gap: 0; padding-left: 4px; }
    :host([sheet]) [role='tab'] { font-size: 12.5px; padding-left: 6px; padding-right: 6px; gap: 4px; }
  }
`;
