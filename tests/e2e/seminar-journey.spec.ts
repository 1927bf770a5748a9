import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { projectRoot, startServerProcess } from './support/server-process.ts';
import type { ServerProcess } from './support/server-process.ts';
import { cardOf, tagWords } from './support/room-page.ts';
import { seriousViolations } from './support/axe.ts';

/**
 * The seminar journey of issue 16, in the browser only: a lecturer completes the first start,
 * creates a seminar, uploads the fixture chapter and a second one (dragged in), and invites two
 * students; one joins by link as a guest, annotates, signs up, signs in from a second browser and
 * edits that same annotation; the other annotates as a guest on her phone and signs in to the
 * account she made on her laptop. The roster and the author filter show each of them once.
 * Its own server: a first start needs an empty DATA_DIR.
 */

const PASSWORD = 'a long enough passphrase';
const SAMS_WORDS = 'Machinery and tractor stations were set up';
const TIAS_WORDS = 'moderate turn';
const SECOND_CHAPTER = '# 6. The Great Break\n\nCollectivisation began in *1929*.[^1] Its cost was high.[^2]\n\n## Famine\n\nGrain was taken from the villages.[^3]\n\n[^1]: Davies, p. 12.\n[^2]: Ibid., p. 40.\n[^3]: Conquest, p. 7.\n';

let server: ServerProcess;
const problems: string[] = [];
/** Serious or critical axe findings of every page the journey passes, by page. */
const accessibility: Record<string, string[]> = {};

/** Runs axe over the page as it is now and keeps its serious and critical findings under `where`. */
async function checkAccessibility(page: Page, where: string): Promise<void> {
  accessibility[where] = (await seriousViolations(page)).map((v) => `${v.rule}: ${v.help} ${v.targets.join(' ')}`);
}

test.beforeAll(async () => {
  server = await startServerProcess();
});
test.afterAll(async () => {
  await server.stop();
});

/** A new browser context (one per person and device) whose console errors fail the test. */
async function newBrowser(browser: Browser, who: string, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective));`);
  const page = await context.newPage();
  page.on('console', (message) => message.type() === 'error' && !/Failed to load resource.*40[13]/.test(message.text()) && problems.push(`${who}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
  return { context, page };
}

/** Opens a chapter of the seminar page by its title and waits for the text. */
async function openChapter(page: Page, title: RegExp): Promise<void> {
  await page.getByRole('link', { name: title }).click();
  await expect(page.locator('.ap-chapter h1')).toBeVisible();
}

/** The options of the author filter in the room's sidebar. */
async function authorOptions(page: Page): Promise<string[]> {
  const sidebar = page.locator('ap-sidebar');
  const more = sidebar.getByRole('button', { name: 'More filters' });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  return sidebar.getByLabel('Author').locator('option').allTextContents();
}

