import { test, expect } from './support/fixtures.ts';
import { cardOf, highlightOf } from './support/room-page.ts';

test('a reader creates an annotation with the keyboard alone: Tab, caret keys, Shift+arrows, 3, a note, Ctrl+Enter', async ({ joinRoom }) => {
  const { page } = await joinRoom('annotator', 'Kim Keyboard');
  const chapter = page.locator('.ap-chapter');
  for (let presses = 0; presses < 12 && !(await chapter.evaluate((el) => el === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(chapter).toBeFocused();

  // Down to the first body paragraph, then select its first word by word.
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
  await expect(page.getByRole('toolbar', { name: 'Annotate the selection' })).toBeVisible();
  const selected = await page.evaluate(() => window.getSelection()!.toString().trim());
  expect(selected.split(/\s+/)).toHaveLength(3);

  await page.keyboard.press('3');
  const details = page.getByRole('dialog', { name: 'Annotation details' });
  await expect(details.getByRole('textbox', { name: 'Note', exact: true })).toBeFocused();
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Control+Enter');
  await expect(details).toBeHidden();
  await expect(chapter).toBeFocused();

  await expect(highlightOf(page, selected)).toHaveClass(/ap-hl--interpretive/);
  await expect(cardOf(page, selected)).toContainText('Typed without a mouse.');

  // Esc drops a selection without annotating; P opens the problem form, Esc cancels it.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByRole('toolbar', { name: 'Annotate the selection' })).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByRole('dialog', { name: 'New problem' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'New problem' })).toBeHidden();
  await expect(page.locator('ap-annotation-card')).toHaveCount(1);
});

test('footnote markers can be reached and followed from the keyboard', async ({ joinRoom }) => {
  const { page } = await joinRoom('viewer', 'Vera Viewer');
  const marker = page.locator('.ap-fn-ref[data-n="130"]');
  await marker.focus();
  await expect(page.locator('ap-footnote-preview')).toContainText('Khlevniuk');
  await page.keyboard.press('Enter');
  await expect(page.locator('#footnote-130 .ap-footnote__number')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(marker).toBeFocused();
});
