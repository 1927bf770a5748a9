// Screenshots of the phone and tablet layouts and of the review views issue 13 added: the
// problem form proposing a deletion, and suggestions already covered or dismissed. Run by
// screenshots.ts on its demo room, after the desktop views.
import type { Browser, Page } from '@playwright/test';
import type { ServerProcess } from '../tests/e2e/support/server-process.ts';
import { PHONE, TABLET } from '../tests/e2e/support/devices.ts';
import { join, scrollChapterTo, select, shoot } from './screenshot-pages.ts';
import type { Room } from './screenshot-pages.ts';

const DUPLICATE = 'On many occasions, he removed capable, independent people from these institutions, a source of conflict with the Prime Minister and with leading members of the government.';

/** Taps the middle of the first line of the highlight over `words`. */
async function tapHighlight(page: Page, words: string): Promise<void> {
  const highlight = page.locator('.ap-chapter [data-annotation-id]').filter({ hasText: words }).last();
  await highlight.scrollIntoViewIfNeeded();
  const line = await highlight.evaluate((element) => {
    const rect = element.getClientRects()[0]!;
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  });
  await page.touchscreen.tap(line.x, line.y);
}

/** Waits for the sidebar's sheet to finish sliding (its transition) before a screenshot. */
async function sheetSettled(page: Page, open: boolean): Promise<void> {
  await page.locator(open ? 'ap-sidebar[open]' : 'ap-sidebar:not([open])').waitFor();
  await page.waitForFunction(() => document.querySelector('ap-sidebar')!.getAnimations().length === 0);
}

/** Phone (390×844) and tablet (820×1180) with touch: reading, selecting, the sheet, the Menu. */
export async function takeDeviceScreenshots(browser: Browser, server: ServerProcess, room: Room): Promise<void> {
  const phone = await join(browser, server, room, 'annotator', 'Priya Phone', PHONE);
  await scrollChapterTo(phone, 'It is easy to describe the steps');
  await shoot(phone, 'phone-reading');

  await select(phone, 'Younger members of these families were allowed to study');
  await shoot(phone, 'phone-toolbar');
  await phone.keyboard.press('Escape');

  await tapHighlight(phone, '90,000 court rulings');
  await sheetSettled(phone, true);
  await phone.locator('ap-annotation-card[expanded]').waitFor();
  await shoot(phone, 'phone-sheet');
  await phone.getByRole('button', { name: 'Close the panel' }).tap();
  await sheetSettled(phone, false);

  const owner = await join(browser, server, room, 'owner', 'Olga Petrova', PHONE);
  await scrollChapterTo(owner, 'It is easy to describe the steps');
  await owner.getByRole('button', { name: 'Menu' }).tap();
  await shoot(owner, 'phone-menu');

  const tablet = await join(browser, server, room, 'reviewer', 'Tomas Tablet', TABLET);
  await scrollChapterTo(tablet, 'It is easy to describe the steps');
  await shoot(tablet, 'tablet');
  await tablet.getByRole('tab', { name: /Suggestions/ }).tap();
  await sheetSettled(tablet, true);
  await tablet.locator('ap-suggestions-panel li').first().waitFor();
  await shoot(tablet, 'tablet-sheet');
  for (const page of [phone, owner, tablet]) await page.context().close();
}

/** Desktop: a problem proposing a deletion (form and card), then covered and dismissed suggestions. */
export async function takeReviewScreenshots(browser: Browser, server: ServerProcess, room: Room): Promise<void> {
  const reviewer = await join(browser, server, room, 'reviewer', 'Boris Ivanov');
  await scrollChapterTo(reviewer, 'Many times he removed people');
  await select(reviewer, DUPLICATE);
  await reviewer.keyboard.press('p');
  const form = reviewer.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption('duplication');
  await form.getByLabel('Propose deleting this passage').check();
  await form.getByRole('textbox', { name: 'Note', exact: true }).fill('The same sentence translated twice; keep the first rendering.');
  await shoot(reviewer, 'propose-deletion');
  await form.getByRole('button', { name: 'Create' }).click();
  await reviewer.locator('ap-annotation-card', { hasText: 'Proposed deletion' }).click();
  await reviewer.mouse.move(5, 400);
  await shoot(reviewer, 'proposed-deletion-card');

  await reviewer.getByRole('tab', { name: /Suggestions/ }).click();
  const transliteration = reviewer.locator('ap-suggestions-panel section[aria-labelledby="group-transliteration"] li').first();
  await transliteration.getByRole('button', { name: 'Dismiss' }).click();
  await reviewer.getByRole('button', { name: /Show dismissed/ }).click();
  await reviewer.locator('ap-suggestions-panel section.aside').first().evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await shoot(reviewer, 'suggestions-covered');
  await reviewer.context().close();
}
