import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  annotationsMap,
  decodeStoredAnnotation,
  listAnnotations,
  readAnnotationById,
  rejectProblem,
  resolveAnnotation,
  stateVectorCovers,
  updateAnnotation,
  validateAnnotation,
} from '../../schema/index.ts';
import type { Annotation, ValidationResult } from '../../schema/index.ts';
import { annotateAs, contextOf } from '../helpers/access-builders.ts';
import { RawClient, waitUntil } from '../helpers/raw-client.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';

// Concurrent edits by different users merge field by field; the server must accept each
// legitimate edit even when the merge leaves fields that do not fit together, and every
// replica must then read the same valid annotation (none vanishes).

type Identity = { userId: string; name: string };

describe('concurrent edits through the server', () => {
  let server: TestServer;
  const open: RawClient[] = [];
  let nextClientId = 700_000_001;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await server.stop();
  });

  /** Connects to a room's annotation document and syncs; `clientId` fixes who wins concurrent writes (higher wins). */
  const connect = async (room: string, token: string, clientId = nextClientId++): Promise<RawClient> => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/annotations?token=${encodeURIComponent(token)}&acks=1` });
    open.push(client);
    await client.sync();
    // Before the client writes anything: an id no one has used yet.
    client.doc.clientID = clientId;
    return client;
  };
  const me = async (room: string, token: string): Promise<Identity> =>
    (await (await fetch(`${server.url}/api/rooms/${room}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Identity;

  /** Runs an operation on a client's replica and sends what it wrote; throws if the operation itself fails. */
  const edit = (client: RawClient, operation: (doc: Y.Doc) => ValidationResult<unknown>): void => {
    client.change((doc) => {
      const result = operation(doc);
      if (!result.ok) throw new Error(result.errors.join('; '));
    });
  };
  /** Waits until everything the client has is stored, failing on the first refusal. */
  const stored = async (client: RawClient): Promise<void> => {
    await waitUntil(() => client.denied.length > 0 || (client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc))), 'the server to store the change');
    expect(client.denied).toEqual([]);
  };
  /** Waits until every client has every other's changes. */
  const converged = (...clients: RawClient[]) =>
    waitUntil(() => clients.every((a) => clients.every((b) => stateVectorCovers(Y.encodeStateVector(a.doc), Y.encodeStateVector(b.doc)))), 'the replicas to converge');
  /** Every client reads the annotation alike, validly, and lists it; returns the reading. */
  const readEverywhere = (id: string, ...clients: RawClient[]): Annotation => {
    const reads = clients.map((client) => readAnnotationById(client.doc, id));
    for (const read of reads) expect(read).toEqual(reads[0]);
    expect(reads[0]!.ok, reads[0]!.ok ? '' : reads[0]!.errors.join('; ')).toBe(true);
    const annotation = (reads[0] as { value: Annotation }).value;
    expect(validateAnnotation(annotation).ok).toBe(true);
    for (const client of clients) expect(listAnnotations(client.doc).map((a) => a.id)).toContain(id);
    return annotation;
  };

  async function room(id: string): Promise<{ tokens: RoleTokens; author: Identity; owner: Identity; reviewer: Identity }> {
    const tokens = await createRoomViaApi(server, id);
    return { tokens, author: await me(id, tokens.annotator), owner: await me(id, tokens.owner), reviewer: await me(id, tokens.reviewer) };
  }

  it('stores the author’s kind change and the owner’s concurrent claim status, and both read one valid problem', async () => {
    const { tokens, author, owner, reviewer } = await room('merge-kind');
    const authorClient = await connect('merge-kind', tokens.annotator, 700_100_001);
    // The owner's client id is higher: its claimStatus beats the author's cleared one.
    const ownerClient = await connect('merge-kind', tokens.owner, 700_100_002);
    let id = '';
    authorClient.change((doc) => (id = annotateAs(doc, author, { kind: 'claim', claimStatus: 'sourced' }).id));
    await stored(authorClient);
    await converged(authorClient, ownerClient);

    // Neither has seen the other's change when it sends its own.
    edit(authorClient, (doc) => updateAnnotation(doc, id, { kind: 'problem', problemType: 'typo' }, contextOf(author)));
    edit(ownerClient, (doc) => updateAnnotation(doc, id, { claimStatus: 'contested' }, contextOf(owner)));
    await stored(authorClient);
    await stored(ownerClient);
    await converged(authorClient, ownerClient);

    const raw = annotationsMap(ownerClient.doc).get(id)!.toJSON();
    expect(raw).toMatchObject({ kind: 'problem', claimStatus: 'contested' });
    const viewer = await connect('merge-kind', tokens.viewer);
    expect(readEverywhere(id, authorClient, ownerClient, viewer)).toMatchObject({ kind: 'problem', problemType: 'typo', claimStatus: null });

    // Later edits of the merged record are accepted: a reviewer's status change, the author's note.
    const reviewerClient = await connect('merge-kind', tokens.reviewer);
    edit(reviewerClient, (doc) => resolveAnnotation(doc, id, contextOf(reviewer)));
    await stored(reviewerClient);
    await converged(authorClient, reviewerClient);
    edit(authorClient, (doc) => updateAnnotation(doc, id, { note: 'a typo after all' }, contextOf(author)));
    await stored(authorClient);
    await converged(authorClient, ownerClient, reviewerClient, viewer);
    expect(readEverywhere(id, authorClient, ownerClient, reviewerClient, viewer)).toMatchObject({ kind: 'problem', status: 'resolved', note: 'a typo after all' });
    // The stored record (layout 2), unpacked, is valid as a whole: the last edit stored the normalised form.
    const kept = decodeStoredAnnotation(id, annotationsMap(viewer.doc).get(id)!.toJSON());
    expect(kept.ok && validateAnnotation(kept.value).ok).toBe(true);
  });

  it('stores a reviewer’s rejection concurrent with the author turning the problem into a comment', async () => {
    const { tokens, author, reviewer } = await room('merge-status');
    const authorClient = await connect('merge-status', tokens.annotator);
    const reviewerClient = await connect('merge-status', tokens.reviewer);
    let id = '';
    authorClient.change((doc) => (id = annotateAs(doc, author, { kind: 'problem', problemType: 'typo', correction: 'turn' }).id));
    await stored(authorClient);
    await converged(authorClient, reviewerClient);

    edit(authorClient, (doc) => updateAnnotation(doc, id, { kind: 'comment' }, contextOf(author)));
    edit(reviewerClient, (doc) => rejectProblem(doc, id, contextOf(reviewer)));
    await stored(authorClient);
    await stored(reviewerClient);
    await converged(authorClient, reviewerClient);

    const viewer = await connect('merge-status', tokens.viewer);
    expect(readEverywhere(id, authorClient, reviewerClient, viewer)).toMatchObject({ kind: 'comment', status: 'resolved', statusBy: reviewer.userId });
  });
});
