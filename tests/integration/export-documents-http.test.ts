import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRATA_CSV_COLUMNS } from '../../schema/index.ts';
import { parseCsv } from '../helpers/csv-readers.ts';
import { readDocx, trackedChanges } from '../helpers/docx-reader.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

const ROOM = 'chapter-5';
const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const root = path.resolve(import.meta.dirname, '../..');

const textBody = (value: string) => ({ type: 'TextualBody', purpose: 'commenting', value, format: 'text/plain' });
const tag = (value: string) => ({ type: 'TextualBody', purpose: 'tagging', value });

/** Three annotations on the fixture chapter, as another tool would export them: a claim, a problem with a correction, a comment. */
function seedFile() {
  const item = (id: string, exact: string, body: unknown[]) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://tool.example/a/${id}`,
    type: 'Annotation',
    created: '2024-03-01T10:00:00Z',
    creator: { id: 'acct:ivanova@tool.example', type: 'Person', name: 'Ivanova' },
    body,
    target: { source: 'https://example.org/chapter-5', selector: [{ type: 'TextQuoteSelector', exact, prefix: '', suffix: '' }] },
  });
  const items = [
    item('claim', "a 'moderate turn'", [tag('sourced'), textBody('Khlevniuk’s term.')]),
    item('tassel', "the 'Tassel Act'", [tag('problem'), tag('https://w3id.org/apparatus/vocab#typography'), { type: 'TextualBody', purpose: 'editing', value: 'the “Tassel Act”' }]),
    item('figure', 'benefiting up to 560,000 people', [textBody('Source for this <w:t>figure</w:t>?')]),
  ];
  return { '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', total: items.length, first: { type: 'AnnotationPage', items } };
}

async function download(server: TestServer, query: string, method = 'GET') {
  const response = await fetch(`${server.url}/api/rooms/${ROOM}/export?${query}`, { method, headers: { authorization: `Bearer ${server.invites.viewer}` } });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function cli(server: TestServer, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/export-room.ts', '--room', ROOM, '--data-dir', server.dataDir, '--base-url', server.url, ...args], { cwd: root, encoding: 'buffer' });
}

describe('Word, text, errata and print exports over HTTP and the CLI', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/api/rooms/${ROOM}/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.invites.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify(seedFile()),
    });
    expect(response.status, await response.text()).toBe(200);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sends the Word review as a .docx attachment with the correction tracked and the footnotes from 130', async () => {
    const { response, bytes } = await download(server, 'format=docx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(DOCX_MEDIA_TYPE);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="chapter-5-review.docx"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const read = readDocx(bytes);
    // An import is stamped with the importing owner (the file's author stays in the provenance).
    expect(trackedChanges(read.body)).toEqual([{ deleted: "the 'Tassel Act'", inserted: 'the “Tassel Act”', author: expect.stringMatching(/^Owner /), date: expect.any(String) }]);
    expect(read.footnoteNumberStart).toBe(130);
    expect(read.footnotes).toHaveLength(36);
    expect(read.comments.map((c) => c.text)).toEqual(['Sourced claim\nKhlevniuk’s term.', 'Comment\nSource for this <w:t>figure</w:t>?']);
  });

  it('takes the kinds and include-resolved options, and refuses options a format does not take', async () => {
    const problems = readDocx((await download(server, 'format=docx&kinds=problem&include-resolved=true')).bytes);
    expect(problems.comments).toEqual([]);
    expect(trackedChanges(problems.body)).toHaveLength(1);
    const bad = await download(server, 'format=docx&kinds=claim,quibble');
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(bad.bytes)).error).toMatch(/"quibble" is not a kind/);
    const misplaced = await download(server, 'format=csv&include-resolved=true');
    expect(misplaced.response.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(misplaced.bytes)).error).toBe('the csv export takes no options, not include-resolved');
    const unknown = await download(server, 'format=pdf');
    expect(JSON.parse(new TextDecoder().decode(unknown.bytes)).error).toBe('unknown export format "pdf": use one of native, w3c, tei, csv, csv-replies, csv-zip, docx, text, errata, errata-csv, print');
  });

  it('answers HEAD for the new formats from its checks alone', async () => {
    const { response, bytes } = await download(server, 'format=docx', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(DOCX_MEDIA_TYPE);
    expect(bytes).toHaveLength(0);
  });

  it('sends the corrected text, the errata as Markdown and CSV, and the printable page', async () => {
    const text = await download(server, 'format=text&pages=true');
    expect(text.response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.response.headers.get('content-disposition')).toBe('attachment; filename="chapter-5-text.txt"');
    const plain = new TextDecoder().decode(text.bytes);
    expect(plain.startsWith('5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon\n\n')).toBe(true);
    expect(plain).toContain('[p. 2]');

    const errata = new TextDecoder().decode((await download(server, 'format=errata')).bytes);
    expect(errata).toMatch(/\n\| 1 \| ¶ 1 \| “the 'Tassel Act'” \| “the “Tassel Act”” \| Typography \| open \| Owner [^|]+, \d{4}-\d\d-\d\d \| — \|\n/);
    const csv = await download(server, 'format=errata-csv');
    expect(csv.response.headers.get('content-disposition')).toBe('attachment; filename="chapter-5-errata.csv"');
    const rows = parseCsv(new TextDecoder().decode(csv.bytes));
    expect(rows[0]).toEqual([...ERRATA_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);

    const print = await download(server, 'format=print&include-resolved=true');
    expect(print.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = new TextDecoder().decode(print.bytes);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(print.response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(html).toContain('<article class="ap-print"');
    expect(html).toContain('Source for this &lt;w:t&gt;figure&lt;/w:t&gt;?');
    expect(html.match(/class="ap-print__entry"/g)).toHaveLength(3);
  });

  it('writes the same exports from the data directory with the CLI: a Word file with --out, text to stdout', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-cli-'));
    try {
      const out = path.join(dir, 'review.docx');
      const docx = cli(server, '--format', 'docx', '--kinds', 'problem', '--out', out);
      expect(docx.status, docx.stderr.toString()).toBe(0);
      const read = readDocx(new Uint8Array(readFileSync(out)));
      expect(trackedChanges(read.body)).toHaveLength(1);
      expect(read.comments).toEqual([]);
      const text = execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/export-room.ts', '--room', ROOM, '--format', 'text', '--data-dir', server.dataDir, '--base-url', server.url], { cwd: root, encoding: 'utf8' });
      expect(text.split('\n\n')[1]).toBe("The Stalin's new Soviet Society");
      const errata = cli(server, '--format', 'errata-csv').stdout.toString();
      expect(errata.startsWith('page,paragraph,original')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad CLI options with exit code 2 and says why', () => {
    const bad = cli(server, '--format', 'text', '--kinds', 'claim');
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toMatch(/^the text export takes only pages, not kinds\nusage:/);
    expect(cli(server, '--format', 'docx', '--bogus').status).toBe(2);
  });
});
