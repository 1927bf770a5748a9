import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { krippendorffAlpha } from '../../schema/index.ts';
import type { ClaimStatus } from '../../schema/index.ts';
import { RoundReader } from '../helpers/round-readers.ts';
import type { ProgramSession } from '../helpers/round-readers.ts';
import { createSeminar, inviteToken, joinAsGuest, seatLecturer } from '../helpers/seminar-seats.ts';
import { seriousViolations } from './support/axe.ts';
import { startServerProcess } from './support/server-process.ts';
import type { ServerProcess } from './support/server-process.ts';

/**
 * A seminar's overview `/s/<id>/overview` (docs/seminar-view.md): reached from the seminar's
 * page by its owner and reviewers only; its figures are the chapters' seminar views added up; a
 * person's row opens on their chapters; the range filter counts what was written in it; a
 * most-disagreed sentence opens its chapter at that sentence; coming back (or Refresh) shows what
 * was written meanwhile. Its own server: seating the lecturer
 * needs a first start.
 */

const ONE = '# One\n\nThe plan was cut in 1933. The grain levy was abolished. Peasants could sell their surplus.\n\nThe purges began in 1936.\n';
const TWO = '# Two\n\nThe kulaks regained some rights. Collectivisation slowed in 1934.\n';

/** Who tags which sentence of which chapter (0 = chapter One, 1 = chapter Two). */
const CLAIMS: readonly [reader: string, chapter: 0 | 1, words: string, status: ClaimStatus][] = [
  ['Ada', 0, 'The plan was cut in 1933.', 'sourced'],
  ['Ada', 0, 'The grain levy was abolished.', 'sourced'],
  ['Ada', 0, 'Peasants could sell their surplus.', 'contested'],
  ['Boris', 0, 'The plan was cut in 1933.', 'sourced'],
  ['Boris', 0, 'The grain levy was abolished.', 'contested'],
  ['Boris', 0, 'The purges began in 1936.', 'interpretive'],
  ['Chen', 0, 'The plan was cut in 1933.', 'sourced'],
  ['Chen', 0, 'Peasants could sell their surplus.', 'contested'],
  ['Ada', 1, 'The kulaks regained some rights.', 'contested'],
  ['Boris', 1, 'The kulaks regained some rights.', 'interpretive'],
  ['Boris', 1, 'Collectivisation slowed in 1934.', 'sourced'],
  ['Ivan (TA)', 1, 'The kulaks regained some rights.', 'contested'],
  ['Ivan (TA)', 1, 'Collectivisation slowed in 1934.', 'sourced'],
];

let server: ServerProcess;
const problems: string[] = [];

test.beforeAll(async () => {
  server = await startServerProcess();
});
test.afterAll(async () => {
  await server.stop();
});

