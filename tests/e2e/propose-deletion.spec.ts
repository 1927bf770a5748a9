import { test, expect } from './support/fixtures.ts';
import { cardOf, selectWords } from './support/room-page.ts';

// Issue 13, defect 7: an empty "Proposed correction" was stored as no correction, so the
// duplicated Prime Minister passage could not be removed with "Apply correction", though the
// model reads "" as "delete the quote". And (defect 8) an accepted problem read "Resolved".

const DUPLICATE = 'On many occasions, he removed capable, independent people from these institutions, a source of conflict with the Prime Minister and with leading members of the government.';

test('a reviewer proposes deleting a duplicated passage, shown struck through; the owner accepts and applies it, and the passage is gone for everyone', async ({ joinRoom }) => {
  const reviewer = await joinRoom('reviewer', 'Rita Reviewer');
  const owner = await joinRoom('owner', 'Olga Owner');

  await selectWords(reviewer.page, DUPLICATE);
  await reviewer.page.keyboard.press('p');
  const form = reviewer.page.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption('duplication');
  await form.getByLabel('Propose deleting this passage').check();
  await expect(form.getByLabel('Proposed correction')).toBeHidden();
  await expect(form.locator('del')).toContainText('On many occasions');
  await form.getByRole('button', { name: 'Create' }).click();

  for (const page of [reviewer.page, owner.page]) {
    const card = cardOf(page, 'On many occasions');
    await expect(card).toContainText('Proposed deletion');
    await expect(card.locator('del')).toHaveText(DUPLICATE);
  }

  await cardOf(owner.page, 'On many occasions').click();
  const card = owner.page.locator('ap-annotation-card[expanded]');
  await card.getByRole('button', { name: 'Accept' }).click();
  await expect(card.locator('.status')).toHaveText('Accepted');
  await expect(cardOf(reviewer.page, 'On many occasions').locator('.status')).toHaveText('Accepted');
  await card.getByRole('button', { name: 'Apply deletion' }).click();

  for (const page of [owner.page, reviewer.page]) {
    await expect(page.locator('.ap-chapter')).not.toContainText('On many occasions, he removed capable');
    // The first rendering, which the duplicate repeated, stays.
    await expect(page.locator('.ap-chapter')).toContainText('Many times he removed people');
    const applied = cardOf(page, 'On many occasions');
    await expect(applied).toContainText('Applied');
    await expect(applied).toContainText(`Deletion applied; the text read “${DUPLICATE}”`);
  }
});

test('an accepted problem without a correction reads “Accepted”, a rejected one “Rejected”', async ({ joinRoom }) => {
  const { page } = await joinRoom('owner', 'Olga Owner');
  for (const words of ['Younger members of these families', 'The economic situation of the peasants']) {
    await selectWords(page, words);
    await page.keyboard.press('p');
    const form = page.getByRole('dialog', { name: 'New problem' });
    await form.getByLabel('Problem type').selectOption('grammar');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(cardOf(page, words)).toBeVisible();
  }
  await cardOf(page, 'Younger members').click();
  await page.locator('ap-annotation-card[expanded]').getByRole('button', { name: 'Accept' }).click();
  await expect(cardOf(page, 'Younger members').locator('.status')).toHaveText('Accepted');
  await cardOf(page, 'The economic situation').click();
  await page.locator('ap-annotation-card[expanded]').getByRole('button', { name: 'Reject' }).click();
  await expect(cardOf(page, 'The economic situation').locator('.status')).toHaveText('Rejected');
});
