import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chapterText, createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';

// P4 of RELIABILITY.md (issue 14, attack 4): imports, exports and chapter imports run in worker
// threads, limited per user. The test watches JSON.parse in the server's process: the bodies are
// parsed elsewhere. How long /healthz and a live room take meanwhile is a benchmark figure
// (bench/scenarios/heavy-requests.ts), not asserted here.

/** A W3C import of `count` annotations that all quote the same words. */
function quotingImport(count: number, exact = 'terminating the first five-year plan'): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({ id: `urn:p4:${i}`, type: 'Annotation', bodyValue: `note ${i}`, target: { source: 'urn:x', selector: { type: 'TextQuoteSelector', exact } } })),
  );
}

describe('P4: heavy requests', () => {
  let server: TestServer;
  let other: RoleTokens;
  /** Lengths of strings of 100 kB or more handed to JSON.parse in this process. */
  let bigParses: number[] = [];
  const parse = JSON.parse;
  const importInto = (room: string, token: string, body: string, dryRun = true) =>
    fetch(`${server.url}/api/rooms/${room}/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

  beforeAll(async () => {
    server = await startTestServer({ heavyJobsPerUser: 1 });
    other = await createRoomViaApi(server, 'other-room');
    vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      if (typeof text === 'string' && text.length >= 100_000) bigParses.push(text.length);
      return parse(text, reviver);
    });
  });
  afterEach(() => {
    bigParses = [];
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.stop();
  });

  it('P4: parses, anchors and applies an import, builds an export and imports a new room’s chapter off the event loop', async () => {
    const body = quotingImport(3000);
    const dry = await importInto('chapter-5', server.invites.owner, body);
    expect(dry.status).toBe(200);
    const report = ((await dry.json()) as { report: { imported: number; dryRun: boolean } }).report;
    expect(report).toMatchObject({ imported: 3000, dryRun: true });

    const stored = await importInto('chapter-5', server.invites.owner, body, false);
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { stored: boolean }).stored).toBe(true);
    const exported = await fetch(`${server.url}/api/rooms/chapter-5/export?format=native`, { headers: { authorization: `Bearer ${server.invites.viewer}` } });
    expect(exported.status).toBe(200);
    const text = await exported.text();
    expect(text.length).toBeGreaterThan(100_000);

    const chapter = chapterText.repeat(4);
    const created = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'long-chapter', text: chapter }),
    });
    expect(created.status).toBe(201);
    // None of those bodies (import, chapter) was parsed here; the export was built elsewhere too.
    expect(bigParses).toEqual([]);
    expect(parse(text).annotations).toHaveLength(3000);
  }, 60_000);

  it('P4: refuses a user’s second heavy request while the first runs (429), and not another user’s', async () => {
    const body = quotingImport(6000);
    const [first, second, someoneElse] = await Promise.all([
      importInto('chapter-5', server.invites.owner, body),
      importInto('chapter-5', server.invites.owner, body),
      importInto('other-room', other.owner, body),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = first.status === 429 ? first : second;
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: string }).error).toMatch(/already have 1 import or export running/);
    expect(someoneElse.status).toBe(200);
  }, 60_000);
});
