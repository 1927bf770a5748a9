import { css } from 'lit';

/**
 * Styles the seminar view's components share: cards, figures in tabular numbers, the section
 * headings. The palette comes from app.css's tokens (see shared-styles.ts).
 */
export const seminarStyles = css`
  .card {
    background: var(--ap-surface);
    border: 1px solid var(--ap-rule);
    border-radius: 10px;
    box-shadow: 0 1px 2px rgba(29, 34, 48, 0.05);
  }
  .card__head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 12px;
    padding: 14px 18px 10px;
    flex-wrap: wrap;
  }
  h2, h3 { margin: 0; }
  h2 { font: 600 15px/1.25 var(--ap-sans); color: var(--ap-ink); letter-spacing: 0.005em; }
  h3 { font: 600 11.5px/1.2 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); }
  .hint { font: 12.5px/1.45 var(--ap-sans); color: var(--ap-muted); margin: 0; }
  .num { font-variant-numeric: tabular-nums; text-align: right; }
  .zero { color: #b4ad9f; }
  .serif { font-family: var(--ap-serif); }
  /* A badge that names someone (shared-styles.ts's badge, without the dot): the name in ink, the rest in the category's colour. */
  .badge b { font-weight: 700; color: var(--ap-ink); }
`;

/**
 * The seminar views' toolbar: labelled groups of controls, segmented buttons (one pressed), the
 * date inputs of a custom range. Shared by the chapter's view, the seminar's overview and the
 * range filter inside them.
 */
export const toolbarStyles = css`
  .group { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .group > .label { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); }
  .seg { display: inline-flex; max-width: 100%; overflow-x: auto; border: 1px solid var(--ap-rule-strong); border-radius: 7px; background: var(--ap-surface); }
  .seg button { all: unset; cursor: pointer; font: 500 12.5px/1 var(--ap-sans); padding: 8px 10px; color: var(--ap-ink-soft); border-right: 1px solid var(--ap-rule); white-space: nowrap; }
  .seg button:last-child { border-right: 0; }
  .seg button[aria-pressed='true'] { background: var(--ap-accent); color: #fff; }
  .seg button:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: -2px; }
  .seg button:disabled { color: #b4ad9f; cursor: not-allowed; }
  input[type='datetime-local'] { font: 13px var(--ap-sans); padding: 6px 8px; border: 1px solid var(--ap-rule-strong); border-radius: 6px; color: var(--ap-ink); }
  a.btn { text-decoration: none; }
  @media (max-width: 900px) {
    .seg { flex-wrap: wrap; overflow: visible; }
    .seg button { padding: 8px 8px; border-bottom: 1px solid var(--ap-rule); }
  }
  /* Phone: the choices in two even columns with hairlines between them (the group's background); an odd last one spans both. */
  @media (max-width: 640px) {
    .seg { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1px; background: var(--ap-rule); overflow: hidden; flex: 1 1 100%; }
    .seg button { border: 0; background: var(--ap-surface); text-align: center; padding: 10px 6px; }
    .seg button:last-child:nth-child(odd) { grid-column: span 2; }
  }
`;

/** Krippendorff's reading of alpha (2004, ch. 11): ≥ .800 reliable, ≥ .667 tentative, below that not reliable. */
export function alphaVerdict(alpha: number): { label: string; tone: 'good' | 'fair' | 'poor' } {
  if (alpha >= 0.8) return { label: 'reliable', tone: 'good' };
  if (alpha >= 0.667) return { label: 'tentative', tone: 'fair' };
  return { label: 'low agreement', tone: 'poor' };
}

/** An alpha as shown: two decimals, a true minus sign. */
export function formatAlpha(alpha: number): string {
  return alpha.toFixed(2).replace('-', '−');
}

const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A time of activity as shown in the table: day, month and time of day. */
export function shortTime(iso: string | null): string {
  return iso === null ? '—' : dateTime.format(new Date(iso));
}
