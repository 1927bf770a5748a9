import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  createAnnotation,
  dismissSuggestion,
  linkFootnote,
  resolveAnnotation,
  stateVectorCovers,
  TEXT_FRAGMENT_NAME,
  updateAnnotation,
} from '../../schema/index.ts';
import type { OperationContext, ValidationResult } from '../../schema/index.ts';
import { createAccessAuthorizer, loadConfig } from '../../server/index.ts';
import { footnoteNumbersOf, RoomFootnotes } from '../../server/access/room-footnotes.ts';
import { note, para } from '../helpers/chapter-doc-builder.ts';
import { testRoom } from '../helpers/export-builders.ts';
import { anchorOf, annotateAs, AuthorizerHarness, contextOf, sessionOf } from '../helpers/access-builders.ts';
import { RawClient, waitUntil } from '../helpers/raw-client.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// What only the server knows: its clock (times may not lie in its future beyond the clock
// skew allowance) and the room's chapter (new footnote links must name footnotes it has).

const ann = sessionOf('u-ann', 'annotator', 'Anna');
const reviewer = sessionOf('u-rev', 'reviewer', 'Rita');
const MINUTE = 60_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

/** An operation context for `session` whose clock reads `NOW + offsetMs`. */
function at(session: { userId: string; name: string }, offsetMs: number): OperationContext {
  return { actor: { userId: session.userId, name: session.name }, now: () => new Date(NOW + offsetMs) };
}

function denied(verdict: { ok: boolean; reason?: string }, pattern: RegExp): void {
  expect(verdict.ok).toBe(false);
  expect(verdict.reason).toMatch(pattern);
}

describe('times against the server clock (update check)', () => {
  const harness = () => new AuthorizerHarness(createAccessAuthorizer({ now: () => NOW, clockSkewMs: 5 * MINUTE }));
  const create = (doc: Y.Doc, context: OperationContext) => () => createAnnotation(doc, { kind: 'comment', anchor: anchorOf() }, context);

  it('refuses an annotation created more than 5 minutes in the server’s future, and accepts one within the allowance or days old', () => {
    const h = harness();
    const ahead = h.replica();
    denied(h.change(ann, ahead, create(ahead, at(ann, 10 * MINUTE))), /created 2026-06-01T12:10:00\.000Z is in the future/);
    const skewed = h.replica();
    expect(h.change(ann, skewed, create(skewed, at(ann, 4 * MINUTE)))).toEqual({ ok: true });
    const offline = h.replica();
    expect(h.change(ann, offline, create(offline, at(ann, -3 * 24 * 60 * MINUTE)))).toEqual({ ok: true });
  });

  it('refuses a status change, an edit, a reply and a dismissal stamped in the future', () => {
    const h = harness();
    const doc = h.replica();
    let id = '';
    expect(h.change(ann, doc, () => (id = (createAnnotation(doc, { kind: 'comment', anchor: anchorOf() }, at(ann, 0)) as { value: { id: string } }).value.id)).ok).toBe(true);
    const reviewerDoc = h.replica();
    denied(h.change(reviewer, reviewerDoc, () => resolveAnnotation(reviewerDoc, id, at(reviewer, 6 * MINUTE))), /(modified|statusAt) \S+ is in the future/);
    const later = h.replica();
    denied(h.change(ann, later, () => updateAnnotation(later, id, { note: 'from the future' }, at(ann, 60 * MINUTE))), /modified \S+ is in the future/);
    const replying = h.replica();
    denied(h.change(ann, replying, () => addReply(replying, { annotationId: id, body: 'soon' }, at(ann, 60 * MINUTE))), /reply .*created \S+ is in the future/);
    const dismissing = h.replica();
    denied(h.change(ann, dismissing, () => dismissSuggestion(dismissing, 'finding-1', at(ann, 60 * MINUTE))), /dismissal .*at \S+ is in the future/);
    // The same changes stamped now are accepted.
    const fine = h.replica();
    expect(h.change(reviewer, fine, () => resolveAnnotation(fine, id, at(reviewer, MINUTE))).ok).toBe(true);
  });

  it('reads the allowance from CLOCK_SKEW_MS, 5 minutes by default', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, value: { clockSkewMs: 5 * MINUTE } });
    expect(loadConfig({ CLOCK_SKEW_MS: '1000' })).toMatchObject({ ok: true, value: { clockSkewMs: 1000 } });
    expect(loadConfig({ CLOCK_SKEW_MS: 'soon' })).toMatchObject({ ok: false, error: expect.stringMatching(/CLOCK_SKEW_MS/) });
  });
});

