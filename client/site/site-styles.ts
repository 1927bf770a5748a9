import { css } from 'lit';

/**
 * Styles of the site's pages (home, sign-in, account, seminar, invite link), shared by their
 * shadow roots on top of `sharedStyles`: the page column, panels, headings, forms, tables that
 * become cards at phone width, notices. Tokens come from app.css.
 */
export const siteStyles = css`
  :host { display: grid; gap: 12px; }
  .page { max-width: 1040px; margin: 0 auto; padding: 28px 24px 64px; display: grid; gap: 22px; }
  .page--narrow { max-width: 460px; }
  h1 { margin: 0; font: 600 28px/1.2 var(--ap-serif); color: var(--ap-accent); letter-spacing: -0.005em; }
  h2 { margin: 0; font: 600 18px/1.3 var(--ap-serif); color: var(--ap-accent); }
  h3 { margin: 0; font: 600 14px/1.3 var(--ap-sans); color: var(--ap-ink); }
  p { margin: 0; line-height: 1.5; color: var(--ap-ink-soft); }
  a { color: var(--ap-link); }
  .lede { font-size: 15.5px; }
  .eyebrow { font: 600 11.5px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); }

  .panel { background: var(--ap-surface); border: 1px solid var(--ap-rule); border-radius: 12px; box-shadow: var(--ap-shadow); padding: 22px; display: grid; gap: 16px; min-width: 0; }
  .panel__head { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }

  .stack { display: grid; gap: 14px; }
  .row { display: flex; gap: 10px; align-items: end; flex-wrap: wrap; }
  .row > .grow { flex: 1 1 220px; min-width: 0; }
  .hint { font-size: 12.5px; color: var(--ap-muted); font-weight: 400; }
  .error { color: var(--ap-danger); font-size: 13.5px; line-height: 1.4; }
  .error:empty { display: none; }
  .notice { padding: 10px 12px; border-radius: 8px; background: var(--ap-warning-bg); color: var(--ap-warning); font-size: 13.5px; line-height: 1.45; }
  .notice--ok { background: #e7f4ea; color: var(--ap-ok); }
  .btn--wide { width: 100%; justify-content: center; padding: 10px 14px; font-size: 14px; }
  .divider { display: flex; align-items: center; gap: 10px; color: var(--ap-muted); font-size: 12.5px; }
  .divider::before, .divider::after { content: ''; flex: 1; height: 1px; background: var(--ap-rule); }
  .empty { padding: 18px; border: 1px dashed var(--ap-rule-strong); border-radius: 10px; text-align: center; color: var(--ap-muted); }

  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th { white-space: nowrap; text-align: left; font: 600 11.5px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-muted); padding: 0 10px 10px; border-bottom: 1px solid var(--ap-rule); }
  td { padding: 11px 10px; border-bottom: 1px solid var(--ap-rule); vertical-align: middle; }
  tr:last-child td { border-bottom: 0; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .title-link { font: 600 15px/1.3 var(--ap-serif); color: var(--ap-accent); text-decoration: none; }
  .title-link:hover { text-decoration: underline; }
  .role-chip { font: 600 10.5px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); padding: 4px 6px; border: 1px solid var(--ap-rule-strong); border-radius: 4px; white-space: nowrap; }
  .guest-chip { font: 600 10.5px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-warning); background: var(--ap-warning-bg); padding: 4px 6px; border-radius: 4px; }
  .actions { display: flex; gap: 6px; justify-content: flex-end; flex-wrap: nowrap; }
  .ap-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

  /* Phone: tables become stacked cards, labels from data-label. */
  @media (max-width: 640px) {
    .page { padding: 18px 14px 48px; gap: 16px; }
    h1 { font-size: 23px; }
    .panel { padding: 16px; border-radius: 10px; }
    table.cards thead { display: none; }
    table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
    table.cards tr { border-bottom: 1px solid var(--ap-rule); padding: 10px 0; }
    table.cards tr:last-child { border-bottom: 0; }
    table.cards td { border: 0; padding: 3px 0; display: flex; justify-content: space-between; gap: 12px; text-align: left; }
    table.cards td[data-label]::before { content: attr(data-label); color: var(--ap-muted); font-size: 12.5px; }
    table.cards td.main { display: block; padding-bottom: 6px; }
    table.cards td.num { text-align: right; }
    .actions { justify-content: flex-start; padding-top: 6px; flex-wrap: wrap; }
  }
`;
