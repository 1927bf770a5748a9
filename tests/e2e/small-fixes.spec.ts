import { test, expect, joinAs } from './support/fixtures.ts';
import { cardOf, tagWords } from './support/room-page.ts';

// Issue 13, defect 8: relative times never refreshed; revoking an invite had no confirmation,
// and the revoked user's page told them to open the very link that had just been revoked.

test('relative times refresh as time passes and carry a machine-readable datetime', async ({ joinRoom }) => {
  const { page } = await joinRoom('annotator', 'Anna Annotator');
  await tagWords(page, 'Younger members of these families', '1');
  // The page's clock, from a reload on: time runs on, and the test can jump it ahead.
  await page.clock.install();
  await page.reload();
  await expect(page.locator('.ap-chapter h1')).toBeVisible();
  const time = cardOf(page, 'Younger members').locator('time');
  await expect(time).toHaveText('just now');
  const datetime = await time.getAttribute('datetime');
  expect(Math.abs(Date.parse(datetime!) - (await page.evaluate(() => Date.now())))).toBeLessThan(60_000);
  await page.clock.fastForward('03:00');
  await expect(time).toHaveText('3 min ago');
});

test('revoking an invite asks first; the revoked reader is told their access ended, not to reopen the link', async ({ joinRoom, room, browser }) => {
  const owner = await joinRoom('owner', 'Olga Owner');
  await owner.page.getByRole('button', { name: 'Invites' }).click();
  const panel = owner.page.getByRole('dialog', { name: 'Invites' });
  await panel.getByLabel('Role').selectOption('reviewer');
  await panel.getByLabel('Label (optional)').fill('Tuesday seminar');
  await panel.getByRole('button', { name: 'Create invite link' }).click();
  const url = new URL(await panel.getByRole('textbox', { name: 'Invite link' }).inputValue());
  const problems: string[] = [];
  const reader = await joinAs(browser, { baseUrl: room.baseUrl, roomId: room.id, invite: url.searchParams.get('invite')!, name: 'Rex Reader' }, problems);

  const row = panel.getByRole('listitem').filter({ hasText: 'Tuesday seminar' });
  await row.getByRole('button', { name: /^Revoke/ }).click();
  await expect(row).toContainText('Everyone who joined with this link loses access now.');
  await row.getByRole('button', { name: 'Keep' }).click();
  await expect(row).not.toContainText('revoked');
  await expect(reader.page.locator('ap-save-status .pill')).toHaveAttribute('data-tone', 'ok');

  await row.getByRole('button', { name: /^Revoke/ }).click();
  await row.getByRole('button', { name: 'Revoke access' }).click();
  await expect(row).toContainText('revoked');
  const notice = reader.page.locator('ap-notice .notice').first();
  await expect(notice).toContainText('revoked the invite you joined with');
  await expect(notice).not.toContainText('Open your invite link again');
  await reader.page.reload();
  await expect(reader.page.locator('.ap-boot--error')).toContainText('revoked the invite you joined with');
  await reader.context.close();
  // The revoked reader's page meets refused requests and sockets, which the browser itself logs.
  expect(problems.filter((p) => !/401|WebSocket/.test(p))).toEqual([]);
});
