import { readFile } from 'node:fs/promises';
import { test, expect } from './support/fixtures.ts';
import type { Collaborator } from './support/fixtures.ts';
import { tagWords } from './support/room-page.ts';
import { krippendorffAlpha } from '../../schema/index.ts';
import { parseCsv } from '../helpers/csv-readers.ts';
import { seriousViolations } from './support/axe.ts';

// Two sentences of paragraph 1, each selected over most of its length.
const FIRST = 'So they decided to first alter their economic and social policies';
const SECOND = 'This entailed terminating the first five-year plan and cooling the social situation down';

/**
 * Waits until a page shows a blind round and has reopened the chapter on its own layer: the bar
 * is drawn with the room, the chapter mounted right after it.
 */
async function inRound(page: Collaborator['page']): Promise<void> {
  await expect(page.locator('ap-room-bar')).toContainText(/Blind round \d+/);
  await expect(page.locator('.ap-chapter h1')).toBeVisible();
}

/** The seminar view of a page, and its parts. */
const seminar = (page: Collaborator['page']) => page.locator('ap-seminar-view');
const peopleRow = (page: Collaborator['page'], name: string) => seminar(page).locator('ap-people-table tbody tr').filter({ hasText: name });

test('a blind round: three students tag the same sentences, none sees the others’; the owner reveals; the overview shows counts, alpha and the disagreement list; the gradebook CSV downloads and parses', async ({ joinRoom }) => {
  const lee = await joinRoom('owner', 'Dr Lee');
  const students = [await joinRoom('annotator', 'Ada'), await joinRoom('annotator', 'Boris'), await joinRoom('annotator', 'Chen')];
  const [ada, boris, chen] = students as [Collaborator, Collaborator, Collaborator];

  // The owner opens the seminar view and starts a round; every student's page moves to a layer of their own.
  await lee.page.locator('ap-header').getByRole('button', { name: 'Seminar', exact: true }).click();
  await expect(seminar(lee.page)).toBeVisible();
  await seminar(lee.page).getByRole('button', { name: 'Start a blind round' }).click();
  await expect(seminar(lee.page).locator('ap-round-panel')).toContainText(/Blind round \d+/);
  for (const { page } of students) await inRound(page);

  await tagWords(ada.page, FIRST, '1');
  await tagWords(ada.page, SECOND, '3');
  await tagWords(boris.page, FIRST, '2');
  await tagWords(boris.page, SECOND, '3');
  await tagWords(chen.page, FIRST, '1');
  for (const { page } of students) await expect(page.locator('ap-save-status')).toContainText('Saved');

  // The owner watches the round live: everyone's claims are there...
  await expect(peopleRow(lee.page, 'Ada')).toContainText('2');
  await expect(peopleRow(lee.page, 'Chen')).toBeVisible();
  await expect(seminar(lee.page).locator('ap-people-table tbody tr')).toHaveCount(3);
  // ...while each student sees only their own.
  for (const [page, own] of [[ada.page, 2], [boris.page, 2], [chen.page, 1]] as const) await expect(page.locator('ap-annotation-card')).toHaveCount(own);
  await expect(ada.page.locator('ap-annotation-card').filter({ hasText: 'Boris' })).toHaveCount(0);
  await expect(boris.page.locator('ap-annotation-card').filter({ hasText: 'Ada' })).toHaveCount(0);
  await expect(chen.page.locator('ap-annotation-card').filter({ hasText: /Ada|Boris/ })).toHaveCount(0);

  // The owner reveals (after a confirmation): everyone now sees all five.
  await seminar(lee.page).getByRole('button', { name: 'Reveal to everyone…' }).click();
  await seminar(lee.page).getByRole('button', { name: 'Yes, reveal' }).click();
  await expect(seminar(lee.page).locator('ap-round-panel')).toContainText(/Round \d+ revealed/);
  for (const { page } of students) await expect(page.locator('ap-annotation-card')).toHaveCount(5);
  await expect(ada.page.locator('ap-room-bar')).not.toContainText('Blind round');

  // The overview: each person's counts, alpha from the same values, the disagreement list.
  await expect(peopleRow(lee.page, 'Ada').locator('[data-column="claims"]')).toContainText('2');
  await expect(peopleRow(lee.page, 'Boris').locator('[data-column="claims"]')).toContainText('2');
  await expect(peopleRow(lee.page, 'Chen').locator('[data-column="claims"]')).toContainText('1');
  const expected = krippendorffAlpha([['sourced', 'contested', 'sourced'], ['interpretive', 'interpretive']]);
  if (!expected.computable) throw new Error('the expected alpha is computable');
  const alpha = seminar(lee.page).locator('[data-testid="chapter-alpha"]');
  await expect(alpha).toContainText(expected.alpha.toFixed(2).replace('-', '−'));
  await expect(alpha.locator('[data-testid="pairable"]')).toHaveText('5');
  const agenda = seminar(lee.page).getByRole('list', { name: 'Sentences with most disagreement' });
  await expect(agenda.getByRole('listitem')).toHaveCount(1);
  await expect(agenda).toContainText('So they decided');
  await expect(agenda).toContainText('Ada Sourced');
  await expect(agenda).toContainText('Boris Contested');

  // The view passes axe (no serious or critical violation), the coverage table open.
  expect(await seriousViolations(lee.page), 'the seminar view').toEqual([]);

  // The gradebook: a CSV a spreadsheet opens, one row per student.
  const [download] = await Promise.all([lee.page.waitForEvent('download'), seminar(lee.page).getByRole('link', { name: 'CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/gradebook\.csv$/);
  const table = parseCsv((await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, ''));
  expect(table[0]!.slice(0, 4)).toEqual(['Name', 'User id', 'Annotations', 'Claims']);
  expect(table.slice(1).map((row) => [row[0], row[3]])).toEqual([['Ada', '2'], ['Boris', '2'], ['Chen', '1']]);
});

test("a blind round that shows the staff's annotations: a student sees the owner's claim, read-only, and not another student's", async ({ joinRoom }) => {
  const lee = await joinRoom('owner', 'Dr Lee');
  const ada = await joinRoom('annotator', 'Ada');
  const boris = await joinRoom('annotator', 'Boris');
  await lee.page.locator('ap-header').getByRole('button', { name: 'Seminar', exact: true }).click();
  await seminar(lee.page).getByLabel("let everyone see your and the reviewers' annotations").check();
  await seminar(lee.page).getByRole('button', { name: 'Start a blind round' }).click();
  await expect(seminar(lee.page).locator('ap-round-panel')).toContainText('Everyone sees the owner');
  await seminar(lee.page).getByRole('button', { name: '← Chapter' }).click();
  await inRound(lee.page);
  for (const { page } of [ada, boris]) await inRound(page);
  await tagWords(lee.page, SECOND, '1');
  await tagWords(boris.page, FIRST, '2');
  for (const { page } of [lee, boris]) await expect(page.locator('ap-save-status')).toContainText('Saved');

  await expect(ada.page.locator('ap-room-bar')).toContainText("and the owner's and reviewers'");
  await expect(ada.page.locator('ap-annotation-card')).toHaveCount(1);
  await expect(ada.page.locator('ap-annotation-card').filter({ hasText: 'Dr Lee' })).toBeVisible();
  await expect(ada.page.locator('ap-annotation-card').filter({ hasText: 'Boris' })).toHaveCount(0);
  // Her own work goes to her layer; the owner's claim cannot be answered until the reveal.
  await tagWords(ada.page, FIRST, '1');
  await expect(ada.page.locator('ap-annotation-card')).toHaveCount(2);
  await ada.page.locator('ap-annotation-card').filter({ hasText: 'Dr Lee' }).click();
  const thread = ada.page.locator('ap-annotation-card[expanded]');
  await thread.getByRole('textbox', { name: 'Reply' }).fill('Which source?');
  await thread.getByRole('button', { name: 'Reply' }).click();
  await expect(ada.page.locator('ap-notice')).toContainText('only they can change it or answer it');
});
