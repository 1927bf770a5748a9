import { html } from 'lit';
import type { TemplateResult } from 'lit';

/**
 * The "Gradebook: CSV JSON" download links of a seminar toolbar (a chapter's view and a
 * seminar's overview); `label` names the group for screen readers, `href` gives each format's address.
 */
export function gradebookLinks(label: string, href: (format: 'csv' | 'json') => string): TemplateResult {
  return html`<div class="group" role="group" aria-label=${label}>
    <span class="label">Gradebook</span>
    <a class="btn btn--small" href=${href('csv')} download>CSV</a>
    <a class="btn btn--small" href=${href('json')} download>JSON</a>
  </div>`;
}
