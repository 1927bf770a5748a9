// Screenshots of the seminar leader's view (docs/seminar-view.md):
// `node --import tsx scripts/seminar-screenshots.ts`. Builds the client, starts a real server
// (temp DATA_DIR), seats a lecturer, a reviewer and eight students (program sessions over the
// real protocol), lets them annotate the fixture chapter over ten days, runs a blind round in
// which the students tag the same sentences independently, reveals it, and photographs the view
// at desktop (1440×900) and phone (390×844) width, and a student's page during a second round.
import type { Browser, Page } from '@playwright/test';
import path from 'node:path';
import { chapterSentences, projectYDoc } from '../schema/index.ts';
import type { ClaimStatus, SentenceSpan } from '../schema/index.ts';
import { createRoom, projectRoot } from '../tests/e2e/support/server-process.ts';
import type { ServerProcess } from '../tests/e2e/support/server-process.ts';
import { callApi, namedSession, RoundReader, startRound } from '../tests/helpers/round-readers.ts';
import type { ProgramSession } from '../tests/helpers/round-readers.ts';
import { mulberry32 } from '../tests/helpers/seeded-random.ts';
import { waitFor } from '../tests/helpers/yws-client.ts';
import { withScreenshotServer } from './screenshot-pages.ts';

const OUT = path.join(projectRoot, 'docs', 'screenshots');
const ROOM = 'seminar-demo';
const STUDENTS = ['Ada Novak', 'Boris Ivanov', 'Chen Wei', 'Daria Sokolova', 'Emil Hartmann', 'Farida Yusupova', 'Gabriel Costa', 'Hanna Berg'];
const STATUSES: readonly ClaimStatus[] = ['sourced', 'contested', 'interpretive'];
const DAY = 24 * 3600 * 1000;

/** The seminar: sessions for everyone, named. */
async function seat(server: ServerProcess, invites: Record<string, string>) {
  const owner = await namedSession(server.baseUrl, ROOM, invites.owner!, 'Dr Olga Petrova');
  const reviewer = await namedSession(server.baseUrl, ROOM, invites.reviewer!, 'Ivan Morozov (TA)');
  const students: ProgramSession[] = [];
  for (const name of STUDENTS) students.push(await namedSession(server.baseUrl, ROOM, invites.annotator!, name));
  return { owner, reviewer, students };
}

/** Ten days of ordinary work on the shared layer: problems, comments, claims and replies, by some more than others. */
async function tenDays(server: ServerProcess, people: ProgramSession[], sentences: SentenceSpan[], random: () => number): Promise<void> {
  const readers = await Promise.all(people.map((p) => RoundReader.shared(server.baseUrl, ROOM, p)));
  const start = Date.now() - 10 * DAY;
  const made: { reader: RoundReader; id: string }[] = [];
  for (const [i, reader] of readers.entries()) {
    const diligence = 2 + Math.floor(random() * (i % 3 === 0 ? 9 : 5));
    for (let k = 0; k < diligence; k++) {
      const sentence = sentences[Math.floor(random() * sentences.length)]!;
      const at = new Date(start + random() * 9.5 * DAY);
      const roll = random();
      const span = { start: sentence.start, end: Math.min(sentence.end, sentence.start + 40 + Math.floor(random() * 60)) };
      const id =
        roll < 0.35
          ? reader.annotate(span, { kind: 'comment', note: 'Question for the seminar: how does this square with the footnote?' }, at)
          : roll < 0.6
            ? reader.annotate(span, { kind: 'problem', problemType: (['typo', 'grammar', 'transliteration', 'citation'] as const)[k % 4], correction: '', note: 'See the original.' }, at)
            : reader.annotate(span, { kind: 'claim', claimStatus: STATUSES[Math.floor(random() * 3)]!, footnotes: sentence.blockId === 'p-1' && random() < 0.5 ? [130] : [] }, at);
      made.push({ reader, id });
    }
  }
  await Promise.all(readers.map((reader) => reader.saved(20_000)));
  await waitFor(() => readers.every((reader) => reader.layer.ydoc.getMap('annotations').size === made.length), 'every reader to hold every annotation', 20_000);
  for (let n = 0; n < 14; n++) {
    const target = made[Math.floor(random() * made.length)]!;
    const replier = readers[Math.floor(random() * readers.length)]!;
    replier.reply(target.id, 'I read it differently: the note cites a secondary source only.', new Date(start + (9 + random()) * DAY));
  }
  // Replies live in the replier's replica; each sends its own.
  await Promise.all(readers.map((reader) => reader.saved(20_000)));
  for (const reader of readers) reader.leave();
}

