import { test, expect } from './support/fixtures.ts';
import { cardOf, highlightOf, selectParagraph, tagWords } from './support/room-page.ts';

const PARAGRAPH = 'Gestures of reconciliation seem to have multiplied';
const CLAIM = 'Resistance against Stalin';

test('an annotation turns orphaned, with its original quote, when the owner deletes its paragraph', async ({ joinRoom }) => {
  const annotator = await joinRoom('annotator', 'Anna Annotator');
  const owner = await joinRoom('owner', 'Olga Owner');
  await tagWords(annotator.page, CLAIM, '3');
  await expect(highlightOf(owner.page, CLAIM)).toBeVisible();

  // The owner switches to text editing and deletes the paragraph: its text, then the empty block.
  await owner.page.getByRole('button', { name: 'Edit text' }).click();
  await selectParagraph(owner.page, PARAGRAPH);
  await owner.page.keyboard.press('Backspace');
  await owner.page.keyboard.press('Backspace');
  await expect(owner.page.locator('.ap-chapter p', { hasText: PARAGRAPH })).toHaveCount(0);

  for (const page of [annotator.page, owner.page]) {
    await expect(page.locator('.ap-chapter p', { hasText: PARAGRAPH })).toHaveCount(0);
    const attention = page.locator('ap-sidebar section.attention');
    await expect(attention).toContainText('Needs attention · 1');
    await expect(cardOf(page, CLAIM)).toContainText('The annotated text was deleted');
    await expect(highlightOf(page, CLAIM)).toHaveCount(0);
  }
});
