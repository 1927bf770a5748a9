import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { selectWordsInPage } from './select-in-page.ts';

/**
 * Selects the first occurrence of `words` in the chapter as a user would (a DOM selection
 * inside the editor, which ProseMirror adopts), and waits for the selection toolbar.
 */
export async function selectWords(page: Page, words: string): Promise<void> {
  const toolbar = page.getByRole('toolbar', { name: 'Annotate the selection' });
  // A selection made while the chapter is drawn again (a page moving into a blind round's layer
  // under load) can be dropped with the old DOM; a user selects again, and so does this.
  await expect(async () => {
    await page.locator('.ap-chapter').evaluate(selectWordsInPage, words);
    await expect(toolbar).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 10_000 });
}

/** The highlight of annotations over exactly `words` (the innermost highlight element). */
export function highlightOf(page: Page, words: string): Locator {
  return page.locator('.ap-chapter [data-annotation-id]').filter({ hasText: words }).last();
}

/** The sidebar card of an annotation whose quote contains `words`. */
export function cardOf(page: Page, words: string): Locator {
  return page.locator('ap-annotation-card').filter({ hasText: words });
}

/** Tags `words` with a claim status using the toolbar key (1/2/3) and closes the details popover. */
export async function tagWords(page: Page, words: string, key: '1' | '2' | '3'): Promise<void> {
  await selectWords(page, words);
  await page.keyboard.press(key);
  const details = page.getByRole('dialog', { name: 'Annotation details' });
  await expect(details).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
}

/** Selects the whole text of the paragraph that starts with `opening` (for the owner to delete it). */
export async function selectParagraph(page: Page, opening: string): Promise<void> {
  await page.locator('.ap-chapter').evaluate((root, start) => {
    const paragraph = [...root.querySelectorAll('p')].find((p) => p.textContent!.includes(start));
    if (!paragraph) throw new Error(`no paragraph starts with "${start}"`);
    (root as HTMLElement).focus();
    paragraph.scrollIntoView({ block: 'center' });
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, opening);
  // ProseMirror adopts DOM selections asynchronously (selectionchange): wait until it has.
  await page.waitForFunction(() => {
    const view = (document.querySelector('ap-app') as unknown as { editorView: { state: { selection: { empty: boolean } } } | null }).editorView;
    return view !== null && !view.state.selection.empty;
  });
}

/** Puts the owner's caret right before `words` (inside their paragraph). */
export async function caretBefore(page: Page, words: string): Promise<void> {
  await page.locator('.ap-chapter').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      (root as HTMLElement).focus();
      const range = document.createRange();
      range.setStart(node, at);
      range.collapse(true);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the chapter`);
  }, words);
  // ProseMirror adopts the DOM caret asynchronously: wait until its selection is there.
  await page.waitForFunction((wanted) => {
    type Head = { parentOffset: number; parent: { content: { size: number }; textBetween(from: number, to: number): string } };
    const view = (document.querySelector('ap-app') as unknown as { editorView: { state: { selection: { empty: boolean; $head: Head } } } }).editorView;
    const { empty, $head } = view.state.selection;
    return empty && $head.parent.textBetween($head.parentOffset, $head.parent.content.size).startsWith(wanted);
  }, words);
}
