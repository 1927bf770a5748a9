import * as Y from 'yjs';
import type { Page } from '@playwright/test';
import { anchorPool } from '../../bench/lib/annotation-stamps.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import { importChapter } from '../../schema/chapter/importer.ts';
import { exportNative } from '../../schema/exchange/export/native.ts';
import { mulberry32 } from '../helpers/convergence-fuzz.ts';
import { roomFromChapter, snapshotOf } from '../helpers/export-builders.ts';
import { test, expect } from './support/fixtures.ts';
import { fixtureChapter } from './support/server-process.ts';

// A room above DRAW_ALL_MAX annotations (client/editor/annotation-decorations.ts) paints its
// highlights near the viewport (CSS Custom Highlight API) instead of drawing them as spans: what
// is painted follows scrolling, and pointing at and clicking painted text works as on spans.

const COUNT = 3000;
const LATE_NOTE = 'The last annotation of the chapter.';

/** A native export of `COUNT` annotations on the fixture chapter (the room's text), one of them marked. */
function largeImport(): { body: string; lateQuote: string } {
  const imported = importChapter(fixtureChapter());
  if (!imported.ok) throw new Error(imported.error);
  const room = roomFromChapter(imported.doc, 'large', 'Large');
  const anchors = anchorPool(room.textDoc, COUNT, mulberry32(11));
  // The import stamps the importing owner as author; these stamps are the file's.
  const actor = { actor: { userId: 'u-importer', name: 'Importer' }, now: () => new Date('2025-01-01T00:00:00.000Z') };
  const latest = anchors.reduce((last, anchor) => (anchor.position.start > last.position.start ? anchor : last));
  for (const anchor of anchors) {
    const note = anchor === latest ? LATE_NOTE : 'Seeded.';
    const made = createAnnotation(room.annotationsDoc, { kind: 'comment', note, anchor }, actor);
    if (!made.ok) throw new Error(made.errors.join('; '));
  }
  return { body: JSON.stringify(exportNative(snapshotOf(room), { exportedAt: '2025-01-01T00:00:00.000Z' } as never)), lateQuote: latest.quote.exact };
}

/** The ids of the annotations painted now (each painted range carries its annotation's id). */
function paintedIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = new Set<string>();
    for (const highlight of CSS.highlights.values()) for (const range of highlight) ids.add((range as unknown as { apAnnotationId: string }).apAnnotationId);
    return [...ids];
  });
}

test('a room of 3,000 annotations paints the highlights near the viewport, follows scrolling, and opens what is clicked', async ({ joinRoom, room }) => {
  const { body, lateQuote } = largeImport();
  const owner = await joinRoom('owner', 'Olga Owner');
  const imported = await owner.page.request.post(`${room.baseUrl}/api/rooms/${room.id}/import`, {
    headers: { authorization: `Bearer ${room.invites.owner}`, 'content-type': 'application/json' },
    data: body,
  });
  expect(imported.status(), await imported.text()).toBe(200);

  const { page } = await joinRoom('annotator', 'Anna Annotator');
  await expect(page.locator('ap-sidebar [role="tab"] .tab-count').first()).toHaveText(String(COUNT));
  // Painted, not drawn: no highlight elements in the chapter, some hundreds of painted ranges.
  await expect.poll(async () => (await paintedIds(page)).length).toBeGreaterThan(50);
  expect(await page.locator('.ap-chapter [data-annotation-id]').count()).toBe(0);
  const atTop = await paintedIds(page);
  expect(atTop.length).toBeLessThan(COUNT);
  // Painted highlights leave the text alone: its blocks are all rendered (not skipped off screen),
  // so that scrolling lays nothing out again.
  await expect(page.locator('.ap-chapter')).toHaveAttribute('data-painted-highlights', '');
  expect(await page.locator('.ap-chapter > p').first().evaluate((p) => getComputedStyle(p).contentVisibility)).toBe('visible');

  // The last paragraph is far below: what is painted there differs from what was painted at the top.
  const late = page.locator('.ap-chapter p, .ap-chapter aside').filter({ hasText: lateQuote }).last();
  await late.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await paintedIds(page)).filter((id) => !atTop.includes(id)).length).toBeGreaterThan(50);
  const afterScroll = await paintedIds(page);
  expect(afterScroll.filter((id) => atTop.includes(id)).length).toBeLessThan(atTop.length);

  // Pointing at painted text shows its annotations; clicking it opens the innermost one's card.
  await page.locator('.ap-reading').evaluate((pane) => (pane.scrollTop = 0));
  await expect.poll(async () => (await paintedIds(page)).length).toBeGreaterThan(50);

  // Scrolling with nothing hovered leaves the (hidden) hover card alone: the shell renders every
  // scrolled frame, and rewriting the card's attribute each time made the browser paint the whole
  // chapter again every frame (bench: browser-open-5000).
  const cardWrites = await page.locator('.ap-reading').evaluate((pane) => new Promise<number>((resolve) => {
    let writes = 0;
    const observer = new MutationObserver((records) => (writes += records.length));
    observer.observe(document.querySelector('ap-hover-card')!, { attributes: true });
    let frames = 0;
    const step = () => {
      if (frames++ < 12) {
        pane.scrollTop += 60;
        requestAnimationFrame(step);
        return;
      }
      // Two more frames: the shell renders in the frame after the last scroll.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        observer.disconnect();
        resolve(writes);
      }));
    };
    requestAnimationFrame(step);
  }));
  expect(cardWrites).toBe(0);
  await page.locator('.ap-reading').evaluate((pane) => (pane.scrollTop = 0));
  await expect.poll(async () => (await paintedIds(page)).length).toBeGreaterThan(50);
  // A point inside painted text: the first painted range's first rectangle, from the page.
  const point = await page.evaluate(() => {
    for (const highlight of CSS.highlights.values()) {
      for (const range of highlight) {
        const live = document.createRange();
        live.setStart(range.startContainer, range.startOffset);
        live.setEnd(range.endContainer, range.endOffset);
        const rect = live.getClientRects()[0];
        if (rect && rect.width > 4 && rect.top > 0 && rect.bottom < window.innerHeight) return { x: rect.left + 2, y: rect.top + rect.height / 2 };
      }
    }
    return null;
  });
  expect(point).not.toBeNull();
  await page.mouse.move(point!.x, point!.y);
  await expect(page.locator('ap-hover-card').getByRole('tooltip')).toContainText('Seeded.');
  await page.mouse.click(point!.x, point!.y);
  await expect(page.locator('ap-annotation-card[expanded]')).toHaveCount(1);
});
