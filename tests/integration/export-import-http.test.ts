import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { annotationsMap, listAnnotations } from '../../schema/annotations/layout.ts';
import { CSV_COLUMNS } from '../../schema/exchange/export/csv.ts';
import { NATIVE_EXPORT_SCHEMA } from '../../schema/exchange/export/native-schema.ts';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import type { W3CCollection } from '../../schema/exchange/export/w3c.ts';
import { normaliseNative } from '../helpers/export-builders.ts';
import { createRoomViaApi, readStoredDoc, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';

const ROOM = 'chapter-5';
const SOURCE = 'https://example.org/books/ussr/chapter-5.html';

/** An annotation as a Hypothesis-like tool exports it: quote + position selectors, tag and comment bodies. */
function toolAnnotation(id: string, exact: string, prefix: string, bodies: unknown[], created = '2023-10-01T10:00:00.000000+00:00') {
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://hypothes.is/a/${id}`,
    type: 'Annotation',
    created,
    modified: created,
    creator: { id: 'acct:petrov@hypothes.is', type: 'Person', name: 'Petrov' },
    motivation: 'commenting',
    body: bodies,
    target: { source: SOURCE, selector: [{ type: 'TextQuoteSelector', exact, prefix, suffix: '' }, { type: 'TextPositionSelector', start: 0, end: exact.length }] },
  };
}

const tag = (value: string) => ({ type: 'TextualBody', purpose: 'tagging', value });
const comment = (value: string) => ({ type: 'TextualBody', purpose: 'commenting', value, format: 'text/plain' });

const HAND_WRITTEN = {
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  type: 'AnnotationCollection',
  total: 4,
  first: {
    type: 'AnnotationPage',
    items: [
      toolAnnotation('moderate-turn', "a 'moderate turn'", 'described as ', [comment('Khlevniuk’s term, note 130.'), tag('sourced'), tag('khlevniuk')]),
      toolAnnotation('tassel-act', "the 'Tassel Act'", 'minor theft (', [tag('problem'), tag('https://w3id.org/apparatus/vocab#typography'), { type: 'TextualBody', purpose: 'editing', value: 'the “Tassel Act”' }]),
      toolAnnotation('560000', 'benefiting up to 560,000 people', '', [comment('Source for this figure?'), tag('contested')]),
      {
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        id: 'https://hypothes.is/a/reply-1',
        type: 'Annotation',
        motivation: 'replying',
        creator: 'acct:ivanova@hypothes.is',
        created: '2023-10-02T08:00:00.000000+00:00',
        body: { type: 'TextualBody', value: 'Barsenkov gives the same number.' },
        target: 'https://hypothes.is/a/560000',
      },
    ],
  },
};

