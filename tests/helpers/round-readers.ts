import * as Y from 'yjs';
import { addReply, BlockTable, createAnchorFromTextRange, createAnnotation, projectYDoc, roundLayerName, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { ClaimStatus, NewAnnotation, RoundSummary } from '../../schema/index.ts';
import { connectClient, waitFor } from './yws-client.ts';
import type { TestClient } from './yws-client.ts';

/**
 * Readers of a blind round as programs: each a session of its own (a new user from an invite),
 * with a name, the chapter's text document to anchor in, and a stock provider on a layer.
 */

/** A session made from an invite over HTTP, named. */
export interface ProgramSession {
  token: string;
  userId: string;
  name: string;
}

/** Exchanges an invite for a session (a new user) and gives it a display name. */
export async function namedSession(url: string, room: string, invite: string, name: string): Promise<ProgramSession> {
  const created = await fetch(`${url}/api/rooms/${room}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${invite}` } });
  if (created.status !== 201) throw new Error(`session for ${name}: ${created.status} ${await created.text()}`);
  const { token, userId } = (await created.json()) as { token: string; userId: string };
  const renamed = await fetch(`${url}/api/rooms/${room}/me`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  if (renamed.status !== 200) throw new Error(`naming ${name}: ${renamed.status} ${await renamed.text()}`);
  return { token, userId, name };
}

/** Calls a JSON endpoint as `token`; returns the status and the parsed body. */
export async function callApi(url: string, path: string, token: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a CSV download): the text itself.
  }
  return { status: response.status, body: parsed };
}

/** Starts a blind round as the owner; throws unless 201. */
export async function startRound(url: string, room: string, ownerToken: string, showStaff = false): Promise<RoundSummary> {
  const started = await callApi(url, `/api/rooms/${room}/rounds`, ownerToken, 'POST', { showStaff });
  if (started.status !== 201) throw new Error(`starting a round: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.round as RoundSummary;
}

/** A reader at work in a round: their text replica and their own layer. */
export class RoundReader {
  readonly session: ProgramSession;
  readonly text: TestClient;
  readonly layer: TestClient;

  private constructor(session: ProgramSession, text: TestClient, layer: TestClient) {
    this.session = session;
    this.text = text;
    this.layer = layer;
  }

  /** Connects a session to the chapter text and to its own layer of `roundId`, both synced. */
  static async join(url: string, room: string, roundId: number, session: ProgramSession): Promise<RoundReader> {
    return RoundReader.#connect(url, room, roundLayerName(room, roundId, session.userId), session);
  }

  /** Connects a session to the chapter text and to the room's shared annotation layer, both synced. */
  static async shared(url: string, room: string, session: ProgramSession): Promise<RoundReader> {
    return RoundReader.#connect(url, room, `${room}/annotations`, session);
  }

  static async #connect(url: string, room: string, docPath: string, session: ProgramSession): Promise<RoundReader> {
    const text = connectClient({ url, room, kind: 'text', token: session.token });
    const layer = connectClient({ url, room, kind: 'annotations', docPath, token: session.token });
    await Promise.all([text.synced(), layer.synced()]);
    return new RoundReader(session, text, layer);
  }

  /** The chapter's plain-text projection, as this reader's replica has it. */
  chapterText(): string {
    return projectYDoc(this.text.ydoc).text;
  }

  /** Tags the first occurrence of `words` in the chapter as a claim with `status`; returns its id. */
  tag(words: string, status: ClaimStatus): string {
    const start = this.chapterText().indexOf(words);
    if (start < 0) throw new Error(`"${words}" is not in the chapter`);
    return this.annotate({ start, end: start + words.length }, { kind: 'claim', claimStatus: status });
  }

  /** Annotates a projection range (its anchor made as the browser makes it); `at` backdates it. Returns the id. */
  annotate(range: { start: number; end: number }, input: Omit<NewAnnotation, 'anchor'>, at = new Date()): string {
    const anchor = createAnchorFromTextRange(new BlockTable(this.text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME)), range);
    if (!anchor.ok) throw new Error(anchor.error);
    const actor = { userId: this.session.userId, name: this.session.name };
    const created = createAnnotation(this.layer.ydoc, { ...input, anchor: anchor.value }, { actor, now: () => at });
    if (!created.ok) throw new Error(created.errors.join('; '));
    return created.value.id;
  }

  /** Replies to an annotation of this reader's layer; `at` backdates it. */
  reply(annotationId: string, body: string, at = new Date()): void {
    const replied = addReply(this.layer.ydoc, { annotationId, body }, { actor: { userId: this.session.userId, name: this.session.name }, now: () => at });
    if (!replied.ok) throw new Error(replied.errors.join('; '));
  }

  /**
   * Resolves once the server says this reader's own changes are stored. (`layer.stored()` waits
   * for everything the replica holds, which on a shared layer includes others' changes relayed
   * after this reader's last acknowledgement: acknowledgements go to senders only.)
   */
  async saved(timeoutMs = 10_000): Promise<void> {
    const { ydoc } = this.layer;
    await waitFor(() => {
      const stored = this.layer.storedStateVector;
      return stored !== null && (Y.decodeStateVector(stored).get(ydoc.clientID) ?? 0) >= Y.getState(ydoc.store, ydoc.clientID);
    }, `${this.session.name}'s changes to be stored`, timeoutMs);
  }

  leave(): void {
    this.text.destroy();
    this.layer.destroy();
  }
}

/** The ids of the annotations a document holds. */
export function annotationIds(doc: Y.Doc): string[] {
  return [...doc.getMap('annotations').keys()].sort();
}
