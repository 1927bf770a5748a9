// Screenshots of a seminar's overview (docs/seminar-view.md, "A seminar's overview"):
// `node --import tsx scripts/seminar-overview-screenshots.ts`. Builds the client, starts a real
// server (temp DATA_DIR), seats a lecturer (the first administrator), a teaching assistant and
// eight students in a seminar of two chapters (the fixture chapter and a short second one), lets
// them annotate both over ten days through the real protocol, each claim on sentences others
// tagged too, and photographs the overview at desktop (1440×900) and phone (390×844) width.
// SCREENSHOT_DIR writes elsewhere (to look before replacing the documented ones).
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chapterSentences, projectYDoc } from '../schema/index.ts';
import type { ClaimStatus, SentenceSpan } from '../schema/index.ts';
import { projectRoot } from '../tests/e2e/support/server-process.ts';
import type { ServerProcess } from '../tests/e2e/support/server-process.ts';
import { RoundReader } from '../tests/helpers/round-readers.ts';
import type { ProgramSession } from '../tests/helpers/round-readers.ts';
import { createSeminar, inviteToken, joinAsGuest, seatLecturer } from '../tests/helpers/seminar-seats.ts';
import { mulberry32 } from '../tests/helpers/seeded-random.ts';
import { withScreenshotServer } from './screenshot-pages.ts';

const OUT = process.env.SCREENSHOT_DIR ?? path.join(projectRoot, 'docs', 'screenshots');
const STUDENTS = ['Ada Novak', 'Boris Ivanov', 'Chen Wei', 'Daria Sokolova', 'Emil Hartmann', 'Farida Yusupova', 'Gabriel Costa', 'Hanna Berg'];
const STATUSES: readonly ClaimStatus[] = ['sourced', 'contested', 'interpretive'];
const DAY = 24 * 3600 * 1000;

/** A short second chapter (written for these screenshots), in the Markdown the upload reads. */
const SECOND_CHAPTER = `# 6. The Great Break

The winter of 1929 turned the party's grain policy into a campaign against the village itself.[^1] District officials were told to reach full collectivisation within months, not years. Many of them read the instruction as licence to use force.

## The campaign in the villages

Brigades of workers from the cities arrived to organise the new collective farms.[^2] They rarely knew how a farm was run. Peasants answered by slaughtering their livestock rather than surrender it, and the herds of 1928 were not restored for a generation.

In March 1930 Stalin's article "Dizzy with Success" blamed local zeal for the excesses.[^3] Within weeks more than half of the new collective farms had dissolved. The retreat proved temporary: by 1932 the pressure had returned, and with it the famine.

[^1]: Davies R. W., The Socialist Offensive, London, 1980, p. 147.
[^2]: Viola L., The Best Sons of the Fatherland, Oxford, 1987, p. 66.
[^3]: Pravda, 2 March 1930.
`;

/** How a chapter is worked on: how many sentences its readers tag, how often they agree, a footnote some claims cite. */
interface Work {
  shared: number;
  agree: number;
  footnote: number;
}