async function post(server: TestServer, room: string, token: string | null, body: unknown, query = '', headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api/rooms/${room}/import${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function exportRoom(server: TestServer, room: string, token: string, format = 'native') {
  const response = await fetch(`${server.url}/api/rooms/${room}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  return { response, text: await response.text() };
}

describe('export and import over HTTP', () => {
  let server: TestServer;
  let empty: RoleTokens;

  beforeAll(async () => {
    server = await startTestServer();
    empty = await createRoomViaApi(server, 'c2-empty');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('imports W3C annotations written by another tool, stores them and relays them to connected clients', async () => {
    const watcher = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.viewer });
    try {
      await watcher.synced();
      const { status, json } = await post(server, ROOM, server.invites.owner, HAND_WRITTEN);
      expect(status, JSON.stringify(json)).toBe(200);
      expect(json).toMatchObject({ stored: true, report: { format: 'w3c', imported: 3, replies: { imported: 1 }, refused: [] } });
      await waitFor(() => annotationsMap(watcher.ydoc).size === 3, 'the viewer to receive the imported annotations');
      const stored = listAnnotations(await readStoredDoc(server.dataDir, `${ROOM}/annotations`));
      const byQuote = new Map(stored.map((a) => [a.anchor.quote.exact, a]));
      expect(byQuote.get("a 'moderate turn'")).toMatchObject({ kind: 'claim', claimStatus: 'sourced', note: 'Khlevniuk’s term, note 130.\n\nTags: khlevniuk' });
      expect(byQuote.get("the 'Tassel Act'")).toMatchObject({ kind: 'problem', problemType: 'typography', correction: 'the “Tassel Act”' });
      expect(byQuote.get('benefiting up to 560,000 people')?.provenance).toMatchObject({ source: 'import', originalCreator: 'Petrov', originalCreatorId: 'acct:petrov@hypothes.is' });
    } finally {
      watcher.destroy();
    }
  });

  it('lets a viewer export every format as a non-cached, non-sniffed attachment of the right type', async () => {
    const expected = {
      native: 'application/json; charset=utf-8',
      w3c: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
      tei: 'application/tei+xml; charset=utf-8',
      csv: 'text/csv; charset=utf-8',
      'csv-replies': 'text/csv; charset=utf-8',
      'csv-zip': 'application/zip',
    };
    for (const [format, type] of Object.entries(expected)) {
      const { response, text } = await exportRoom(server, ROOM, server.invites.viewer, format);
      expect(response.status, text).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="chapter-5-(annotations\\.(json|jsonld|csv)|tei\\.xml|replies\\.csv|annotations-csv\\.zip)"$`));
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const native = JSON.parse((await exportRoom(server, ROOM, server.invites.viewer)).text) as NativeExport;
    const validate = new Ajv({ allErrors: true }).compile(NATIVE_EXPORT_SCHEMA);
    expect(validate(native), JSON.stringify(validate.errors)).toBe(true);
    expect(native.annotations).toHaveLength(3);
    const w3c = JSON.parse((await exportRoom(server, ROOM, server.invites.annotator, 'w3c')).text) as W3CCollection;
    expect(w3c.first.items).toHaveLength(4);
    expect(w3c.first.items[0]!.id.startsWith(`${server.url}/r/chapter-5/annotations/`)).toBe(true);
    const csvResponse = await fetch(`${server.url}/api/rooms/${ROOM}/export?format=csv`, { headers: { authorization: `Bearer ${server.invites.reviewer}` } });
    const bytes = Buffer.from(await csvResponse.arrayBuffer());
    // A UTF-8 byte order mark, so that spreadsheets read the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(4);
  });

  it('answers a HEAD of an export (the client\'s probe) with its checks and headers, without loading the room', async () => {
    const tokens = await createRoomViaApi(server, 'head-probe');
    const head = (token: string | null, format = 'csv') =>
      fetch(`${server.url}/api/rooms/head-probe/export?format=${format}`, { method: 'HEAD', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const allowed = await head(tokens.viewer);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(allowed.headers.get('content-disposition')).toBe('attachment; filename="head-probe-annotations.csv"');
    expect(allowed.headers.get('cache-control')).toBe('no-store');
    expect((await head(null)).status).toBe(401);
    expect((await head(empty.viewer)).status).toBe(403);
    expect((await head(tokens.viewer, 'pdf')).status).toBe(400);
    const loaded = server.log.entries.filter((e) => e.event === 'doc.loaded' && String(e.fields.doc).startsWith('head-probe/'));
    expect(loaded).toEqual([]);
    expect(server.log.entries.some((e) => e.event === 'room.exported' && e.fields.room === 'head-probe')).toBe(false);
    // A GET still builds it (from the store, in a worker thread): the HEAD above was answered differently.
    expect((await exportRoom(server, 'head-probe', tokens.viewer, 'csv')).response.status).toBe(200);
    expect(server.log.entries.some((e) => e.event === 'room.exported' && e.fields.room === 'head-probe')).toBe(true);
  });

  it('refuses imports by anyone but the owner, and exports without a valid token', async () => {
    for (const role of ['reviewer', 'annotator', 'viewer'] as const) {
      const { status, json } = await post(server, ROOM, server.invites[role], HAND_WRITTEN);
      expect(status, role).toBe(403);
      expect(json.error).toContain('owner');
    }
    expect((await post(server, ROOM, null, HAND_WRITTEN)).status).toBe(401);
    expect((await post(server, ROOM, empty.owner, HAND_WRITTEN)).status).toBe(403);
    expect((await post(server, ROOM, server.invites.owner, HAND_WRITTEN, '', { origin: 'https://evil.example' })).status).toBe(403);
    const form = await fetch(`${server.url}/api/rooms/${ROOM}/import`, { method: 'POST', headers: { authorization: `Bearer ${server.invites.owner}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await fetch(`${server.url}/api/rooms/${ROOM}/export`)).status).toBe(401);
    expect((await exportRoom(server, ROOM, empty.viewer)).response.status).toBe(403);
    expect((await exportRoom(server, ROOM, server.invites.viewer, 'pdf')).response.status).toBe(400);
  });

  it('round-trips: export → import into an empty room → export is equal after normalisation, and a second import changes nothing (C2)', async () => {
    const source = JSON.parse((await exportRoom(server, ROOM, server.invites.owner)).text) as NativeExport;
    const first = await post(server, 'c2-empty', empty.owner, source);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ report: { format: 'native', imported: 3, skipped: 0, replies: { imported: 1 } } });
    const afterFirst = JSON.parse((await exportRoom(server, 'c2-empty', empty.viewer)).text) as NativeExport;
    expect(normaliseNative(afterFirst)).toEqual(normaliseNative(source));

    const second = await post(server, 'c2-empty', empty.owner, source);
    expect(second.json).toMatchObject({ report: { imported: 0, skipped: 3, replies: { imported: 0, skipped: 1 } } });
    const afterSecond = JSON.parse((await exportRoom(server, 'c2-empty', empty.viewer)).text) as NativeExport;
    expect(afterSecond.annotations).toEqual(afterFirst.annotations);
  });

  it('prints the same export from the data directory with the CLI', async () => {
    const run = (format: string) =>
      execFileSync(process.execPath, ['scripts/run-built.mjs', 'export-room', '--room', ROOM, '--format', format, '--data-dir', server.dataDir, '--base-url', server.url], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
      });
    const withoutTime = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), exported: null, generated: null });
    const viaHttp = (await exportRoom(server, ROOM, server.invites.viewer)).text;
    expect(withoutTime(run('native'))).toEqual(withoutTime(viaHttp));
    expect(run('csv').split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  it('refuses a file over the configured number of annotations (IMPORT_MAX_ANNOTATIONS, read once at start)', async () => {
    const small = await startTestServer({ importMaxAnnotations: 2 });
    try {
      const { status, json } = await post(small, ROOM, small.invites.owner, HAND_WRITTEN);
      expect(status, JSON.stringify(json)).toBe(413);
      expect(json.error).toMatch(/2/);
      const fits = { ...HAND_WRITTEN, total: 2, first: { ...HAND_WRITTEN.first, items: HAND_WRITTEN.first.items.slice(0, 2) } };
      expect((await post(small, ROOM, small.invites.owner, fits, '?dryRun=1')).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it('reports without writing on a dry run', async () => {
    const source = (await exportRoom(server, ROOM, server.invites.owner)).text;
    const owner = (await createRoomViaApi(server, 'dry-run-2')).owner;
    const { status, json } = await post(server, 'dry-run-2', owner, source, '?dryRun=1');
    expect(status).toBe(200);
    expect(json).toMatchObject({ report: { dryRun: true, imported: 3, refused: [] } });
    expect(annotationsMap(await readStoredDoc(server.dataDir, 'dry-run-2/annotations')).size).toBe(0);
  });
});
