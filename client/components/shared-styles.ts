import { css } from 'lit';

/**
 * Styles shared by the components' shadow roots: buttons, inputs, badges, keyboard hints.
 * They read the design tokens that app.css defines on :root (custom properties cross
 * shadow boundaries), so the palette lives in one place.
 */
export const sharedStyles = css`
  :host { font-family: var(--ap-sans); color: var(--ap-ink); }
  * { box-sizing: border-box; }
  :focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 2px; }
  [hidden] { display: none !important; }

  .btn {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font: 500 13px/1 var(--ap-sans);
    color: var(--ap-ink);
    background: var(--ap-surface);
    border: 1px solid var(--ap-rule-strong);
    border-radius: 6px;
    padding: 7px 11px;
    cursor: pointer;
    white-space: nowrap;
  }
  .btn:hover:not(:disabled) { background: var(--ap-surface-sunk); border-color: var(--ap-muted); }
  .btn:disabled { color: var(--ap-muted); cursor: not-allowed; opacity: 0.75; }
  .btn--primary { background: var(--ap-accent); border-color: var(--ap-accent); color: var(--ap-accent-ink); }
  .btn--primary:hover:not(:disabled) { background: #1a2438; border-color: #1a2438; }
  .btn--quiet { border-color: transparent; background: transparent; }
  .btn--quiet:hover:not(:disabled) { background: var(--ap-surface-sunk); border-color: transparent; }
  .btn--danger { color: var(--ap-danger); }
  .btn--small { padding: 5px 8px; font-size: 12.5px; }

  kbd {
    font: 600 11px/1 var(--ap-mono);
    padding: 2px 5px 3px;
    border-radius: 4px;
    border: 1px solid currentColor;
    opacity: 0.75;
  }

  input[type='text'], input[type='search'], input[type='email'], input[type='password'], textarea, select {
    font: 14px/1.4 var(--ap-sans);
    color: var(--ap-ink);
    background: var(--ap-surface);
    border: 1px solid var(--ap-rule-strong);
    border-radius: 6px;
    padding: 7px 9px;
    width: 100%;
  }
  textarea { resize: vertical; min-height: 64px; line-height: 1.45; }
  input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 0; border-color: var(--ap-focus); }
  label.field { display: grid; gap: 5px; font: 600 12px/1.2 var(--ap-sans); color: var(--ap-ink-soft); }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    font: 600 11.5px/1 var(--ap-sans);
    padding: 4px 7px;
    border-radius: 999px;
    color: var(--cat-ink, var(--ap-ink-soft));
    background: var(--cat-tint, var(--ap-surface-sunk));
    white-space: nowrap;
  }
  .badge::before { content: ''; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
  .badge--plain::before { display: none; }
  .cat-sourced { --cat-ink: var(--ap-sourced); --cat-tint: var(--ap-sourced-tint); }
  .cat-contested { --cat-ink: var(--ap-contested); --cat-tint: var(--ap-contested-tint); --cat-pattern: repeating-linear-gradient(-45deg, transparent 0 3px, rgba(160, 72, 0, 0.3) 3px 4.5px); }
  .cat-interpretive { --cat-ink: var(--ap-interpretive); --cat-tint: var(--ap-interpretive-tint); --cat-pattern: radial-gradient(circle at 2px 2px, rgba(74, 69, 181, 0.5) 0 1px, transparent 1.4px); --cat-pattern-size: 5px 5px; }
  .cat-problem { --cat-ink: var(--ap-problem); --cat-tint: var(--ap-problem-tint); --cat-pattern: repeating-linear-gradient(45deg, transparent 0 3px, rgba(176, 38, 31, 0.28) 3px 4.5px), repeating-linear-gradient(-45deg, transparent 0 3px, rgba(176, 38, 31, 0.28) 3px 4.5px); }
  .cat-comment { --cat-ink: var(--ap-comment); --cat-tint: var(--ap-comment-tint); --cat-pattern: repeating-linear-gradient(0deg, transparent 0 4px, rgba(118, 95, 0, 0.3) 4px 5px); }

  .muted { color: var(--ap-muted); }
  .quote { font-family: var(--ap-serif); font-style: italic; color: var(--ap-ink-soft); }
`;

/**
 * A panel that drops down from a header button (export menu, invites): the host anchors it, the
 * element with class `dropdown` floats below the button's right edge. Width and padding are the
 * component's own.
 */
export const dropdownStyles = css`
  :host { position: relative; display: inline-block; }
  .dropdown {
    position: absolute;
    right: 0;
    top: calc(100% + 6px);
    background: var(--ap-surface);
    border: 1px solid var(--ap-rule);
    border-radius: var(--ap-radius);
    box-shadow: var(--ap-shadow-pop);
    z-index: 30;
    max-width: calc(100vw - 16px);
  }
`;
