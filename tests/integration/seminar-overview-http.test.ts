import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation, krippendorffAlpha } from '../../schema/index.ts';
import type { ClaimStatus } from '../../schema/index.ts';
import { BrowserClient, setUpAdministrator } from '../helpers/browser-client.ts';
import { parseCsv } from '../helpers/csv-readers.ts';
import { anchorWords, writeAnnotations } from '../helpers/socket-writes.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

/**
 * The seminar-level overview (docs/seminar-view.md): every chapter of a seminar read through
 * the chapter-level interface, people added up, agreement pooled over all chapters' sentences.
 */

let server: TestServer;
let lecturer: BrowserClient;

beforeAll(async () => {
  server = await startTestServer({ signInAttemptsPerAddress: 10_000 });
  lecturer = await setUpAdministrator(server);
});
afterAll(() => server.stop());

/** A guest of the seminar who tags `words` in `room` with `status`. */
async function tag(browser: BrowserClient, room: string, words: string, status: ClaimStatus): Promise<void> {
  const me = await browser.json<{ userId: string; name: string }>('GET', `/api/rooms/${room}/me`);
  const anchor = await anchorWords(server.url, room, browser.session!, words);
  const refusals = await writeAnnotations(server.url, room, browser.session!, (doc) => {
    const created = createAnnotation(doc, { kind: 'claim', claimStatus: status, anchor }, { actor: { userId: me.userId, name: me.name }, now: () => new Date() });
    if (!created.ok) throw new Error(created.errors.join('; '));
  });
  expect(refusals).toEqual([]);
}

describe('the overview of a seminar', () => {
  it('adds up every chapter per person, pools alpha over all sentences, and answers only owners and reviewers', async () => {
    const seminar = (await lecturer.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title: 'Soviet 1930s' }, 201)).seminar.id;
    const chapter = async (name: string, text: string) =>
      (await lecturer.json<{ chapter: { id: string } }>('POST', `/api/seminars/${seminar}/chapters?name=${name}`, new TextEncoder().encode(text), 201)).chapter.id;
    const one = await chapter('one.md', '# One\n\nThe plan was cut in 1933. The grain levy was abolished.\n');
    const two = await chapter('two.md', '# Two\n\nThe kulaks regained some rights.\n');
    const { token } = await lecturer.json<{ token: string }>('POST', `/api/seminars/${seminar}/invites`, { role: 'annotator' }, 201);
    const students: BrowserClient[] = [];
    for (const name of ['Ada', 'Boris']) {
      const guest = new BrowserClient(server.url);
      await guest.json('POST', `/api/join/${token}`, { as: 'guest', name });
      students.push(guest);
    }
    const [ada, boris] = students as [BrowserClient, BrowserClient];
    await tag(ada, one, 'The plan was cut in 1933.', 'sourced');
    await tag(boris, one, 'The plan was cut in 1933.', 'sourced');
    await tag(ada, two, 'The kulaks regained some rights.', 'contested');
    await tag(boris, two, 'The kulaks regained some rights.', 'interpretive');

    type Report = {
      computedAt: string;
      chapters: { chapter: { id: string }; claims: number; archived: boolean; rows: { name: string; claims: number }[] }[];
      people: { name: string; claims: number }[];
      alpha: unknown;
      agreement: { disagreements: { chapter: { id: string }; sentence: { text: string }; paragraph: number; inParagraph: { start: number; end: number }; said: { name: string }[] }[] };
    };
    const report = await lecturer.json<Report>('GET', `/api/seminars/${seminar}/overview?format=report`);
    expect(Date.parse(report.computedAt)).not.toBeNaN();
    expect(report.chapters.map((c) => [c.chapter.id, c.claims, c.archived])).toEqual([[one, 2, false], [two, 2, false]]);
    expect(report.chapters.map((c) => c.rows.map((row) => `${row.name} ${row.claims}`))).toEqual([['Ada 1', 'Boris 1'], ['Ada 1', 'Boris 1']]);
    expect(report.agreement.disagreements).toEqual([
      expect.objectContaining({ chapter: expect.objectContaining({ id: two }), sentence: expect.objectContaining({ text: 'The kulaks regained some rights.' }), paragraph: 1, inParagraph: { start: 0, end: 32 } }),
    ]);
    expect(report.people.map((p) => [p.name, p.claims])).toEqual([['Ada', 2], ['Boris', 2]]);
    expect(report.alpha).toEqual(krippendorffAlpha([['sourced', 'sourced'], ['contested', 'interpretive']]));

    const csv = await lecturer.request('GET', `/api/seminars/${seminar}/overview?format=csv&sort=name`);
    expect(csv.status).toBe(200);
    const table = parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
    expect(table.slice(1).map((row) => [row[0], row[3]])).toEqual([['Ada', '2'], ['Boris', '2']]);
    expect((await ada.request('GET', `/api/seminars/${seminar}/overview`)).status).toBe(403);
    expect((await new BrowserClient(server.url).request('GET', `/api/seminars/${seminar}/overview`)).status).toBe(401);
  });
});
