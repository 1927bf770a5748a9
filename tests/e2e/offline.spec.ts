import { test, expect } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import { cardOf, highlightOf, selectParagraph, tagWords } from './support/room-page.ts';

const PARAGRAPH = 'Gestures of reconciliation seem to have multiplied';

/** The quotes of the cards in the sidebar's "needs attention" section, sorted. */
async function orphanQuotes(page: Page): Promise<string[]> {
  const quotes = await page.locator('ap-sidebar section.attention ap-annotation-card blockquote').allTextContents();
  return quotes.sort();
}

async function waitForOfflineShell(page: Page): Promise<void> {
  // The service worker must hold the app shell before the network goes away.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

test('O1: annotations made offline merge with the owner’s deletion, and orphans match on both sides', async ({ joinRoom }) => {
  const ada = await joinRoom('annotator', 'Ada Offline');
  const owner = await joinRoom('owner', 'Olga Owner');
  await tagWords(ada.page, 'Party membership was returned to many members of the opposition', '1');
  // Made online: the server has stored it before the network goes away (else it is pending too).
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved');

  await ada.context.setOffline(true);
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline');
  await tagWords(ada.page, 'Resistance against Stalin', '2');
  await tagWords(ada.page, 'Even members who had been adamant', '3');
  await tagWords(ada.page, 'These steps by the leadership had an impact', '1');
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline — 3 changes pending');

  await owner.page.getByRole('button', { name: 'Edit text' }).click();
  await selectParagraph(owner.page, PARAGRAPH);
  await owner.page.keyboard.press('Backspace');
  await owner.page.keyboard.press('Backspace');
  await expect(owner.page.locator('.ap-chapter p', { hasText: PARAGRAPH })).toHaveCount(0);

  await ada.context.setOffline(false);
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved', { timeout: 5000 });
  for (const page of [ada.page, owner.page]) {
    await expect(page.locator('.ap-chapter p', { hasText: PARAGRAPH })).toHaveCount(0, { timeout: 5000 });
    await expect(page.locator('ap-annotation-card')).toHaveCount(4, { timeout: 5000 });
    await expect(page.locator('ap-sidebar section.attention ap-annotation-card')).toHaveCount(3);
    await expect(highlightOf(page, 'These steps by the leadership')).toBeVisible();
  }
  expect(await orphanQuotes(ada.page)).toEqual(await orphanQuotes(owner.page));
});

test('O2: annotations made offline survive a reload while offline and reach the server later', async ({ joinRoom }) => {
  const ada = await joinRoom('annotator', 'Ada Offline');
  const boris = await joinRoom('reviewer', 'Boris Online');
  await waitForOfflineShell(ada.page);

  await ada.context.setOffline(true);
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline');
  await tagWords(ada.page, 'Machinery and tractor stations were set up', '2');
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline — 1 change pending');

  await ada.page.reload();
  await expect(highlightOf(ada.page, 'Machinery and tractor')).toBeVisible();
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline — 1 change pending');
  // Leaving now would lose the change: the page asks first.
  const asks = await ada.page.evaluate(() => {
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    return leaving.defaultPrevented;
  });
  expect(asks).toBe(true);
  await expect(boris.page.locator('ap-annotation-card')).toHaveCount(0);

  await ada.context.setOffline(false);
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved', { timeout: 5000 });
  await expect(cardOf(boris.page, 'Machinery and tractor')).toContainText('Ada Offline');
  await expect(highlightOf(boris.page, 'Machinery and tractor')).toHaveClass(/ap-hl--contested/);
});
