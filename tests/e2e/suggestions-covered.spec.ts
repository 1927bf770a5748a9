import { test, expect } from './support/fixtures.ts';
import { cardOf, selectWords } from './support/room-page.ts';

// Issue 13, defects 6 and 8: a suggestion already covered by an annotation was still offered
// (accepting it made a second Duplication problem and a comment on the original); a dismissed
// suggestion could not be brought back.

const DUPLICATE = 'On many occasions, he removed capable, independent people from these institutions, a source of conflict with the Prime Minister and with leading members of the government.';

test('a suggestion whose passage already carries a problem of its type shows as covered, linked to it, and cannot be added again', async ({ joinRoom }) => {
  const { page } = await joinRoom('reviewer', 'Rita Reviewer');
  await selectWords(page, DUPLICATE);
  await page.keyboard.press('p');
  const form = page.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption('duplication');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(cardOf(page, 'On many occasions')).toBeVisible();

  await page.getByRole('tab', { name: /Suggestions/ }).click();
  const panel = page.locator('ap-suggestions-panel');
  const covered = panel.locator('section', { has: page.getByRole('heading', { name: /Already covered/ }) });
  const item = covered.locator('li').filter({ hasText: 'On many occasions' });
  await expect(item).toContainText('Covered by: Duplication problem by Rita Reviewer');
  await expect(item.getByRole('button', { name: /Add/ })).toHaveCount(0);
  // Not offered among the open ones.
  await expect(panel.locator('section:not(.aside) li').filter({ hasText: 'On many occasions' })).toHaveCount(0);

  await item.getByRole('button', { name: 'Open it' }).click();
  await expect(page.getByRole('tab', { name: /Annotations/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('ap-annotation-card[expanded]')).toContainText('On many occasions');
  // Still one annotation: nothing was doubled.
  await expect(page.getByRole('tab', { name: /Annotations/ })).toContainText('1');
});

test('a dismissed suggestion is listed with who dismissed it and comes back with Restore', async ({ joinRoom }) => {
  const anna = await joinRoom('annotator', 'Anna Annotator');
  const rita = await joinRoom('reviewer', 'Rita Reviewer');
  for (const { page } of [anna, rita]) await page.getByRole('tab', { name: /Suggestions/ }).click();
  const open = (page: typeof anna.page) => page.locator('ap-suggestions-panel section:not(.aside) li').filter({ hasText: 'On many occasions' });
  const countOf = async (page: typeof anna.page) => Number((await page.getByRole('tab', { name: /Suggestions/ }).locator('.tab-count').textContent()) ?? 'NaN');
  const before = await countOf(anna.page);

  await open(anna.page).getByRole('button', { name: 'Dismiss' }).click();
  await expect(open(anna.page)).toHaveCount(0);
  await expect(open(rita.page)).toHaveCount(0);
  await expect.poll(() => countOf(anna.page)).toBe(before - 1);

  // The reviewer sees who dismissed it, but may not restore someone else's dismissal.
  await rita.page.getByRole('button', { name: 'Show dismissed (1)' }).click();
  const ritaSees = rita.page.locator('#dismissed-list li').filter({ hasText: 'On many occasions' });
  await expect(ritaSees).toContainText('Dismissed by Anna Annotator');
  await expect(ritaSees.getByRole('button', { name: 'Restore' })).toHaveCount(0);

  await anna.page.getByRole('button', { name: 'Show dismissed (1)' }).click();
  const annaSees = anna.page.locator('#dismissed-list li').filter({ hasText: 'On many occasions' });
  await expect(annaSees).toContainText('Dismissed by you');
  await annaSees.getByRole('button', { name: 'Restore' }).click();
  for (const { page } of [anna, rita]) await expect(open(page)).toHaveCount(1);
  await expect.poll(() => countOf(anna.page)).toBe(before);
  await expect(anna.page.getByRole('button', { name: /dismissed/ })).toHaveCount(0);
});
