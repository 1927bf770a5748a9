import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import type { W3CAnnotation, W3CCollection } from '../../schema/exchange/export/w3c.ts';
import { EXPORT_FORMATS } from '../../schema/exchange/export/formats.ts';
import { loadConfig } from '../../server/config.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';
import { parseXmlStrict, teiReadingText } from '../helpers/tei-reading.ts';

const ROOM = 'chapter-5';
const PUBLIC_URL = 'https://apparatus.example.edu';

/** Two annotations and a reply, imported as the owner (the quickest way to give a room an apparatus). */
const APPARATUS = {
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  type: 'AnnotationCollection',
  first: {
    type: 'AnnotationPage',
    items: [
      {
        id: 'https://tool.example/a/1',
        type: 'Annotation',
        motivation: 'commenting',
        creator: { id: 'acct:petrov@tool.example', type: 'Person', name: 'Petrov' },
        body: [{ type: 'TextualBody', purpose: 'tagging', value: 'sourced' }, { type: 'TextualBody', purpose: 'commenting', value: 'Khlevniuk, note 130.' }],
        target: { source: 'https://tool.example/ch5', selector: { type: 'TextQuoteSelector', exact: "a 'moderate turn'", prefix: 'described as ', suffix: '' } },
      },
      {
        id: 'https://tool.example/a/2',
        type: 'Annotation',
        motivation: 'commenting',
        body: [{ type: 'TextualBody', purpose: 'tagging', value: 'contested' }],
        target: { source: 'https://tool.example/ch5', selector: { type: 'TextQuoteSelector', exact: 'benefiting up to 560,000 people', prefix: '', suffix: '' } },
      },
      { id: 'https://tool.example/r/1', type: 'Annotation', motivation: 'replying', body: { type: 'TextualBody', value: 'Barsenkov agrees.' }, target: 'https://tool.example/a/2' },
    ],
  },
};