/** Ten days of work on one chapter: claims on sentences several readers tag (mostly agreeing), problems, comments, replies. */
async function tenDays(server: ServerProcess, room: string, people: ProgramSession[], random: () => number, work: Work): Promise<void> {
  const readers = await Promise.all(people.map((p) => RoundReader.shared(server.baseUrl, room, p)));
  const sentences: SentenceSpan[] = chapterSentences(projectYDoc(readers[0]!.text.ydoc)).slice(0, 60);
  const start = Date.now() - 10 * DAY;
  const agenda = sentences.slice(0, work.shared);
  const consensus = agenda.map(() => STATUSES[Math.floor(random() * 3)]!);
  const made: { reader: RoundReader; id: string }[] = [];
  for (const [i, reader] of readers.entries()) {
    const care = 0.35 + (i % 4) * 0.15;
    const at = () => new Date(start + random() * 9.5 * DAY);
    agenda.forEach((sentence, k) => {
      if (random() > care) return;
      const status = random() < work.agree ? consensus[k]! : STATUSES[Math.floor(random() * 3)]!;
      const footnotes = status === 'sourced' && random() < 0.5 ? [work.footnote] : [];
      made.push({ reader, id: reader.annotate({ start: sentence.start, end: sentence.end }, { kind: 'claim', claimStatus: status, footnotes }, at()) });
    });
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
      const sentence = sentences[Math.floor(random() * sentences.length)]!;
      const span = { start: sentence.start, end: Math.min(sentence.end, sentence.start + 30 + Math.floor(random() * 50)) };
      const input = random() < 0.5
        ? ({ kind: 'comment', note: 'Question for the seminar: what does the footnote actually show?' } as const)
        : ({ kind: 'problem', problemType: (['typo', 'grammar', 'transliteration', 'citation'] as const)[k % 4], correction: '', note: 'See the original.' } as const);
      made.push({ reader, id: reader.annotate(span, input, at()) });
    }
  }
  await Promise.all(readers.map((reader) => reader.saved(20_000)));
  for (let n = 0; n < 10; n++) {
    const target = made[Math.floor(random() * made.length)]!;
    readers[Math.floor(random() * readers.length)]!.reply(target.id, 'I read it differently: the note cites a secondary source only.', new Date(start + (9 + random()) * DAY));
  }
  await Promise.all(readers.map((reader) => reader.saved(20_000)));
  for (const reader of readers) reader.leave();
}

async function overviewPage(browser: Browser, server: ServerProcess, session: string, seminarId: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 500 ? 2 : 1, serviceWorkers: 'block' });
  await context.addCookies([{ name: 'ap_session', value: session, url: server.baseUrl }]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`console: ${message.text()}`));
  await page.goto(`${server.baseUrl}/s/${seminarId}/overview`);
  await page.locator('ap-seminar-overview ap-people-table tbody tr').first().waitFor();
  return page;
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  // Transitions finished (an opened row's arrow turns) and the pointer off the page, so nothing is caught half-way or hovered.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage, animations: 'disabled' });
  console.log(`saved ${path.relative(projectRoot, path.join(OUT, `${name}.png`))}`);
}

async function main(): Promise<void> {
  await withScreenshotServer(OUT, async (server, browser) => {
    const lecturer = await seatLecturer(server);
    const { seminarId, chapterIds } = await createSeminar(lecturer, 'History 204: The Soviet 1930s', [
      { name: 'chapter-5.txt', text: readFileSync(path.join(projectRoot, 'fixtures/chapter-5.txt'), 'utf8') },
      { name: 'chapter-6.md', text: SECOND_CHAPTER },
    ]);
    const students = await inviteToken(lecturer, seminarId, 'annotator');
    const assistants = await inviteToken(lecturer, seminarId, 'reviewer');
    const people = [(await joinAsGuest(server.baseUrl, assistants, 'Ivan Morozov (TA)')).session];
    for (const name of STUDENTS) people.push((await joinAsGuest(server.baseUrl, students, name)).session);
    const random = mulberry32(204);
    await tenDays(server, chapterIds[0]!, people, random, { shared: 24, agree: 0.9, footnote: 131 });
    await tenDays(server, chapterIds[1]!, people.slice(0, 7), random, { shared: 8, agree: 0.7, footnote: 1 });

    const desktop = await overviewPage(browser, server, lecturer.session!, seminarId, { width: 1440, height: 900 });
    await desktop.locator('ap-people-table tbody tr[data-user]').nth(1).getByRole('button').first().click();
    await shoot(desktop, 'seminar-overview');
    // The whole page, to look at before replacing the documented ones (not kept in docs/).
    if (process.env.SCREENSHOT_DIR) await shoot(desktop, 'seminar-overview-full', true);
    const phone = await overviewPage(browser, server, lecturer.session!, seminarId, { width: 390, height: 844 });
    await shoot(phone, 'seminar-overview-phone');
    if (process.env.SCREENSHOT_DIR) {
      // Looking before replacing: each part of the phone page on its own.
      for (const [i, section] of (await phone.locator('ap-seminar-overview section').all()).entries()) {
        await section.screenshot({ path: path.join(OUT, `phone-section-${i}.png`) });
      }
    }
  });
}

await main();
