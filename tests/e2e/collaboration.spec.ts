import { test, expect } from './support/fixtures.ts';
import { cardOf, highlightOf, selectWords } from './support/room-page.ts';

test('two users annotate at the same time and each sees the other’s highlight within a second', async ({ joinRoom }) => {
  const ada = await joinRoom('annotator', 'Ada Lovelace');
  const boris = await joinRoom('reviewer', 'Boris Pasternak');

  // Presence: each sees the other in the header.
  await expect(ada.page.locator('ap-presence-bar [data-peer="Boris Pasternak"]')).toBeVisible();
  await expect(boris.page.locator('ap-presence-bar [data-peer="Ada Lovelace"]')).toBeVisible();

  await selectWords(ada.page, 'So they decided to first alter their economic and social policies');
  await selectWords(boris.page, 'more than 90,000 court rulings were vacated');
  // Each sees the other's selection, with a caret labelled with their name.
  await expect(ada.page.locator('.ap-remote-caret__label', { hasText: 'Boris Pasternak' })).toBeAttached();
  await expect(ada.page.locator('.ap-remote-selection', { hasText: 'rulings' }).first()).toBeVisible();
  // Both tag in the same moment.
  await Promise.all([ada.page.keyboard.press('1'), boris.page.keyboard.press('2')]);

  await expect(highlightOf(ada.page, 'So they decided').first()).toHaveClass(/ap-hl--sourced/);
  await expect(highlightOf(boris.page, 'more than 90,000').first()).toHaveClass(/ap-hl--contested/);
  await expect(highlightOf(ada.page, 'more than 90,000').first()).toHaveClass(/ap-hl--contested/, { timeout: 1000 });
  await expect(highlightOf(boris.page, 'So they decided').first()).toHaveClass(/ap-hl--sourced/, { timeout: 1000 });

  // The author is shown on the other's card.
  await expect(cardOf(boris.page, 'So they decided')).toContainText('Ada Lovelace');
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved');
});
