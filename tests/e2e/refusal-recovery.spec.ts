import { test, expect } from './support/fixtures.ts';
import { cardOf, tagWords } from './support/room-page.ts';

const FIRST = 'Party membership was returned to many members of the opposition';
const FORGED = 'Resistance against Stalin';
const THIRD = 'These steps by the leadership had an impact';
const LATER = 'Machinery and tractor stations were set up';

test('after the server refuses one change, Recover saves the rest, lists the refused one as dropped, and later work saves normally', async ({ joinRoom, room }) => {
  const ada = await joinRoom('annotator', 'Ada Annotator');
  const olga = await joinRoom('owner', 'Olga Owner');

  // Offline, Ada makes two valid annotations and, between them, one the server will refuse:
  // an annotation naming another user as its author (forged through the test hook).
  await ada.context.setOffline(true);
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline');
  await tagWords(ada.page, FIRST, '1');
  await tagWords(ada.page, FORGED, '2');
  await ada.page.evaluate((words) => {
    type YMapLike = { get(key: string): unknown; set(key: string, value: unknown): void };
    const app = document.querySelector('ap-app') as unknown as { annotationsDocForTests: { getMap(name: string): { values(): Iterable<YMapLike> }; transact(fn: () => void): void } };
    const doc = app.annotationsDocForTests;
    // Layout 2 (schema/README.md): span[2] is the quote, made[0] the author.
    const forged = [...doc.getMap('annotations').values()].find((entry) => (entry.get('span') as unknown[])[2] === words);
    if (!forged) throw new Error('the annotation to forge is missing');
    const made = forged.get('made') as unknown[];
    doc.transact(() => forged.set('made', ['u-someone-else', made[1], made[2]]));
  }, FORGED);
  await tagWords(ada.page, THIRD, '3');
  await expect(ada.page.locator('ap-save-status')).toContainText('Offline — 4 changes pending');

  // Back online, the server refuses the whole backlog (its updates depend on the forged one).
  await ada.context.setOffline(false);
  const refusal = ada.page.locator('ap-notice .notice', { hasText: 'The server refused a change' });
  await expect(refusal).toContainText('authorId must be your user id');
  await expect(refusal).toContainText('Your other changes are safe on this device.');
  await expect(ada.page.locator('ap-save-status')).toContainText('Not saved — 4 changes blocked');
  await expect(olga.page.locator('ap-annotation-card')).toHaveCount(0);

  // Recover, from the keyboard.
  await refusal.getByRole('button', { name: 'Recover' }).focus();
  await ada.page.keyboard.press('Enter');
  const summary = ada.page.locator('ap-notice .notice', { hasText: 'Recovered' });
  await expect(summary).toContainText('2 changes saved on the server');
  await expect(summary).toContainText(`Dropped: annotation on “${FORGED}” (it names another user as its author)`);
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved');

  // The two valid annotations reached the server and the other user; the forged one did not.
  for (const page of [olga.page, ada.page]) {
    await expect(cardOf(page, FIRST)).toContainText('Ada Annotator');
    await expect(cardOf(page, THIRD)).toContainText('Ada Annotator');
    await expect(cardOf(page, FORGED)).toHaveCount(0);
  }
  const exported = await olga.page.request.get(`${room.baseUrl}/api/rooms/${room.id}/export?format=csv`);
  const csv = await exported.text();
  expect(csv).toContain(FIRST);
  expect(csv).toContain(THIRD);
  expect(csv).not.toContain(FORGED);

  // Later work is saved normally.
  await tagWords(ada.page, LATER, '2');
  await expect(ada.page.locator('ap-save-status')).toContainText('Saved');
  await expect(cardOf(olga.page, LATER)).toContainText('Ada Annotator');
  await expect(ada.page.locator('ap-notice .notice', { hasText: 'The server refused a change' })).toHaveCount(0);
});
