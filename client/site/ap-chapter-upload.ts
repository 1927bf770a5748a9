import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import { SEMINAR_CHANGED } from './ap-chapter-list.ts';
import { callApi, segment } from './site-api.ts';
import type { ChapterPreview } from '../../schema/index.ts';
import { siteStyles } from './site-styles.ts';

const FORMAT_NAMES: Record<ChapterPreview['format'], string> = {
  typeset: 'Typeset book text (.txt)',
  markdown: 'Plain text or Markdown',
  docx: 'Word document (.docx)',
};
const ACCEPT = '.txt,.md,.markdown,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Adds a chapter from a file (picker or drag and drop): typeset book text, plain text or
 * Markdown, or a Word document. The file is read on the server first and the person sees what
 * the importer found — title, sections, paragraphs, footnotes, pages, and every finding with its
 * line — before anything is created; a malformed or empty file gets the importer's message and
 * creates nothing.
 */
export class ApChapterUpload extends LitElement {
  static override properties = {
    seminarId: { attribute: false },
    file: { state: true },
    format: { state: true },
    preview: { state: true },
    error: { state: true },
    busy: { state: true },
    dragging: { state: true },
    created: { state: true },
  };
  declare seminarId: string;
  declare file: File | null;
  declare format: ChapterPreview['format'] | 'auto';
  declare preview: ChapterPreview | null;
  declare error: string;
  declare busy: '' | 'reading' | 'creating';
  declare dragging: boolean;
  declare created: { id: string; title: string } | null;