describe('footnote links against the chapter (update check)', () => {
  it('refuses new links to footnotes the chapter lacks, and keeps old links through later edits', () => {
    let numbers: ReadonlySet<number> | null = new Set([1, 2]);
    const h = new AuthorizerHarness(createAccessAuthorizer({ footnoteNumbers: () => numbers }));
    const doc = h.replica();
    denied(h.change(ann, doc, () => annotateAs(doc, ann, { footnotes: [999] })), /the chapter has no footnote 999/);
    const mine = h.replica();
    let id = '';
    expect(h.change(ann, mine, () => (id = annotateAs(mine, ann, { footnotes: [1] }).id))).toEqual({ ok: true });
    denied(h.change(ann, mine, () => linkFootnote(mine, id, 999, contextOf(ann))), /the chapter has no footnote 999/);
    const again = h.replica();
    expect(h.change(ann, again, () => linkFootnote(again, id, 2, contextOf(ann)))).toEqual({ ok: true });
    // Footnote 1 leaves the chapter: the old link does not block other edits, a new link to it is refused.
    numbers = new Set([2, 3]);
    const editing = h.replica();
    expect(h.change(ann, editing, () => updateAnnotation(editing, id, { note: 'still linked to 1' }, contextOf(ann)))).toEqual({ ok: true });
    const other = h.replica();
    denied(h.change(ann, other, () => annotateAs(other, ann, { footnotes: [1] })), /no footnote 1$/);
    numbers = null;
    const unknown = h.replica();
    denied(h.change(ann, unknown, () => annotateAs(unknown, ann, { footnotes: [2] })), /cannot be checked/);
  });
});

describe('the footnote numbers of a room', () => {
  it('are computed from the live text once, again after it changes, and from the store while it is not loaded and unchanged', async () => {
    const { textDoc } = testRoom([para('A claim.^1 Another.^2'), note(1, 'Khlevniuk.'), note(2, 'Ibid.')]);
    let live: Y.Doc | null = textDoc;
    let liveLookups = 0;
    let storedReads = 0;
    const footnotes = new RoomFootnotes({
      liveTextDoc: () => (liveLookups++, live),
      storedTextDoc: async () => (storedReads++, testRoom([para('Stored.^7'), note(7, 'Stored.')]).textDoc),
    });
    expect(footnotes.numbers('room')).toEqual(new Set([1, 2]));
    expect(footnotes.numbers('room')).toEqual(new Set([1, 2]));
    expect(liveLookups).toBe(1);
    // The owner deletes footnote 2's block: the next question sees it gone.
    textDoc.transact(() => textDoc.getXmlFragment(TEXT_FRAGMENT_NAME).delete(2, 1), 'test-edit');
    expect(footnotes.numbers('room')).toEqual(new Set([1]));
    expect(liveLookups).toBe(1);
    // The document unloads (it is destroyed): the room's stored text, read when its annotations
    // load, answers until it loads again.
    live = null;
    textDoc.destroy();
    await footnotes.prepare('room');
    expect(footnotes.numbers('room')).toEqual(new Set([7]));
    expect(footnotes.numbers('room')).toEqual(new Set([7]));
    expect(storedReads).toBe(1);
    // An accepted text update of the room (here or on another server process) has them read again.
    footnotes.textChanged('room');
    await footnotes.prepare('room');
    expect(storedReads).toBe(2);
    expect(footnotes.numbers('room')).toEqual(new Set([7]));
  });
});

