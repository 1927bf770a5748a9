import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { caretBefore, cardOf, highlightOf, selectParagraph, tagWords } from './support/room-page.ts';

// y-prosemirror #44: Enter re-creates one half of the paragraph, so an annotation in that half
// loses its positions and is only found again by its quote (relocated). yjs #638: undo restores
// deleted text as new items. In both cases the owner's client writes fresh positions, and every
// client shows the annotation anchored on the same words.

const SENTENCE = 'Even members who had been adamant in their support of Trotsky';

/** The annotation's highlighted text (all its spans, without widgets such as remote carets). */
function highlightedText(page: Page, id: string): Promise<string> {
  return page.locator(`.ap-chapter [data-annotation-id="${id}"]`).evaluateAll((spans) =>
    spans
      .map((span) => {
        const copy = span.cloneNode(true) as HTMLElement;
        for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove();
        return copy.textContent!.replace(/\u2060/g, '');
      })
      .join(''),
  );
}

/** Waits until the annotation shows anchored, on exactly its words, outside "Needs attention". */
async function expectAnchored(page: Page, id: string): Promise<void> {
  await expect(cardOf(page, SENTENCE).locator('article')).toHaveAttribute('data-anchor-state', 'anchored');
  await expect.poll(() => highlightedText(page, id)).toBe(SENTENCE);
  await expect(page.locator('ap-sidebar section.attention')).toHaveCount(0);
}

test('the owner’s client re-anchors an annotation after a paragraph split and after undoing its deletion, for everyone', async ({ joinRoom }) => {
  const owner = await joinRoom('owner', 'Olga Owner');
  const annotator = await joinRoom('annotator', 'Anna Annotator');
  await tagWords(annotator.page, SENTENCE, '2');
  await expect(highlightOf(owner.page, SENTENCE)).toBeVisible();
  const id = (await cardOf(annotator.page, SENTENCE).locator('article').getAttribute('data-annotation-id'))!;
  for (const page of [owner.page, annotator.page]) await expectAnchored(page, id);

  // Enter just before the sentence, in the middle of its paragraph.
  await owner.page.getByRole('button', { name: 'Edit text' }).click();
  await caretBefore(owner.page, SENTENCE);
  await owner.page.keyboard.press('Enter');
  for (const page of [owner.page, annotator.page]) {
    await expect(page.locator('.ap-chapter p', { hasText: SENTENCE })).not.toContainText('Party membership');
    await expectAnchored(page, id);
  }

  // The owner deletes the sentence's paragraph, then undoes.
  await selectParagraph(owner.page, SENTENCE);
  await owner.page.keyboard.press('Backspace');
  for (const page of [owner.page, annotator.page]) {
    await expect(cardOf(page, SENTENCE).locator('article')).toHaveAttribute('data-anchor-state', 'orphaned');
  }
  await owner.page.keyboard.press('Control+z');
  for (const page of [owner.page, annotator.page]) {
    await expect(page.locator('.ap-chapter')).toContainText(SENTENCE);
    await expectAnchored(page, id);
  }
});
