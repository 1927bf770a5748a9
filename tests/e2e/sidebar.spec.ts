import { test, expect } from './support/fixtures.ts';
import { cardOf, selectWords, tagWords } from './support/room-page.ts';

test('filters and search narrow the sidebar to matching annotations', async ({ joinRoom }) => {
  const { page } = await joinRoom('reviewer', 'Rita Reviewer');
  await tagWords(page, 'the forced purchase of grain was abolished', '1');
  await tagWords(page, 'more than 90,000 court rulings were vacated', '2');
  await selectWords(page, 'Kolkhoz peasants were once again allowed');
  await page.keyboard.press('c');
  await page.getByRole('textbox', { name: 'Comment' }).fill('Compare the 1935 statute.');
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('ap-annotation-card')).toHaveCount(3);

  const sidebar = page.locator('ap-sidebar');
  await sidebar.locator('ap-filters').getByRole('button', { name: /^Contested/ }).click();
  await expect(page.locator('ap-annotation-card')).toHaveCount(1);
  await expect(cardOf(page, '90,000')).toBeVisible();
  await expect(sidebar).toContainText('1 of 3 annotations match');

  await sidebar.getByRole('button', { name: 'Clear filters' }).click();
  await sidebar.getByRole('searchbox', { name: 'Search annotations' }).fill('1935 STATUTE');
  await expect(page.locator('ap-annotation-card')).toHaveCount(1);
  await expect(cardOf(page, 'Kolkhoz peasants')).toBeVisible();

  await sidebar.getByRole('searchbox', { name: 'Search annotations' }).fill('');
  await sidebar.getByRole('button', { name: 'More filters' }).click();
  await sidebar.getByLabel('Status').selectOption('open');
  await expect(page.locator('ap-annotation-card')).toHaveCount(3);
  await sidebar.getByLabel('Author').selectOption({ label: 'Rita Reviewer (3)' });
  await expect(page.locator('ap-annotation-card')).toHaveCount(3);
});

test('a reply and a resolve reach the other user’s sidebar', async ({ joinRoom }) => {
  const ann = await joinRoom('annotator', 'Anna Annotator');
  const rev = await joinRoom('reviewer', 'Rita Reviewer');
  await tagWords(ann.page, 'Machinery and tractor stations were set up', '3');

  await cardOf(rev.page, 'Machinery and tractor').click();
  const thread = rev.page.locator('ap-annotation-card[expanded]');
  await thread.getByRole('textbox', { name: 'Reply' }).fill('Which source says so?');
  await thread.getByRole('button', { name: 'Reply' }).click();
  await thread.getByRole('button', { name: 'Resolve' }).click();

  const card = cardOf(ann.page, 'Machinery and tractor');
  await expect(card).toContainText('Resolved');
  await card.click();
  await expect(ann.page.locator('ap-annotation-card[expanded]')).toContainText('Which source says so?');
  await expect(ann.page.locator('ap-annotation-card[expanded]').getByRole('button', { name: 'Reopen' })).toBeVisible();
  await expect(ann.page.locator('.ap-chapter .ap-hl--resolved', { hasText: 'tractor' }).first()).toBeVisible();
});

test('accepting a duplication suggestion creates the problem credited to the user, linked to a comment on the original; dismissing hides a suggestion for everyone', async ({ joinRoom, room }) => {
  const rita = await joinRoom('reviewer', 'Rita Reviewer');
  const anna = await joinRoom('annotator', 'Anna Annotator');
  for (const page of [rita.page, anna.page]) await page.locator('ap-sidebar').getByRole('tab', { name: /Suggestions/ }).click();
  const duplications = rita.page.locator('ap-suggestions-panel section[aria-labelledby="group-duplication"] li');
  const first = duplications.first();
  const firstId = await first.getAttribute('data-finding-id');
  const secondId = await duplications.nth(1).getAttribute('data-finding-id');
  const second = rita.page.locator(`ap-suggestions-panel li[data-finding-id="${secondId}"]`);

  await first.getByRole('button', { name: /^Add / }).click();
  await second.getByRole('button', { name: 'Dismiss' }).click();
  // Gone from the open suggestions (a dismissed one is listed apart, for Restore).
  for (const page of [rita.page, anna.page]) {
    await expect(page.locator(`ap-suggestions-panel li[data-finding-id="${firstId}"]`)).toHaveCount(0);
    await expect(page.locator(`ap-suggestions-panel section:not(.aside) li[data-finding-id="${secondId}"]`)).toHaveCount(0);
  }
  await anna.page.locator('ap-sidebar').getByRole('tab', { name: /Annotations/ }).click();
  const cards = anna.page.locator('ap-annotation-card');
  await expect(cards).toHaveCount(2);
  const problem = cards.filter({ hasText: 'Duplication' });
  const original = cards.filter({ hasText: 'Original of the duplicated passage' });
  for (const card of [problem, original]) {
    await expect(card).toContainText('Rita Reviewer');
    await expect(card).toContainText('Assistant');
  }
  await expect(anna.page.getByRole('button', { name: 'Export' })).toBeEnabled();

  // The duplicate is related to the annotation on its original passage.
  const exported = await anna.page.request.get(`${room.baseUrl}/api/rooms/${room.id}/export?format=native`);
  const { annotations } = (await exported.json()) as { annotations: Array<{ id: string; kind: string; related: Array<{ id: string; relation: string }> }> };
  const comment = annotations.find((a) => a.kind === 'comment');
  expect(annotations.find((a) => a.kind === 'problem')?.related).toEqual([{ id: comment?.id, relation: 'duplicate-of' }]);
});
