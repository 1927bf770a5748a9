import { test, expect } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import { PHONE } from './support/devices.ts';

// Issue 13, defect 4: "Show" on a suggestion selected its passage but did not scroll to it on
// the first click after a load; when it scrolled, the passage lay under the header and the
// selection toolbar covered the lines after it.

const DUPLICATE = 'On many occasions, he removed capable, independent people from these institutions';

/** Where the selected passage is, what covers the screen's top and bottom, and where the toolbar is. */
function layoutOfShownPassage(page: Page) {
  return page.evaluate(() => {
    const selection = getSelection()!;
    const rects = selection.rangeCount > 0 ? [...selection.getRangeAt(0).getClientRects()].filter((r) => r.width > 0) : [];
    const header = document.querySelector('ap-header')!.getBoundingClientRect();
    const sheet = document.querySelector('ap-sidebar[sheet]');
    const sheetTop = sheet ? sheet.getBoundingClientRect().top : innerHeight;
    const bar = document.querySelector<HTMLElement>('ap-selection-toolbar');
    const toolbar = bar && !bar.hidden ? bar.shadowRoot!.querySelector('.bar')!.getBoundingClientRect() : null;
    const overlaps = toolbar !== null && rects.some((r) => r.left < toolbar.right && r.right > toolbar.left && r.top < toolbar.bottom && r.bottom > toolbar.top);
    return {
      text: selection.toString(),
      top: Math.min(...rects.map((r) => r.top)),
      bottom: Math.max(...rects.map((r) => r.bottom)),
      headerBottom: header.bottom,
      visibleBottom: Math.min(innerHeight, sheetTop),
      toolbarShown: toolbar !== null,
      toolbarOverPassage: overlaps,
    };
  });
}

async function showDuplicate(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Suggestions/ }).click();
  const finding = page.locator('ap-suggestions-panel li').filter({ hasText: DUPLICATE });
  await finding.getByRole('button', { name: 'Show' }).click();
}

async function expectPassageInView(page: Page): Promise<void> {
  await expect.poll(async () => (await layoutOfShownPassage(page)).text).toContain(DUPLICATE);
  await expect
    .poll(async () => {
      const layout = await layoutOfShownPassage(page);
      return layout.top >= layout.headerBottom && layout.bottom <= layout.visibleBottom && layout.toolbarShown && !layout.toolbarOverPassage;
    })
    .toBe(true);
}

test('the first “Show” after a load brings the passage wholly into view below the header, the toolbar off it', async ({ joinRoom }) => {
  const { page } = await joinRoom('annotator', 'Anna Annotator');
  await showDuplicate(page);
  await expectPassageInView(page);
  // And again after scrolling away.
  await page.locator('#ap-reading').evaluate((reading) => reading.scrollTo({ top: 0 }));
  await page.locator('ap-suggestions-panel li').filter({ hasText: DUPLICATE }).getByRole('button', { name: 'Show' }).click();
  await expectPassageInView(page);
});

test('on a phone “Show” closes the sheet and brings the passage into view above its tabs', async ({ joinRoom }) => {
  const { page } = await joinRoom('annotator', 'Anna Annotator', PHONE);
  await showDuplicate(page);
  await expect(page.locator('ap-sidebar')).not.toHaveAttribute('open', '');
  await expectPassageInView(page);
});
