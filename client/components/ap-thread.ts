import { LitElement, css, html } from 'lit';
import type { ReplyView } from '../model/annotation-view.ts';
import { sendAnnotationAction } from './app-events.ts';
import './ap-time.ts';
import { sharedStyles } from './shared-styles.ts';

/**
 * An annotation's discussion: the replies in order, each editable and deletable by its
 * author (or the owner), and a reply box for whoever may reply. Ctrl/⌘+Enter sends.
 */
export class ApThread extends LitElement {
  static override properties = {
    annotationId: { attribute: false },
    replies: { attribute: false },
    userId: { attribute: false },
    canReply: { attribute: false },
    canModerate: { attribute: false },
    editingReply: { state: true },
  };
  declare annotationId: string;
  declare replies: ReplyView[];
  declare userId: string;
  declare canReply: boolean;
  /** Whether the user may edit and delete replies of others (the owner). */
  declare canModerate: boolean;
  declare editingReply: string | null;

  constructor() {
    super();
    this.annotationId = '';
    this.replies = [];
    this.userId = '';
    this.canReply = false;
    this.canModerate = false;
    this.editingReply = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
      li { border-left: 2px solid var(--ap-rule); padding: 1px 0 1px 10px; }
      .meta { display: flex; gap: 6px; align-items: baseline; font: 12px/1.3 var(--ap-sans); color: var(--ap-muted); }
      .author { font-weight: 600; color: var(--ap-ink-soft); }
      .body { margin: 3px 0 0; font: 13.5px/1.5 var(--ap-sans); white-space: pre-wrap; overflow-wrap: anywhere; }
      .reply-actions { margin-left: auto; display: flex; gap: 2px; }
      form { display: grid; gap: 6px; margin-top: 10px; }
      textarea { min-height: 54px; font-size: 13.5px; }
      .row { display: flex; justify-content: space-between; align-items: center; }
      .hint { font-size: 11.5px; color: var(--ap-muted); }
    `,
  ];

  override render() {
    return html`${this.replies.length > 0
        ? html`<ol aria-label="Replies">${this.replies.map((r) => this.renderReply(r))}</ol>`
        : null}
      ${this.canReply
        ? html`<form @submit=${this.sendReply} @keydown=${this.submitOnCtrlEnter}>
            <textarea name="reply" rows="2" maxlength="10000" aria-label="Reply" placeholder="Reply…"></textarea>
            <div class="row"><span class="hint">Ctrl+Enter to send</span><button class="btn btn--small btn--primary" type="submit">Reply</button></div>
          </form>`
        : null}`;
  }

  private renderReply(reply: ReplyView) {
    const mayChange = reply.authorId === this.userId || this.canModerate;
    if (this.editingReply === reply.id) {
      return html`<li>
        <form @submit=${(e: Event) => this.saveReply(e, reply)} @keydown=${this.submitOnCtrlEnter}>
          <textarea name="edit" aria-label="Edit reply" .value=${reply.body}></textarea>
          <div class="row"><span></span><span>
            <button class="btn btn--small" type="button" @click=${() => (this.editingReply = null)}>Cancel</button>
            <button class="btn btn--small btn--primary" type="submit">Save</button>
          </span></div>
        </form>
      </li>`;
    }
    return html`<li>
      <div class="meta">
        <span class="author">${reply.authorName}</span>
        <ap-time .at=${reply.created}></ap-time>
        ${reply.modified > reply.created + 1000 ? html`<span>(edited)</span>` : null}
        ${mayChange
          ? html`<span class="reply-actions">
              <button class="btn btn--quiet btn--small" type="button" @click=${() => (this.editingReply = reply.id)}>Edit</button>
              <button class="btn btn--quiet btn--small btn--danger" type="button" @click=${() => sendAnnotationAction(this, { type: 'delete-reply', id: this.annotationId, replyId: reply.id })}>Delete</button>
            </span>`
          : null}
      </div>
      <p class="body">${reply.body}</p>
    </li>`;
  }

  private submitOnCtrlEnter(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      (event.currentTarget as HTMLFormElement).requestSubmit();
    }
  }

  private sendReply(event: Event): void {
    event.preventDefault();
    const textarea = (event.currentTarget as HTMLFormElement).querySelector('textarea')!;
    const body = textarea.value.trim();
    if (body === '') return;
    sendAnnotationAction(this, { type: 'reply', id: this.annotationId, body });
    textarea.value = '';
  }

  private saveReply(event: Event, reply: ReplyView): void {
    event.preventDefault();
    const body = (event.currentTarget as HTMLFormElement).querySelector('textarea')!.value.trim();
    if (body !== '' && body !== reply.body) sendAnnotationAction(this, { type: 'edit-reply', id: this.annotationId, replyId: reply.id, body });
    this.editingReply = null;
  }
}

customElements.define('ap-thread', ApThread);
