import { test, expect } from './support/fixtures.ts';
import { cardOf, highlightOf, tagWords } from './support/room-page.ts';

/** Resolves once the server holds no document in memory (the e2e server unloads idle rooms after 2 s). */
async function untilEveryRoomUnloaded(baseUrl: string): Promise<void> {
  await expect
    .poll(async () => ((await (await fetch(`${baseUrl}/healthz`)).json()) as { loadedDocs: number }).loadedDocs, { timeout: 20_000 })
    .toBe(0);
}

// The cold path of a room everyone has left: its log is folded into a snapshot as it unloads, and
// the next browser to open it is sent that stored snapshot while the server decodes it (README,
// "Loading"). Nothing may be missing, doubled or left unsaved on the way.
test('a room everyone left opens cold in a new browser with every annotation, and work there is saved', async ({ joinRoom, room }) => {
  const ada = await joinRoom('annotator', 'Ada Novak');
  await tagWords(ada.page, 'the forced purchase of grain was abolished', '1');
  await tagWords(ada.page, 'more than 90,000 court rulings were vacated', '2');
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved');
  await ada.context.close();
  await untilEveryRoomUnloaded(room.baseUrl);

  const rita = await joinRoom('reviewer', 'Rita Reviewer');
  await expect(rita.page.locator('ap-annotation-card')).toHaveCount(2);
  await expect(highlightOf(rita.page, 'the forced purchase of grain was abolished')).toBeVisible();
  await expect(cardOf(rita.page, '90,000')).toContainText('Contested');
  await tagWords(rita.page, 'Machinery and tractor stations were set up', '3');
  await expect(rita.page.locator('ap-save-status')).toContainText('Saved');
  await rita.context.close();
  await untilEveryRoomUnloaded(room.baseUrl);

  const olga = await joinRoom('viewer', 'Olga Viewer');
  await expect(olga.page.locator('ap-annotation-card')).toHaveCount(3);
  await expect(cardOf(olga.page, 'Machinery and tractor')).toContainText('Interpretive');
});