async function seed(server: TestServer, room: string, owner: string): Promise<void> {
  const response = await fetch(`${server.url}/api/rooms/${room}/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
    body: JSON.stringify(APPARATUS),
  });
  if (response.status !== 200) throw new Error(`import: ${response.status} ${await response.text()}`);
}

const bearer = (token: string, accept?: string) => ({ authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) });

/** A GET with a Host header of our choosing (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host, authorization: `Bearer ${token}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

/** An HTTP/1.0 GET without a Host header, over a raw socket; returns the status line. */
function getWithoutHost(port: number, pathAndQuery: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${pathAndQuery} HTTP/1.0\r\nAuthorization: Bearer ${token}\r\n\r\n`));
    let data = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => resolve(data.split('\r\n')[0] ?? '')).on('error', reject);
  });
}

describe('exports over HTTP: the format list, TEI, the CSV zip, and IRIs on the request origin', () => {
  let server: TestServer;
  let w3c: W3CCollection;

  beforeAll(async () => {
    // The name a proxy in front sends as Host: the server answers only to names it is told (DNS rebinding, issue 14).
    server = await startTestServer({ allowedOrigins: ['http://annotate.example.org:8443'] });
    await seed(server, ROOM, server.invites.owner);
    w3c = (await (await fetch(`${server.url}/api/rooms/${ROOM}/export?format=w3c`, { headers: bearer(server.invites.viewer) })).json()) as W3CCollection;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('lists every export format, with its download address, to any role and to no one else', async () => {
    const response = await fetch(`${server.url}/api/rooms/${ROOM}/exports`, { headers: bearer(server.invites.viewer) });
    expect(response.status).toBe(200);
    const { formats } = (await response.json()) as { formats: { name: string; href: string; fileName: string }[] };
    expect(formats.map((f) => f.name)).toEqual(EXPORT_FORMATS.map((f) => f.name));
    expect(formats.find((f) => f.name === 'tei')).toMatchObject({ href: `/api/rooms/${ROOM}/export?format=tei`, fileName: `${ROOM}-tei.xml` });
    expect((await fetch(`${server.url}/api/rooms/${ROOM}/exports`)).status).toBe(401);
  });

  it('answers the format list from the access checks alone, without loading the room (the menu asks while the room opens)', async () => {
    const tokens = await createRoomViaApi(server, 'list-probe');
    expect((await fetch(`${server.url}/api/rooms/list-probe/exports`, { headers: bearer(tokens.viewer) })).status).toBe(200);
    expect(server.log.entries.filter((e) => e.event === 'doc.loaded' && String(e.fields.doc).startsWith('list-probe/'))).toEqual([]);
    // A download does read it (from the store, in a worker thread): the list above was answered differently.
    expect((await fetch(`${server.url}/api/rooms/list-probe/export?format=csv`, { headers: bearer(tokens.viewer) })).status).toBe(200);
    expect(server.log.entries.some((e) => e.event === 'room.exported' && e.fields.room === 'list-probe')).toBe(true);
  });

  it('sends the TEI export, whose reading text is the room’s text IRI answer', async () => {
    const tei = await (await fetch(`${server.url}/api/rooms/${ROOM}/export?format=tei`, { headers: bearer(server.invites.annotator) })).text();
    const text = await (await fetch(`${server.url}/r/${ROOM}/text`, { headers: bearer(server.invites.annotator) })).text();
    expect(teiReadingText(parseXmlStrict(tei))).toBe(text);
    expect(tei).toContain('Khlevniuk, note 130.');
  });

  it('zips the annotations and replies tables', async () => {
    const response = await fetch(`${server.url}/api/rooms/${ROOM}/export?format=csv-zip`, { headers: bearer(server.invites.reviewer) });
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const replies = new TextDecoder().decode(files['replies.csv']!);
    expect(replies.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(replies).toContain('Barsenkov agrees.');
    expect(new TextDecoder().decode(files['annotations.csv']!).split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('answers the text IRI with the plain-text projection, with the export’s credentials', async () => {
    const textIri = (w3c.first.items[0]!.target as { source: { id: string } }).source.id;
    expect(textIri).toBe(`${server.url}/r/${ROOM}/text`);
    const response = await fetch(textIri, { headers: bearer(server.invites.viewer) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const native = (await (await fetch(`${server.url}/api/rooms/${ROOM}/export`, { headers: bearer(server.invites.viewer) })).json()) as NativeExport;
    expect(await response.text()).toBe(native.chapter.text);
    expect((await fetch(textIri)).status).toBe(401);
    const other = await createRoomViaApi(server, 'other-room');
    expect((await fetch(textIri, { headers: bearer(other.viewer) })).status).toBe(403);
    // A browser's session cookie works as well as a Bearer token.
    const entry = await fetch(`${server.url}/r/${ROOM}?invite=${server.invites.viewer}`, { redirect: 'manual' });
    const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(textIri, { headers: { cookie } })).status).toBe(200);
  });

  it('answers an annotation IRI with the annotation as JSON-LD, and a browser with the room opened at it', async () => {
    const item = w3c.first.items[0]!;
    const asData = await fetch(item.id, { headers: bearer(server.invites.viewer, 'application/ld+json') });
    expect(asData.status).toBe(200);
    expect(asData.headers.get('content-type')).toBe('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"');
    expect(asData.headers.get('vary')).toBe('Accept');
    expect({ ...((await asData.json()) as W3CAnnotation), generated: null }).toEqual({ ...item, generated: null });
    // curl's */*: JSON-LD; plain JSON when that is what was asked.
    expect((await fetch(item.id, { headers: bearer(server.invites.viewer, '*/*') })).headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect((await fetch(item.id, { headers: bearer(server.invites.viewer, 'application/json') })).headers.get('content-type')).toBe('application/json; charset=utf-8');
    const browser = await fetch(item.id, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/r/${ROOM}#annotation=${item.id.split('/').pop()}`);
    expect((await fetch(item.id, { headers: bearer(server.invites.viewer, 'image/png') })).status).toBe(406);
    expect((await fetch(item.id, { headers: { accept: 'application/ld+json' } })).status).toBe(401);
    expect((await fetch(`${server.url}/r/${ROOM}/annotations/a-0000000000000000`, { headers: bearer(server.invites.viewer) })).status).toBe(404);
  });

  it('answers reply, collection and person IRIs', async () => {
    const reply = w3c.first.items.find((item) => item.motivation === 'replying')!;
    const replyData = (await (await fetch(reply.id, { headers: bearer(server.invites.viewer) })).json()) as W3CAnnotation;
    expect(replyData.target).toBe(reply.target);
    const collection = (await (await fetch(w3c.id, { headers: bearer(server.invites.viewer) })).json()) as W3CCollection;
    expect(collection.first.items.map((i) => i.id)).toEqual(w3c.first.items.map((i) => i.id));
    const person = await (await fetch(w3c.first.items[0]!.creator.id, { headers: bearer(server.invites.viewer) })).json();
    expect(person).toMatchObject({ id: w3c.first.items[0]!.creator.id, type: 'Person', name: w3c.first.items[0]!.creator.name });
  });

  it('builds IRIs on the origin the request was sent to, and refuses a request that names none', async () => {
    const viaProxy = await getWithHost(`${server.url}/api/rooms/${ROOM}/export?format=w3c`, 'annotate.example.org:8443', server.invites.viewer);
    expect((JSON.parse(viaProxy.body) as W3CCollection).id).toBe(`http://annotate.example.org:8443/r/${ROOM}/annotations`);
    expect(await getWithoutHost(server.port, `/api/rooms/${ROOM}/export?format=w3c`, server.invites.viewer)).toMatch(/^HTTP\/1\.[01] 400 /);
  });
});

