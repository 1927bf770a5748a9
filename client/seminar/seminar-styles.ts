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
