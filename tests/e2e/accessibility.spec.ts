import { test, expect } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import { axeViolations, seriousViolations } from './support/axe.ts';
import { PHONE } from './support/devices.ts';
import { cardOf, selectWords, tagWords } from './support/room-page.ts';

// Issue 13, accessibility: axe-core over the room, the sidebar's tabs, a form and the phone
// layout finds no serious or critical violation (WCAG 2.2 AA where it applies).

async function expectClean(page: Page, where: string): Promise<void> {
  expect(await seriousViolations(page), where).toEqual([]);
}

/** The landmark rules: one labelled landmark per region, nothing outside them. */
async function expectLandmarks(page: Page): Promise<void> {
  expect((await axeViolations(page)).filter((v) => v.rule === 'region' || v.rule.startsWith('landmark'))).toEqual([]);
  const landmarks = await page.evaluate(() => {
    const header = document.querySelector('ap-header')!.shadowRoot!.querySelector('header');
    return {
      banner: header !== null,
      main: document.querySelector('main')?.getAttribute('aria-label') ?? null,
      complementary: document.querySelector('[role="complementary"]')?.getAttribute('aria-label') ?? null,
      asides: document.querySelectorAll('.ap-chapter aside').length,
    };
  });
  expect(landmarks).toEqual({ banner: true, main: 'Chapter', complementary: 'Annotations, footnotes and suggestions', asides: 0 });
}

test('the room, each sidebar tab, an open card and the problem form have no serious or critical axe violations', async ({ joinRoom }) => {
  const anna = await joinRoom('annotator', 'Anna Annotator');
  await tagWords(anna.page, 'Younger members of these families', '1');
  await tagWords(anna.page, 'The economic situation of the peasants', '2');
  const { page } = await joinRoom('owner', 'Olga Owner');
  await expect(cardOf(page, 'The economic situation')).toBeVisible();
  await expectClean(page, 'room');
  await expectLandmarks(page);

  // The footnotes are one labelled list of 36 items.
  const list = page.locator('.ap-chapter [role="list"]');
  await expect(list).toHaveAttribute('aria-label', 'Footnotes, 36');
  expect((await list.getAttribute('aria-owns'))!.split(' ')).toHaveLength(36);
  await expect(page.locator('.ap-chapter [role="listitem"]')).toHaveCount(36);

  // Keyboard focus on the chapter shows a ring.
  await page.getByRole('button', { name: 'Olga Owner' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('.ap-chapter')).toBeFocused();
  expect(await page.locator('.ap-chapter').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');

  // Tags differ by more than colour: each category's highlight has its own pattern.
  const pattern = (words: string) => page.locator('.ap-chapter [data-annotation-id]').filter({ hasText: words }).last().evaluate((el) => getComputedStyle(el).backgroundImage);
  const [sourced, contested] = [await pattern('Younger members'), await pattern('The economic situation')];
  expect(contested).not.toBe('none');
  expect(contested).not.toBe(sourced);

  // Times carry a machine-readable datetime.
  expect(await page.locator('ap-annotation-card time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

  await cardOf(page, 'Younger members').click();
  await expect(page.locator('ap-annotation-card[expanded]')).toBeVisible();
  await expectClean(page, 'open card with its thread');

  for (const tab of ['Footnotes', 'Suggestions']) {
    await page.getByRole('tab', { name: new RegExp(tab) }).click();
    await expect(page.getByRole('tab', { name: new RegExp(tab) })).toHaveAttribute('aria-selected', 'true');
    await expectClean(page, `${tab} tab`);
  }
  await page.getByRole('button', { name: /Show dismissed|Hide dismissed/ }).count();

  await selectWords(page, 'Machinery and tractor stations');
  await expectClean(page, 'selection toolbar');
  await page.keyboard.press('p');
  await expect(page.getByRole('dialog', { name: 'New problem' })).toBeVisible();
  await expectClean(page, 'problem form');
});

test('the phone layout, sheet closed and open, has no serious or critical axe violations', async ({ joinRoom }) => {
  const { page } = await joinRoom('annotator', 'Anna Annotator', PHONE);
  await expectClean(page, 'phone, sheet closed');
  await page.getByRole('button', { name: 'Open the panel' }).tap();
  await expect(page.locator('ap-sidebar')).toHaveAttribute('open', '');
  await expectClean(page, 'phone, sheet open');
  await page.getByRole('button', { name: 'Menu' }).tap();
  await expectClean(page, 'phone, menu open');
});