  constructor() {
    super();
    this.seminarId = '';
    this.file = null;
    this.format = 'auto';
    this.preview = null;
    this.error = '';
    this.busy = '';
    this.dragging = false;
    this.created = null;
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .drop { border: 2px dashed var(--ap-rule-strong); border-radius: 12px; padding: 26px 18px; display: grid; gap: 10px; justify-items: center; text-align: center; background: var(--ap-surface-sunk); transition: background 120ms, border-color 120ms; }
      .drop--over { border-color: var(--ap-focus); background: #e8f0fd; }
      .drop p { max-width: 520px; }
      input[type='file'] { position: absolute; width: 1px; height: 1px; opacity: 0; }
      .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 10px; }
      .figure { background: var(--ap-surface-sunk); border-radius: 8px; padding: 10px 12px; display: grid; gap: 4px; }
      .figure strong { font: 600 20px/1 var(--ap-sans); color: var(--ap-accent); font-variant-numeric: tabular-nums; }
      .figure span { font-size: 12px; color: var(--ap-muted); }
      ol, ul { margin: 0; padding-left: 20px; display: grid; gap: 4px; color: var(--ap-ink-soft); font-size: 14px; }
      .opening { font-family: var(--ap-serif); font-size: 14.5px; line-height: 1.55; color: var(--ap-ink-soft); border-left: 3px solid var(--ap-rule); padding-left: 12px; }
      .findings li { line-height: 1.45; }
      .findings code { font: 12px var(--ap-mono); color: var(--ap-muted); }
      .clean { color: var(--ap-ok); font-size: 14px; }
      .file-name { font-weight: 600; word-break: break-all; }
    `,
  ];

  override render() {
    return html`${this.preview ? this.renderPreview(this.preview) : this.renderDrop()}
      <p class="error" role="alert">${this.error}</p>
      ${this.created ? html`<p class="notice notice--ok" role="status">Chapter “${this.created.title}” created. <a href="/r/${segment(this.created.id)}">Open it</a></p>` : null}`;
  }

  private renderDrop() {
    return html`<div
      class="drop ${this.dragging ? 'drop--over' : ''}"
      @dragover=${this.onDragOver}
      @dragleave=${() => (this.dragging = false)}
      @drop=${this.onDrop}
    >
      <p><strong>Drop a chapter file here</strong>, or choose one.</p>
      <p class="hint">Typeset book text like <code>chapter-5.txt</code> (superscript note markers, notes after each page), plain text or Markdown (<code>#</code> headings, <code>[^1]</code> footnotes), or a Word document (.docx, its footnotes become footnotes). You will see what was found before the chapter is created.</p>
      <input id="chapter-file" type="file" accept=${ACCEPT} @change=${this.onPicked} />
      <label class="btn btn--primary" for="chapter-file" tabindex="0" role="button" @keydown=${this.onLabelKey}>${this.busy === 'reading' ? 'Reading the file…' : 'Choose a file…'}</label>
    </div>`;
  }

  private renderPreview(preview: ChapterPreview) {
    const { stats } = preview;
    const place = preview.findingsAt === 'paragraph' ? 'paragraph' : 'line';
    return html`<div class="stack" aria-live="polite">
      <p>Here is what Apparatus found in <span class="file-name">${this.file?.name}</span>. Nothing is created until you say so.</p>
      <div class="row">
        <label class="field grow">Read the file as
          <select @change=${this.onFormat} .value=${preview.format}>
            ${(Object.keys(FORMAT_NAMES) as ChapterPreview['format'][]).map((format) => html`<option value=${format} ?selected=${format === preview.format}>${FORMAT_NAMES[format]}</option>`)}
          </select>
        </label>
        <label class="field grow">Chapter title
          <input id="chapter-title" type="text" maxlength="200" .value=${preview.title || (this.file?.name.replace(/\.[A-Za-z0-9]+$/, '') ?? '')} />
        </label>
      </div>
      <div class="figures" role="list" aria-label="What the importer found">
        ${[
          [stats.headings, preview.title ? 'title + sections' : 'headings'],
          [stats.paragraphs, 'paragraphs'],
          [stats.footnotes, preview.footnoteRange ? `footnotes (${preview.footnoteRange[0]}–${preview.footnoteRange[1]})` : 'footnotes'],
          ...(preview.format === 'typeset' ? [[stats.pages, 'printed pages']] : []),
        ].map(([value, label]) => html`<div class="figure" role="listitem"><strong>${value}</strong><span>${label}</span></div>`)}
      </div>
      ${preview.headings.length > 0 ? html`<div><h3>Headings</h3><ol>${preview.headings.slice(0, 12).map((heading) => html`<li>${heading}</li>`)}</ol></div>` : null}
      ${preview.opening[0] ? html`<div><h3>It begins</h3><p class="opening">${preview.opening[0]}</p></div>` : null}
      <div>
        <h3>Findings</h3>
        ${preview.findings.length === 0
          ? html`<p class="clean">Nothing to check: every footnote has its marker, and all text was placed.</p>`
          : html`<ul class="findings">${preview.findings.slice(0, 50).map((finding) => html`<li>${place} ${finding.line}: ${finding.message} <code>${finding.code}</code></li>`)}${preview.findings.length > 50 ? html`<li>… and ${preview.findings.length - 50} more</li>` : null}</ul>`}
      </div>
      <div class="actions">
        <button class="btn" type="button" @click=${this.reset}>Choose another file</button>
        <button class="btn btn--primary" type="button" ?disabled=${this.busy !== ''} @click=${this.create}>${this.busy === 'creating' ? 'Creating…' : 'Create chapter'}</button>
      </div>
    </div>`;
  }

  private onLabelKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    this.renderRoot.querySelector<HTMLInputElement>('#chapter-file')?.click();
  }

  private onDragOver(event: DragEvent): void {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    void this.read(files[0]!, 'auto', files.length > 1 ? `Only one file at a time: reading “${files[0]!.name}”.` : '');
  }

  private onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.read(file, 'auto');
  }

  private onFormat(event: Event): void {
    if (this.file) void this.read(this.file, (event.target as HTMLSelectElement).value as ChapterPreview['format']);
  }

  private reset(): void {
    this.file = null;
    this.preview = null;
    this.error = '';
  }

  private query(file: File, format: string): string {
    return `name=${encodeURIComponent(file.name)}&format=${encodeURIComponent(format)}`;
  }

  /** Asks the server what it finds in the file (nothing is created). */
  private async read(file: File, format: ChapterPreview['format'] | 'auto', note = ''): Promise<void> {
    this.created = null;
    this.busy = 'reading';
    this.error = '';
    const result = await callApi<{ preview: ChapterPreview }>('POST', `/api/seminars/${segment(this.seminarId)}/chapters/preview?${this.query(file, format)}`, file);
    this.busy = '';
    if (!result.ok) {
      this.preview = null;
      this.file = null;
      this.error = `“${file.name}” cannot be used: ${result.error}`;
      return;
    }
    this.file = file;
    this.format = result.value.preview.format;
    this.preview = result.value.preview;
    if (note) this.error = note;
  }

  private async create(): Promise<void> {
    const file = this.file;
    if (!file) return;
    const title = this.renderRoot.querySelector<HTMLInputElement>('#chapter-title')?.value.trim() ?? '';
    this.busy = 'creating';
    const result = await callApi<{ chapter: { id: string; title: string } }>('POST', `/api/seminars/${segment(this.seminarId)}/chapters?${this.query(file, this.format)}&title=${encodeURIComponent(title)}`, file);
    this.busy = '';
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.reset();
    this.created = result.value.chapter;
    this.dispatchEvent(new CustomEvent(SEMINAR_CHANGED, { bubbles: true, composed: true }));
  }
}

customElements.define('ap-chapter-upload', ApChapterUpload);
