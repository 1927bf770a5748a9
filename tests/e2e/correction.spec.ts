import { test, expect } from './support/fixtures.ts';
import { caretBefore, cardOf, highlightOf, selectWords, tagWords } from './support/room-page.ts';

const WRONG = 'This maintained an even deepened the existing disproportion';
const RIGHT = 'This maintained and even deepened the existing disproportion';

test('the owner accepts a reviewer’s problem and applies its correction; the text changes everywhere and the original quote is kept', async ({ joinRoom }) => {
  const reviewer = await joinRoom('reviewer', 'Rita Reviewer');
  const owner = await joinRoom('owner', 'Olga Owner');

  await selectWords(reviewer.page, WRONG);
  await reviewer.page.keyboard.press('p');
  const form = reviewer.page.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption('grammar');
  await form.getByLabel('Proposed correction').fill(RIGHT);
  // A remote change re-renders the page while the form is open; what was typed must survive it.
  await tagWords(owner.page, 'Healthcare services for the population', '1');
  await expect(cardOf(reviewer.page, 'Healthcare services')).toBeVisible();
  await expect(form.getByLabel('Problem type')).toHaveValue('grammar');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(highlightOf(reviewer.page, WRONG)).toHaveClass(/ap-hl--problem/);

  // A reviewer may accept but not apply; the owner does both.
  await cardOf(owner.page, WRONG).click();
  const card = owner.page.locator('ap-annotation-card[expanded]');
  await card.getByRole('button', { name: 'Accept' }).click();
  await card.getByRole('button', { name: 'Apply correction' }).click();

  for (const page of [owner.page, reviewer.page]) {
    await expect(page.locator('.ap-chapter')).toContainText(RIGHT);
    await expect(page.locator('.ap-chapter')).not.toContainText(WRONG);
    const applied = cardOf(page, WRONG);
    await expect(applied).toContainText('Applied');
    await expect(applied).toContainText(`Correction applied; the text read “${WRONG}”`);
    await expect(highlightOf(page, RIGHT)).toHaveClass(/ap-hl--applied/);
  }
  await cardOf(reviewer.page, WRONG).click();
  await expect(reviewer.page.locator('ap-annotation-card[expanded]').getByRole('button', { name: 'Apply correction' })).toHaveCount(0);
});

test('a viewer can read and select but cannot change the text or annotate', async ({ joinRoom }) => {
  const { page } = await joinRoom('viewer', 'Vera Viewer');
  const chapter = page.locator('.ap-chapter');
  await chapter.click();
  const before = await chapter.textContent();
  await page.keyboard.type('xyz');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  expect(await chapter.textContent()).toBe(before);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('1');
  await expect(page.getByRole('toolbar', { name: 'Annotate the selection' })).toHaveCount(0);
  await expect(page.locator('ap-annotation-card')).toHaveCount(0);
  await expect(page.locator('ap-header')).toContainText('Viewer');
  // Nothing was sent that the server had to refuse.
  await expect(page.locator('ap-save-status')).toContainText('Saved');
  await expect(page.locator('ap-notice .notice')).toHaveCount(0);
});

test('the owner edits the text: a split paragraph gets a fresh id, the others see it, and undo joins it again', async ({ joinRoom }) => {
  const owner = await joinRoom('owner', 'Olga Owner');
  const reader = await joinRoom('annotator', 'Anna Annotator');
  await owner.page.getByRole('button', { name: 'Edit text' }).click();
  await expect(owner.page.getByRole('button', { name: 'Editing text' })).toHaveAttribute('aria-pressed', 'true');

  // Put the caret before "Younger members" and press Enter.
  await caretBefore(owner.page, 'Younger members');
  await owner.page.keyboard.press('Enter');
  // How each paragraph begins, without widgets (the owner's caret label sits right there).
  const openings = () =>
    reader.page.locator('.ap-chapter p').evaluateAll((ps) =>
      ps.map((p) => {
        const copy = p.cloneNode(true) as HTMLElement;
        for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove();
        return copy.textContent!.replace(/\u2060/g, '').trim().slice(0, 15);
      }),
    );
  await expect.poll(openings).toContain('Younger members');
  const ids = await reader.page.locator('.ap-chapter p').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-id')));
  expect(new Set(ids).size).toBe(ids.length);

  await owner.page.keyboard.press('Control+z');
  await expect.poll(openings).not.toContain('Younger members');
  await expect(reader.page.locator('.ap-chapter p', { hasText: 'January 1935, the right to vote.' })).toContainText('Younger members');
});
