// What the screenshot scripts do in a page: join a room as a user, select, tag, write a problem
// or a comment, scroll the chapter, save a screenshot. Shared by screenshots.ts and
// screenshot-views.ts; withScreenshotServer also by the seminar screenshot scripts.
import { chromium } from '@playwright/test';
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildClient, projectRoot, startServerProcess } from '../tests/e2e/support/server-process.ts';
import type { RoomInvites, ServerProcess } from '../tests/e2e/support/server-process.ts';
import { selectWordsInPage } from '../tests/e2e/support/select-in-page.ts';

/** Where the screenshots go. */
export const OUT = path.join(projectRoot, 'docs', 'screenshots');
/** The desktop viewport of the screenshots and figures. */
export const VIEWPORT = { width: 1280, height: 720 };

/**
 * Runs a screenshot script's `work` with the client built afresh, a real server (temporary
 * DATA_DIR) and Debian's Chromium, and closes both afterwards, whatever happens; `out` (where the
 * pictures go) is made first.
 */
export async function withScreenshotServer(out: string, work: (server: ServerProcess, browser: Browser) => Promise<void>): Promise<void> {
  mkdirSync(out, { recursive: true });
  buildClient();
  const server = await startServerProcess();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await work(server, browser);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** A room made for the screenshots. */
export interface Room {
  id: string;
  invites: RoomInvites;
}

/** Opens the room as a new user in a new context (the desktop viewport, or a device's options). */
export async function join(browser: Browser, server: ServerProcess, room: Room, role: keyof RoomInvites, name: string, device?: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(device ?? { viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`[${name}] console: ${message.text()}`));
  await page.goto(`${server.baseUrl}/r/${room.id}?invite=${room.invites[role]}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('.ap-chapter h1').waitFor();
  return page;
}

export async function select(page: Page, words: string): Promise<void> {
  await page.locator('.ap-chapter').evaluate(selectWordsInPage, words);
  await page.getByRole('toolbar', { name: 'Annotate the selection' }).waitFor();
}

/** Tags `words` with key 1/2/3 and, optionally, a note. */
export async function tag(page: Page, words: string, key: '1' | '2' | '3', note = ''): Promise<void> {
  await select(page, words);
  await page.keyboard.press(key);
  await page.getByRole('dialog', { name: 'Annotation details' }).waitFor();
  if (note) await page.keyboard.type(note);
  await page.keyboard.press(note ? 'Control+Enter' : 'Escape');
}

export async function problem(page: Page, words: string, type: string, correction: string, note: string): Promise<void> {
  await select(page, words);
  await page.keyboard.press('p');
  const form = page.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption(type);
  await form.getByLabel('Proposed correction').fill(correction);
  await form.getByRole('textbox', { name: 'Note', exact: true }).fill(note);
  await form.getByRole('button', { name: 'Create' }).click();
}

export async function comment(page: Page, words: string, text: string): Promise<void> {
  await select(page, words);
  await page.keyboard.press('c');
  await page.getByRole('textbox', { name: 'Comment' }).fill(text);
  await page.keyboard.press('Control+Enter');
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`saved docs/screenshots/${name}.png`);
}

export async function scrollChapterTo(page: Page, words: string): Promise<void> {
  await page.locator('.ap-chapter').evaluate((root, wanted) => {
    const p = [...root.querySelectorAll('p')].find((el) => el.textContent!.includes(wanted));
    p?.scrollIntoView({ block: 'start' });
    (document.querySelector('#ap-reading') as HTMLElement).scrollBy(0, -24);
  }, words);
}