/** A blind round: each student tags most of the chosen sentences, mostly agreeing on a status. */
async function blindRound(server: ServerProcess, owner: ProgramSession, students: ProgramSession[], chosen: SentenceSpan[], random: () => number): Promise<number> {
  const round = await startRound(server.baseUrl, ROOM, owner.token);
  const consensus = chosen.map(() => STATUSES[Math.floor(random() * 3)]!);
  const readers = await Promise.all(students.map((s) => RoundReader.join(server.baseUrl, ROOM, round.id, s)));
  for (const [r, reader] of readers.entries()) {
    const care = 0.6 + (r % 4) * 0.1;
    chosen.forEach((sentence, i) => {
      if (random() > care) return;
      const status = random() < 0.8 ? consensus[i]! : STATUSES[Math.floor(random() * 3)]!;
      reader.annotate({ start: sentence.start, end: sentence.end }, { kind: 'claim', claimStatus: status });
    });
  }
  await Promise.all(readers.map((reader) => reader.layer.stored(20_000)));
  for (const reader of readers) reader.leave();
  const revealed = await callApi(server.baseUrl, `/api/rooms/${ROOM}/rounds/${round.id}/reveal`, owner.token, 'POST');
  if (revealed.status !== 200) throw new Error(`reveal: ${revealed.status} ${JSON.stringify(revealed.body)}`);
  return round.id;
}

async function pageAs(browser: Browser, server: ServerProcess, session: ProgramSession, viewport: { width: number; height: number }, hash = ''): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 500 ? 2 : 1, serviceWorkers: 'block' });
  await context.addCookies([{ name: 'ap_session', value: session.token, url: server.baseUrl }]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`console: ${message.text()}`));
  await page.goto(`${server.baseUrl}/r/${ROOM}${hash}`);
  await page.locator('.ap-chapter h1').waitFor({ state: 'attached' });
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`saved docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  await withScreenshotServer(OUT, async (server, browser) => {
    const invites = await createRoom(server, ROOM, '5. Stalin’s “Soft Course”');
    const { owner, reviewer, students } = await seat(server, invites as unknown as Record<string, string>);
    const probe = await RoundReader.shared(server.baseUrl, ROOM, owner);
    const sentences = chapterSentences(projectYDoc(probe.text.ydoc));
    probe.leave();
    const random = mulberry32(17);
    await tenDays(server, [reviewer, ...students], sentences.slice(0, 120), random);
    // The round: the sentences of paragraphs 1 and 2 and the start of 3.
    await blindRound(server, owner, students, sentences.slice(0, 26), random);

    const desktop = await pageAs(browser, server, owner, { width: 1440, height: 900 }, '#seminar');
    await desktop.locator('ap-seminar-view ap-people-table tbody tr').first().waitFor();
    await desktop.locator('ap-save-status', { hasText: 'Saved' }).waitFor();
    await shoot(desktop, 'seminar-view');
    await desktop.locator('ap-seminar-view ap-agreement-panel').scrollIntoViewIfNeeded();
    await shoot(desktop, 'seminar-view-agreement');
    const phone = await pageAs(browser, server, owner, { width: 390, height: 844 }, '#seminar');
    await phone.locator('ap-seminar-view ap-people-table tbody tr').first().waitFor();
    await phone.locator('ap-save-status', { hasText: 'Saved' }).waitFor();
    await shoot(phone, 'seminar-view-phone');
    await phone.locator('ap-seminar-view [data-testid="chapter-alpha"]').scrollIntoViewIfNeeded();
    await shoot(phone, 'seminar-view-phone-agreement');

    // A second round, seen by a student: only her own annotations, the round's bar above the text.
    const second = await startRound(server.baseUrl, ROOM, owner.token);
    const ada = await RoundReader.join(server.baseUrl, ROOM, second.id, students[0]!);
    ada.annotate({ start: sentences[40]!.start, end: sentences[40]!.end }, { kind: 'claim', claimStatus: 'interpretive' });
    await ada.layer.stored();
    const student = await pageAs(browser, server, students[0]!, { width: 1280, height: 720 });
    await student.locator('ap-room-bar').getByText('Blind round').waitFor();
    await student.locator('ap-annotation-card').first().waitFor();
    await student.locator('ap-save-status', { hasText: 'Saved' }).waitFor();
    await shoot(student, 'blind-round-student');
    ada.leave();
  });
}

await main();