test('first start to one person on every device: a lecturer, two students, guests who sign up and sign in', async ({ browser }) => {
  test.setTimeout(240_000);
  expect(server.setupUrl, 'the first start prints a setup link').toMatch(/\/setup#/);

  // The lecturer: first start, a seminar, two chapters, two invite links.
  const lecturer = await newBrowser(browser, 'Lena');
  const lena = lecturer.page;
  await lena.goto(server.setupUrl!);
  await expect(lena.getByLabel('Your name')).toBeVisible();
  await checkAccessibility(lena, 'setup');
  await lena.getByLabel('Your name').fill('Lena Lecturer');
  await lena.getByLabel('Email address').fill('lena@university.example');
  await lena.getByLabel('Password').fill(PASSWORD);
  await lena.getByRole('button', { name: 'Create administrator account' }).click();
  await expect(lena.getByRole('heading', { name: 'Your seminars' })).toBeVisible();
  await checkAccessibility(lena, 'home');
  await lena.getByLabel('Title of the new seminar').fill('History 204: The Soviet 1930s');
  await lena.getByRole('button', { name: 'Create seminar' }).click();
  await expect(lena.getByRole('heading', { name: 'History 204: The Soviet 1930s' })).toBeVisible();

  await lena.locator('#chapter-file').setInputFiles(path.join(projectRoot, 'fixtures/chapter-5.txt'));
  const preview = lena.locator('ap-chapter-upload');
  await expect(preview).toContainText('Here is what Apparatus found in chapter-5.txt');
  await expect(preview.getByRole('listitem').filter({ hasText: 'paragraphs' })).toContainText('36');
  await expect(preview).toContainText('footnotes (130–165)');
  await expect(preview).toContainText('Nothing to check');
  await checkAccessibility(lena, 'seminar with the upload preview');
  await expect(lena.locator('ap-chapter-list')).toContainText('No chapters yet');
  await preview.getByRole('button', { name: 'Create chapter' }).click();
  await expect(lena.locator('ap-chapter-list').getByRole('link', { name: /Soft Course/ })).toBeVisible();

  // The second chapter is dragged onto the drop zone.
  const dataTransfer = await lena.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'chapter-6.md', { type: 'text/markdown' }));
    return transfer;
  }, SECOND_CHAPTER);
  await lena.locator('ap-chapter-upload .drop').dispatchEvent('drop', { dataTransfer });
  await expect(preview).toContainText('Here is what Apparatus found in chapter-6.md');
  await expect(preview).toContainText('footnotes (1–3)');
  await preview.getByRole('button', { name: 'Create chapter' }).click();
  await expect(lena.locator('ap-chapter-list').getByRole('link', { name: '6. The Great Break' })).toBeVisible();

  const invites = lena.locator('ap-seminar-invites');
  const links: string[] = [];
  for (const label of ['Sam', 'Tia']) {
    await invites.getByLabel('Label').fill(label);
    await invites.getByRole('button', { name: 'Create link' }).click();
    await expect(invites.getByRole('cell', { name: new RegExp(`^${label}`) })).toBeVisible();
    links.push(await invites.locator('#new-link').inputValue());
  }

  // Sam joins as a guest, annotates, and signs up from the room.
  const samLaptop = await newBrowser(browser, 'Sam (laptop)');
  const sam = samLaptop.page;
  await sam.goto(links[0]!);
  await expect(sam.getByLabel('Your name')).toBeVisible();
  await checkAccessibility(sam, 'seminar invite');
  await sam.getByLabel('Your name').fill('Sam Student');
  await sam.getByRole('button', { name: 'Join as a guest' }).click();
  await openChapter(sam, /Soft Course/);
  await tagWords(sam, SAMS_WORDS, '2');
  await expect(cardOf(sam, SAMS_WORDS)).toBeVisible();
  await expect(sam.locator('ap-save-status')).toContainText('Saved');
  await sam.locator('ap-header').getByRole('link', { name: 'Sign up' }).click();
  await expect(sam.getByLabel('Your name')).toHaveValue('Sam Student');
  await checkAccessibility(sam, 'sign-up');
  await sam.getByLabel('Email address').fill('sam@university.example');
  await sam.getByLabel('Password').fill(PASSWORD);
  await sam.getByRole('button', { name: 'Sign up' }).click();
  await expect(sam.locator('.ap-chapter h1')).toBeVisible();
  await expect(cardOf(sam, SAMS_WORDS)).toBeVisible();

  // Sam on a second browser: signs in, finds the seminar, edits the annotation he made as a guest.
  const samPhone = await newBrowser(browser, 'Sam (phone)');
  const phone = samPhone.page;
  await phone.goto(`${server.baseUrl}/sign-in`);
  await expect(phone.getByLabel('Email address')).toBeVisible();
  await checkAccessibility(phone, 'sign-in');
  await phone.getByLabel('Email address').fill('sam@university.example');
  await phone.getByLabel('Password').fill(PASSWORD);
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await expect(phone.getByRole('heading', { name: 'Your seminars' })).toBeVisible();
  await phone.getByRole('listitem').filter({ hasText: 'History 204' }).click();
  await openChapter(phone, /Soft Course/);
  const card = cardOf(phone, SAMS_WORDS);
  await card.click();
  await card.getByRole('button', { name: 'Edit' }).click();
  const details = phone.getByRole('dialog');
  await details.getByRole('textbox', { name: 'Note', exact: true }).fill('Edited on my phone: which stations?');
  await phone.keyboard.press('Control+Enter');
  await expect(cardOf(phone, SAMS_WORDS)).toContainText('Edited on my phone');
  await expect(phone.locator('ap-save-status')).toContainText('Saved');
  await expect(cardOf(sam, SAMS_WORDS)).toContainText('Edited on my phone');

  // Tia: an account made on her laptop from the invite link; as a guest on her phone she
  // annotates, then signs in there — the guest becomes part of her account.
  const tiaLaptop = await newBrowser(browser, 'Tia (laptop)');
  await tiaLaptop.page.goto(links[1]!);
  await tiaLaptop.page.getByRole('link', { name: 'Sign up' }).click();
  await tiaLaptop.page.getByLabel('Your name').fill('Tia Student');
  await tiaLaptop.page.getByLabel('Email address').fill('tia@university.example');
  await tiaLaptop.page.getByLabel('Password').fill(PASSWORD);
  await tiaLaptop.page.getByRole('button', { name: 'Sign up' }).click();
  await expect(tiaLaptop.page.getByRole('heading', { name: 'History 204: The Soviet 1930s' })).toBeVisible();
  const tiaPhone = await newBrowser(browser, 'Tia (phone)');
  const tia = tiaPhone.page;
  await tia.goto(links[1]!);
  await tia.getByLabel('Your name').fill('Tia on the phone');
  await tia.getByRole('button', { name: 'Join as a guest' }).click();
  await openChapter(tia, /Soft Course/);
  await tagWords(tia, TIAS_WORDS, '1');
  await expect(tia.locator('ap-save-status')).toContainText('Saved');
  await tia.goto(`${server.baseUrl}/sign-in?return=${encodeURIComponent(new URL(tia.url()).pathname)}`);
  await expect(tia.locator('ap-auth-page')).toContainText('You are here as the guest Tia on the phone');
  await tia.getByLabel('Email address').fill('tia@university.example');
  await tia.getByLabel('Password').fill(PASSWORD);
  await tia.getByRole('button', { name: 'Sign in' }).click();
  await expect(tia.locator('.ap-chapter h1')).toBeVisible();
  const tiasCard = cardOf(tia, TIAS_WORDS);
  await expect(tiasCard).toContainText('Tia Student');
  await tiasCard.click();
  await expect(tiasCard.getByRole('button', { name: 'Edit' })).toBeVisible();

  // The lecturer sees each student once: in the roster and in the author filter.
  await lena.reload();
  const roster = lena.locator('ap-roster');
  await expect(roster.getByRole('row')).toHaveCount(4);
  await expect(roster.getByRole('row').filter({ hasText: 'Sam Student' })).toHaveCount(1);
  await expect(roster.getByRole('row').filter({ hasText: 'Tia Student' })).toHaveCount(1);
  await expect(roster).not.toContainText('Guest');
  await expect(roster).not.toContainText('Tia on the phone');
  await checkAccessibility(lena, 'seminar with its roster');
  await openChapter(lena, /Soft Course/);
  await expect(lena.locator('ap-annotation-card')).toHaveCount(2);
  await expect.poll(() => authorOptions(lena)).toEqual(['Anyone', 'Sam Student (1)', 'Tia Student (1)']);
  await expect(cardOf(lena, TIAS_WORDS)).toContainText('Tia Student');

  await lena.goto(`${server.baseUrl}/account`);
  await expect(lena.getByRole('heading', { name: /account/i }).first()).toBeVisible();
  await checkAccessibility(lena, 'account');

  for (const person of [lecturer, samLaptop, samPhone, tiaLaptop, tiaPhone]) await person.context.close();
  expect(Object.keys(accessibility)).toHaveLength(8);
  expect(accessibility, 'serious or critical axe violations of the pages outside the room').toEqual(Object.fromEntries(Object.keys(accessibility).map((k) => [k, []])));
  expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
});