describe('PUBLIC_URL', () => {
  let server: TestServer;
  let tokens: RoleTokens;

  beforeAll(async () => {
    server = await startTestServer({ publicUrl: PUBLIC_URL });
    tokens = server.invites;
    await seed(server, ROOM, tokens.owner);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('is the base of every exported IRI, whatever address the request used', async () => {
    const w3c = (await (await fetch(`${server.url}/api/rooms/${ROOM}/export?format=w3c`, { headers: bearer(tokens.viewer) })).json()) as W3CCollection;
    const iris = JSON.stringify(w3c).match(/https?:\/\/[^"\s]+/g)!.filter((iri) => !iri.startsWith('http://www.w3.org/') && !iri.startsWith('https://w3id.org/') && !iri.startsWith('http://tools.ietf.org/'));
    expect(iris.length).toBeGreaterThan(5);
    expect(iris.filter((iri) => !iri.startsWith(`${PUBLIC_URL}/r/${ROOM}/`))).toEqual([]);
    const tei = await (await fetch(`${server.url}/api/rooms/${ROOM}/export?format=tei`, { headers: bearer(tokens.viewer) })).text();
    expect(tei).toContain(`target="${PUBLIC_URL}/r/${ROOM}/text"`);
    expect(tei).not.toContain(server.url);
    // Behind the proxy that PUBLIC_URL names, the annotation IRI answers at the same path.
    const item = w3c.first.items[0]!;
    const local = item.id.replace(PUBLIC_URL, server.url);
    expect(((await (await fetch(local, { headers: bearer(tokens.viewer) })).json()) as W3CAnnotation).id).toBe(item.id);
  });

  it('is read from the environment, checked, and used for the invite links the server prints', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://apparatus.example.edu/' })).toMatchObject({ ok: true, value: { publicUrl: PUBLIC_URL } });
    expect(loadConfig({ PUBLIC_URL: 'https://proxy.example/apparatus/' })).toMatchObject({ ok: true, value: { publicUrl: 'https://proxy.example/apparatus' } });
    expect(loadConfig({})).toMatchObject({ ok: true, value: { publicUrl: null } });
    for (const bad of ['apparatus.example.edu', 'ftp://example.org', 'https://u:p@example.org', 'https://example.org/?x=1']) {
      const result = loadConfig({ PUBLIC_URL: bad });
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.error).toContain('PUBLIC_URL');
    }
    expect(server.inviteUrl(ROOM, 'token')).toBe(`${PUBLIC_URL}/r/${ROOM}?invite=token`);
  });

  it('is what the export CLI uses without --base-url, and the CLI refuses to guess without either', () => {
    const cli = (env: Record<string, string>, ...extra: string[]) =>
      spawnSync(process.execPath, ['scripts/run-built.mjs', 'export-room', '--room', ROOM, '--format', 'w3c', '--data-dir', server.dataDir, ...extra], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
        env: { ...process.env, PUBLIC_URL: '', ...env },
      });
    const refused = cli({});
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('no --base-url given');
    const fromEnv = cli({ PUBLIC_URL });
    expect(fromEnv.status, fromEnv.stderr).toBe(0);
    expect((JSON.parse(fromEnv.stdout) as W3CCollection).id).toBe(`${PUBLIC_URL}/r/${ROOM}/annotations`);
    const fromFlag = cli({ PUBLIC_URL }, '--base-url', 'https://mirror.example/apparatus/');
    expect((JSON.parse(fromFlag.stdout) as W3CCollection).id).toBe(`https://mirror.example/apparatus/r/${ROOM}/annotations`);
    const out = path.join(server.dataDir, 'tables.zip');
    const zipped = cli({ PUBLIC_URL }, '--format', 'csv-zip', '--out', out);
    expect(zipped.status, zipped.stderr).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(out))).sort()).toEqual(['annotations.csv', 'replies.csv']);
    const bad = cli({}, '--base-url', 'ftp://example.org');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--base-url');
  });
});