/** A browser signed in with `session` (its own cookie jar); console errors other than an expected refusal fail the test. */
async function signedIn(browser: Browser, who: string, session: string, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: 'ap_session', value: session, url: server.baseUrl }]);
  const page = await context.newPage();
  page.on('console', (message) => message.type() === 'error' && !/Failed to load resource.*403/.test(message.text()) && problems.push(`${who}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
  return { context, page };
}

/** Tags `words` as `status` on the chapter's shared layer as `session`, and waits until it is stored. */
async function tag(room: string, session: ProgramSession, words: string, status: ClaimStatus): Promise<void> {
  const reader = await RoundReader.shared(server.baseUrl, room, session);
  reader.tag(words, status);
  await reader.saved(20_000);
  reader.leave();
}

/** A people table's rows as figures: name → annotations and claims by status (`sourced·contested·interpretive`). */
async function figures(table: ReturnType<Page['locator']>): Promise<Record<string, { annotations: number; split: number[] }>> {
  const rows = await table.locator('tbody tr[data-user]').evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.querySelector('th')!.textContent!.trim(),
      annotations: Number(tr.querySelector('[data-column="annotations"]')!.textContent!.trim()),
      split: tr.querySelector('[data-column="claims"] .split')!.textContent!.trim().split('·').map(Number),
    })),
  );
  return Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest]));
}

/** Adds up people tables. */
function summed(tables: Record<string, { annotations: number; split: number[] }>[]): Record<string, { annotations: number; split: number[] }> {
  const total: Record<string, { annotations: number; split: number[] }> = {};
  for (const table of tables) {
    for (const [name, { annotations, split }] of Object.entries(table)) {
      const into = (total[name] ??= { annotations: 0, split: [0, 0, 0] });
      into.annotations += annotations;
      into.split = into.split.map((n, i) => n + split[i]!);
    }
  }
  return total;
}

const overview = (page: Page) => page.locator('ap-seminar-overview');

test("a seminar's overview: reached by owner and reviewer, refused to a student; the chapters' figures added up; the range filter; a person's chapters; a disagreement opens its sentence; fresh on return and on Refresh; phone width; axe", async ({ browser }) => {
  test.setTimeout(180_000);
  const lecturer = await seatLecturer(server);
  const { seminarId, chapterIds } = await createSeminar(lecturer, 'History 204', [
    { name: 'one.md', text: ONE },
    { name: 'two.md', text: TWO },
  ]);
  const students = await inviteToken(lecturer, seminarId, 'annotator');
  const assistants = await inviteToken(lecturer, seminarId, 'reviewer');
  const members = new Map<string, ProgramSession>();
  for (const name of ['Ada', 'Boris', 'Chen']) members.set(name, (await joinAsGuest(server.baseUrl, students, name)).session);
  members.set('Ivan (TA)', (await joinAsGuest(server.baseUrl, assistants, 'Ivan (TA)')).session);
  for (const [name, chapter, words, status] of CLAIMS) await tag(chapterIds[chapter]!, members.get(name)!, words, status);
  // And a comment Ada wrote ten days ago (outside "Last 7 days").
  const earlier = await RoundReader.shared(server.baseUrl, chapterIds[1]!, members.get('Ada')!);
  const at = earlier.chapterText().indexOf('Collectivisation');
  earlier.annotate({ start: at, end: at + 'Collectivisation'.length }, { kind: 'comment', note: 'From the last seminar.' }, new Date(Date.now() - 10 * 86_400_000));
  await earlier.saved(20_000);
  earlier.leave();

  // The lecturer reaches the overview from the seminar's page.
  const lena = (await signedIn(browser, 'Lena', lecturer.session!)).page;
  await lena.goto(`${server.baseUrl}/s/${seminarId}`);
  await lena.screenshot({ path: test.info().outputPath('seminar-page.png') });
  await lena.getByRole('link', { name: 'Overview: people and agreement' }).click();
  await expect(lena).toHaveURL(new RegExp(`/s/${seminarId}/overview$`));
  await expect(overview(lena).getByRole('heading', { name: 'History 204', level: 1 })).toBeVisible();
  const people = overview(lena).locator('ap-people-table');
  await expect(people.locator('tbody tr[data-user]')).toHaveCount(4);

  // Its figures are the chapters' seminar views added up; each chapter's alpha is the one its view shows.
  const seen = await figures(people);
  const chapterTables: Awaited<ReturnType<typeof figures>>[] = [];
  const chapterLines = overview(lena).locator('ap-chapter-lines');
  const lineAlphas = await chapterLines.locator('[data-testid="chapter-line-alpha"] b').allTextContents();
  for (const [i, title] of ['One', 'Two'].entries()) {
    await overview(lena).getByRole('link', { name: `Seminar view of ${title}` }).click();
    const view = lena.locator('ap-seminar-view');
    await expect(view.locator('ap-people-table tbody tr[data-user]').first()).toBeVisible();
    await expect(view.locator('[data-testid="chapter-alpha"]')).toContainText(lineAlphas[i]!);
    chapterTables.push(await figures(view.locator('ap-people-table')));
    await lena.goBack();
    await expect(people.locator('tbody tr[data-user]')).toHaveCount(4);
  }
  expect(seen).toEqual(summed(chapterTables));
  expect(seen).toEqual({
    Ada: { annotations: 5, split: [2, 2, 0] },
    Boris: { annotations: 5, split: [2, 1, 2] },
    Chen: { annotations: 2, split: [1, 1, 0] },
    'Ivan (TA)': { annotations: 2, split: [1, 1, 0] },
  });
  // Pooled alpha: one alpha over every chapter's sentences (a sentence one reader tagged counts for nothing).
  const pooled = krippendorffAlpha([['sourced', 'sourced', 'sourced'], ['sourced', 'contested'], ['contested', 'contested'], ['contested', 'interpretive', 'contested'], ['sourced', 'sourced']]);
  if (!pooled.computable) throw new Error('the pooled alpha is computable');
  const agreement = overview(lena).locator('ap-agreement-panel');
  await expect(agreement.locator('[data-testid="chapter-alpha"]')).toContainText(pooled.alpha.toFixed(2).replace('-', '−'));
  await expect(agreement.locator('[data-testid="pairable"]')).toHaveText(String(pooled.pairable));

  // The range filter: "Last 7 days" leaves Ada's old comment out, "All time" brings it back.
  const adaRow = people.locator('tbody tr[data-user]').filter({ hasText: 'Ada' });
  await overview(lena).getByRole('button', { name: 'Last 7 days' }).click();
  await expect(adaRow.locator('[data-column="annotations"]')).toHaveText('4');
  await expect(overview(lena)).toContainText('counting since');
  await overview(lena).getByRole('button', { name: 'All time' }).click();
  await expect(adaRow.locator('[data-column="annotations"]')).toHaveText('5');

  // A person's row opens on their chapters.
  await people.getByRole('button', { name: 'Boris, per chapter' }).click();
  await expect(people.getByRole('button', { name: 'Boris, per chapter' })).toHaveAttribute('aria-expanded', 'true');
  const parts = people.locator('tr.part');
  await expect(parts).toHaveCount(2);
  await expect(parts.nth(0).locator('th')).toHaveText('One');
  await expect(parts.nth(0).locator('[data-column="claims"] .split')).toHaveText('1·1·1');
  await expect(parts.nth(1).locator('th')).toHaveText('Two');
  await expect(parts.nth(1).locator('[data-column="claims"] .split')).toHaveText('1·0·1');
  expect(await seriousViolations(lena), 'the overview at desktop width').toEqual([]);
  await lena.screenshot({ path: test.info().outputPath('seminar-overview-desktop.png'), fullPage: true });

  // The most disagreed sentence opens its chapter with that sentence selected.
  const agenda = agreement.getByRole('list', { name: 'Sentences with most disagreement' });
  await expect(agenda.getByRole('listitem')).toHaveCount(2);
  const first = agenda.getByRole('link').first();
  await expect(first).toContainText('The grain levy was abolished.');
  await expect(first).toContainText('One · paragraph 1, sentence 2');
  await first.click();
  await expect(lena).toHaveURL(new RegExp(`/r/${chapterIds[0]}#sentence=`));
  await expect(lena.locator('.ap-chapter h1')).toBeVisible();
  await expect.poll(() => lena.evaluate(() => document.getSelection()?.toString().trim())).toBe('The grain levy was abolished.');

  // Meanwhile Chen tags another sentence; the lecturer comes back to the overview and sees it.
  await tag(chapterIds[1]!, members.get('Chen')!, 'Collectivisation slowed in 1934.', 'interpretive');
  await lena.goBack();
  const chenClaims = people.locator('tbody tr[data-user]').filter({ hasText: 'Chen' }).locator('[data-column="claims"] .split');
  await expect(chenClaims).toHaveText('1·1·1');
  // Not live across chapters: another claim shows after Refresh.
  await tag(chapterIds[1]!, members.get('Chen')!, 'The kulaks regained some rights.', 'sourced');
  await overview(lena).getByRole('button', { name: 'Refresh' }).click();
  await expect(chenClaims).toHaveText('2·1·1');

  // Phone width: nothing wider than the screen but the tables' own scrolling regions; still axe-clean.
  await lena.setViewportSize({ width: 390, height: 844 });
  await expect(people.locator('tbody tr[data-user]')).toHaveCount(4);
  expect(await lena.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(lena), 'the overview at phone width').toEqual([]);
  await lena.screenshot({ path: test.info().outputPath('seminar-overview-phone.png'), fullPage: true });

  // The reviewer reaches it too.
  const ivan = (await signedIn(browser, 'Ivan', members.get('Ivan (TA)')!.token)).page;
  await ivan.goto(`${server.baseUrl}/s/${seminarId}`);
  await ivan.getByRole('link', { name: 'Overview: people and agreement' }).click();
  await expect(ivan.locator('ap-seminar-overview ap-people-table tbody tr[data-user]')).toHaveCount(4);

  // A student sees no link, is refused at the address, and the HTTP route refuses her in every format.
  const ada = (await signedIn(browser, 'Ada', members.get('Ada')!.token)).page;
  await ada.goto(`${server.baseUrl}/s/${seminarId}`);
  await expect(ada.getByRole('link', { name: /^One/ })).toBeVisible();
  await expect(ada.getByRole('link', { name: /Overview/ })).toHaveCount(0);
  await ada.goto(`${server.baseUrl}/s/${seminarId}/overview`);
  await expect(overview(ada).getByRole('alert')).toHaveText(/for the seminar's owners and reviewers/);
  await expect(overview(ada).locator('ap-people-table')).toHaveCount(0);
  await ada.screenshot({ path: test.info().outputPath('refused.png') });
  for (const format of ['report', 'csv', 'json']) {
    const refused = await ada.request.get(`${server.baseUrl}/api/seminars/${seminarId}/overview?format=${format}`);
    expect(refused.status(), format).toBe(403);
    expect(await refused.text(), format).not.toContain('Boris');
  }

  expect(problems, 'console errors or page errors').toEqual([]);
});
