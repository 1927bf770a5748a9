import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import type { TestRoom } from './support/fixtures.ts';
import { cardOf, tagWords } from './support/room-page.ts';

const WORDS = 'Machinery and tractor stations were set up';

/** Opens the room in another tab of an existing browser profile, collecting console errors. */
async function openInSameProfile(context: BrowserContext, room: TestRoom, invite: string, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${room.baseUrl}/r/${room.id}?invite=${invite}`);
  return page;
}

/** How many unsaved changes the page's local annotation cache records (what survives closing the tab). */
function cachedPendingChanges(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    const name = databases.map((d) => d.name ?? '').find((n) => n.endsWith('/annotations'));
    if (!name) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const value = await new Promise<unknown>((resolve) => {
      const request = db.transaction('custom').objectStore('custom').get('apparatus-pending');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    });
    db.close();
    return typeof value === 'string' ? (JSON.parse(value) as unknown[]).length : 0;
  });
}

test('two users of one browser profile never share unsent changes; each finds their own again', async ({ joinRoom, room }) => {
  const problems: string[] = [];
  const ada = await joinRoom('annotator', 'Ada Annotator');
  const olga = await joinRoom('owner', 'Olga Owner');

  // Ada annotates offline and leaves the shared computer with the change unsent.
  await ada.context.setOffline(true);
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline');
  await tagWords(ada.page, WORDS, '2');
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline — 1 change pending');
  await expect.poll(() => cachedPendingChanges(ada.page)).toBe(1);
  const adasSession = await ada.context.cookies();
  await ada.page.close();
  await ada.context.setOffline(false);

  // Rita opens her own invite in the same browser profile: nothing of Ada's is loaded or sent.
  const rita = await openInSameProfile(ada.context, room, room.invites.reviewer, problems);
  await rita.getByLabel('Your name').fill('Rita Reviewer');
  await rita.getByRole('button', { name: 'Join' }).click();
  await expect(rita.locator('.ap-chapter h1')).toBeVisible();
  await expect(rita.locator('ap-save-status')).toContainText('Saved');
  await expect(rita.locator('ap-annotation-card')).toHaveCount(0);
  await expect(rita.locator('ap-notice .notice')).toHaveCount(0);
  await rita.close();

  // Ada's session comes back (following her invite again would make her a new user): her
  // unsent annotation is still in this browser and now reaches the server.
  await ada.context.addCookies(adasSession);
  const adaAgain = await ada.context.newPage();
  adaAgain.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
  await adaAgain.goto(`${room.baseUrl}/r/${room.id}`);
  await expect(cardOf(adaAgain, WORDS)).toContainText('Ada Annotator');
  await expect(adaAgain.locator('ap-save-status')).toContainText('Saved');
  await expect(cardOf(olga.page, WORDS)).toContainText('Ada Annotator');
  expect(problems).toEqual([]);
});
