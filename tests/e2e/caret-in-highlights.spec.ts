import { test, expect } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import { highlightOf, tagWords } from './support/room-page.ts';

// Issue 13, defect 2: in "Edit text", a click on a highlighted word left the caret where it was,
// and the owner's typing landed there (in the chapter's title, live for everyone).

/** Clicks just inside the first letter of `word` within the highlight over `words` (the caret goes before it), as a mouse would. */
async function clickWordIn(page: Page, words: string, word: string): Promise<void> {
  const highlight = highlightOf(page, words);
  await highlight.scrollIntoViewIfNeeded();
  const box = await highlight.evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + 2, y: rect.top + rect.height / 2 };
    }
    throw new Error(`"${wanted}" is not in the highlight`);
  }, word);
  await page.mouse.click(box.x, box.y);
}

/** The text an annotation's highlight covers, across the spans it is drawn in (carets and nested highlights split it). */
function highlightedText(page: Page, id: string): Promise<string> {
  return page.locator(`.ap-chapter [data-annotation-id="${id}"]`).evaluateAll((spans) => {
    const outer = spans.filter((span) => !spans.some((other) => other !== span && other.contains(span)));
    return outer.map((span) => [...span.childNodes].filter((n) => !(n instanceof Element && n.closest('[contenteditable="false"]'))).map((n) => n.textContent).join('')).join('');
  });
}

test('the owner editing the text clicks into highlighted words and types there', async ({ joinRoom }) => {
  const annotator = await joinRoom('annotator', 'Anna Annotator');
  const owner = await joinRoom('owner', 'Olga Owner');
  await tagWords(annotator.page, 'Younger members of these families', '1');
  await tagWords(annotator.page, 'The economic situation of the peasants', '2');
  await expect(highlightOf(owner.page, 'The economic situation of the peasants')).toBeVisible();
  const title = await owner.page.locator('.ap-chapter h1').textContent();
  const younger = (await highlightOf(owner.page, 'Younger members of these families').getAttribute('data-annotation-id'))!;
  const economic = (await highlightOf(owner.page, 'The economic situation of the peasants').getAttribute('data-annotation-id'))!;

  await owner.page.getByRole('button', { name: 'Edit text' }).click();
  await clickWordIn(owner.page, 'Younger members of these families', 'members');
  await owner.page.keyboard.type('Q');
  for (const page of [owner.page, annotator.page]) await expect.poll(() => highlightedText(page, younger)).toBe('Younger Qmembers of these families');

  await clickWordIn(owner.page, 'The economic situation of the peasants', 'economic');
  await owner.page.keyboard.type('Z');
  for (const page of [owner.page, annotator.page]) await expect.poll(() => highlightedText(page, economic)).toBe('The Zeconomic situation of the peasants');
  await expect(owner.page.locator('.ap-chapter h1')).toHaveText(title!);
  await expect(annotator.page.locator('.ap-chapter h1')).toHaveText(title!);
});

test('a reader’s click into a highlight places the caret there, so Shift+arrows select from it', async ({ joinRoom }) => {
  const annotator = await joinRoom('annotator', 'Anna Annotator');
  await tagWords(annotator.page, 'Younger members of these families', '1');
  const viewer = await joinRoom('viewer', 'Vera Viewer');
  await clickWordIn(viewer.page, 'Younger members of these families', 'these');
  for (let i = 0; i < 4; i++) await viewer.page.keyboard.press('Shift+ArrowRight');
  await expect.poll(() => viewer.page.evaluate(() => getSelection()!.toString())).toBe('thes');
});