describe('times and footnotes through the real server', () => {
  let server: TestServer;
  const open: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await server.stop();
  });

  const connect = async (room: string, kind: 'text' | 'annotations', token: string): Promise<RawClient> => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/${kind}?token=${encodeURIComponent(token)}&acks=1` });
    open.push(client);
    await client.sync();
    return client;
  };
  const me = async (room: string, token: string): Promise<{ userId: string; name: string }> =>
    (await (await fetch(`${server.url}/api/rooms/${room}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { userId: string; name: string };

  /** Runs an operation on the client's replica, sends it, and waits for the verdict: stored (true) or refused (false). */
  const attempt = async (client: RawClient, operation: (doc: Y.Doc) => ValidationResult<unknown>): Promise<boolean> => {
    const deniedBefore = client.denied.length;
    client.change((doc) => {
      const result = operation(doc);
      if (!result.ok) throw new Error(result.errors.join('; '));
    });
    await waitUntil(
      () => client.denied.length > deniedBefore || (client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc))),
      'a verdict on the change',
    );
    return client.denied.length === deniedBefore;
  };
  /** A fresh annotation client (a refused change stays in a replica, so each attempt starts afresh). */
  const fresh = (room: string, token: string) => connect(room, 'annotations', token);

  it('refuses footnote 999 with permission-denied, from the stored chapter and then from the live one as the owner edits it', async () => {
    const tokens = await createRoomViaApi(server, 'facts-footnotes');
    const author = await me('facts-footnotes', tokens.annotator);
    const context: OperationContext = { actor: author, now: () => new Date() };
    // Only the annotation document is open: the numbers come from the stored text.
    const reader = await connect('facts-footnotes', 'text', tokens.viewer);
    const [first, second] = [...footnoteNumbersOf(reader.doc)].sort((a, b) => a - b);
    reader.close();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    const create = (footnotes: number[]) => (doc: Y.Doc) => createAnnotation(doc, { kind: 'claim', claimStatus: 'sourced', footnotes, anchor: anchorOf() }, context);

    const refused = await fresh('facts-footnotes', tokens.annotator);
    expect(await attempt(refused, create([999]))).toBe(false);
    expect(refused.denied.at(-1)).toMatch(/the chapter has no footnote 999/);
    const client = await fresh('facts-footnotes', tokens.annotator);
    let id = '';
    const made = (doc: Y.Doc) => {
      const result = create([first!])(doc);
      if (result.ok) id = result.value.id;
      return result;
    };
    expect(await attempt(client, made)).toBe(true);

    // The owner opens the text (now live) and deletes the block of the footnote linked above.
    const ownerText = await connect('facts-footnotes', 'text', tokens.owner);
    const linker = await fresh('facts-footnotes', tokens.annotator);
    expect(await attempt(linker, (doc) => linkFootnote(doc, id, second!, context))).toBe(true);
    ownerText.change((doc) => {
      const fragment = doc.getXmlFragment(TEXT_FRAGMENT_NAME);
      const index = fragment.toArray().findIndex((block) => block instanceof Y.XmlElement && block.nodeName === 'footnote' && Number(block.getAttribute('n')) === first);
      fragment.delete(index, 1);
    });
    await waitUntil(() => ownerText.stored !== null && stateVectorCovers(ownerText.stored, Y.encodeStateVector(ownerText.doc)), 'the text edit to be stored');
    expect(ownerText.denied).toEqual([]);
    const late = await fresh('facts-footnotes', tokens.annotator);
    expect(await attempt(late, create([first!]))).toBe(false);
    expect(late.denied.at(-1)).toMatch(new RegExp(`the chapter has no footnote ${first}$`));
    // The annotation that linked it before keeps its link through an unrelated edit.
    const editor = await fresh('facts-footnotes', tokens.annotator);
    expect(await attempt(editor, (doc) => updateAnnotation(doc, id, { note: 'the footnote went away' }, context))).toBe(true);
  });

  it('refuses an annotation stamped 10 minutes ahead of the server’s clock and stores one a minute ahead', async () => {
    const token = server.invites.annotator;
    const author = await me('chapter-5', token);
    const create = (offsetMs: number) => (doc: Y.Doc) => createAnnotation(doc, { kind: 'comment', anchor: anchorOf() }, { actor: author, now: () => new Date(Date.now() + offsetMs) });
    const ahead = await fresh('chapter-5', token);
    expect(await attempt(ahead, create(10 * MINUTE))).toBe(false);
    expect(ahead.denied.at(-1)).toMatch(/created \S+ is in the future/);
    expect(await attempt(await fresh('chapter-5', token), create(MINUTE))).toBe(true);
    expect(await attempt(await fresh('chapter-5', token), create(-2 * 24 * 60 * MINUTE))).toBe(true);
  });
});
