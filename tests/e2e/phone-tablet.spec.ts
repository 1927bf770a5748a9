import { test, expect } from './support/fixtures.ts';
import type { Locator, Page } from '@playwright/test';
import { PHONE, TABLET } from './support/devices.ts';
import { cardOf, highlightOf, tagWords } from './support/room-page.ts';
import { selectWordsInPage } from './support/select-in-page.ts';

// Issue 13, defect 3: at 390×844 the reading column was 0 px wide and the sidebar filled the
// screen; at 800 px the column was ~220 px. Below ~900 px the chapter comes first at full
// width and the sidebar is a bottom sheet with its tab counts in view.

/** Taps the middle of the first line box of an element, as a finger would. */
async function tapFirstLine(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const line = await target.evaluate((element) => {
    const rect = element.getClientRects()[0]!;
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  });
  await page.touchscreen.tap(line.x, line.y);
}

/** Whether an element lies entirely inside the viewport. */
function inViewport(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return rect.width > 0 && rect.left >= 0 && rect.top >= 0 && rect.right <= innerWidth + 0.5 && rect.bottom <= innerHeight + 0.5;
  });
}

for (const [device, options, minColumn] of [
  ['phone (390×844)', PHONE, 330],
  ['tablet (820×1180)', TABLET, 560],
] as const) {
  test(`on a ${device}: read the chapter at full width, select by touch, tag, open the thread from the sheet and reply`, async ({ joinRoom }) => {
    const desk = await joinRoom('annotator', 'Dora Desk');
    await tagWords(desk.page, 'Younger members of these families', '1');
    const mobile = await joinRoom('reviewer', 'Milo Mobile', options);
    const { page } = mobile;

    // Read: the chapter first, at (nearly) full width; a header that fits; the sheet's tabs with counts.
    const chapter = page.locator('.ap-chapter');
    expect((await chapter.boundingBox())!.width).toBeGreaterThanOrEqual(minColumn);
    await expect(page.locator('.ap-chapter h1')).toBeVisible();
    expect(await page.locator('ap-header header').evaluate((header) => header.scrollWidth <= header.clientWidth)).toBe(true);
    for (const part of [page.locator('ap-header .logo'), page.getByRole('button', { name: 'Menu' }), page.locator('ap-save-status .pill')]) expect(await inViewport(part)).toBe(true);
    const annotationsTab = page.getByRole('tab', { name: /Annotations/ });
    await expect(annotationsTab).toContainText('1');
    expect(await inViewport(annotationsTab)).toBe(true);
    const panel = page.locator('ap-sidebar .panel');
    await expect(panel).toHaveAttribute('inert', '');

    // Select by touch: a tap puts the caret in the text (no keyboard pops up), the handles then
    // widen it to the words (Linux Chromium has no long-press selection to emulate); the toolbar shows.
    await tapFirstLine(page, page.locator('.ap-chapter > p').filter({ hasText: 'Machinery and tractor stations' }).first());
    await expect(chapter).toHaveAttribute('inputmode', 'none');
    await chapter.evaluate(selectWordsInPage, 'Machinery and tractor stations');
    const toolbar = page.getByRole('toolbar', { name: 'Annotate the selection' });
    await expect(toolbar).toBeVisible();
    expect(await inViewport(toolbar)).toBe(true);
    await toolbar.getByRole('button', { name: 'Contested' }).tap();
    const details = page.getByRole('dialog', { name: 'Annotation details' });
    await expect(details).toBeVisible();
    expect(await inViewport(details)).toBe(true);
    await details.getByRole('button', { name: 'Close' }).tap();
    await expect(highlightOf(page, 'Machinery and tractor stations')).toHaveClass(/ap-hl--contested/);
    await expect(annotationsTab).toContainText('2');
    await expect(highlightOf(desk.page, 'Machinery and tractor stations')).toHaveClass(/ap-hl--contested/);

    // Open the thread: a tap on a highlight opens the sheet on its card, the highlight still in view above it.
    await tapFirstLine(page, highlightOf(page, 'Younger members of these families'));
    await expect(panel).not.toHaveAttribute('inert', '');
    const card = page.locator('ap-annotation-card[expanded]');
    await expect(card).toContainText('Younger members of these families');
    await expect.poll(() => inViewport(card.getByRole('textbox', { name: 'Reply' }))).toBe(true);
    await expect.poll(() => inViewport(highlightOf(page, 'Younger members'))).toBe(true);

    // Reply, and the desk sees it.
    await card.getByRole('textbox', { name: 'Reply' }).fill('Checked against the archive.');
    await card.getByRole('button', { name: 'Reply', exact: true }).tap();
    await expect(card).toContainText('Checked against the archive.');
    await cardOf(desk.page, 'Younger members of these families').click();
    await expect(desk.page.locator('ap-annotation-card[expanded]')).toContainText('Checked against the archive.');

    // Close the sheet: the chapter is back in full.
    await page.getByRole('button', { name: 'Close the panel' }).tap();
    await expect(panel).toHaveAttribute('inert', '');
    await expect.poll(() => inViewport(annotationsTab)).toBe(true);
  });
}

test('on a phone the header’s Menu holds the text switch, invites, export and the user', async ({ joinRoom }) => {
  const { page } = await joinRoom('owner', 'Olga Owner', PHONE);
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(page.getByRole('button', { name: 'Edit text' })).toBeHidden();
  await menu.tap();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  for (const name of ['Edit text', 'Invites', 'Export', 'Olga Owner']) {
    const button = page.getByRole('button', { name, exact: true });
    await expect(button).toBeVisible();
    expect(await inViewport(button)).toBe(true);
  }
  await page.getByRole('button', { name: 'Edit text' }).tap();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('.ap-chapter')).toHaveClass(/is-editing/);
});
