import { readFileSync } from 'node:fs';
import { test, expect } from './support/fixtures.ts';
import { cardOf, tagWords } from './support/room-page.ts';

test('a browser following an annotation IRI lands in the room, opened at that annotation', async ({ joinRoom, room }) => {
  const { page } = await joinRoom('annotator', 'Anna Annotator');
  await tagWords(page, 'the forced purchase of grain was abolished', '1');
  await tagWords(page, 'The USSR joined the League of Nations', '2');
  await expect(page.locator('ap-annotation-card')).toHaveCount(2);
  const w3c = await (await page.request.get(`${room.baseUrl}/api/rooms/${room.id}/export?format=w3c`)).json();
  const league = w3c.first.items.find((item: { target: { selector: { exact?: string }[] } }) => item.target.selector[0]!.exact === 'The USSR joined the League of Nations');
  expect(league.id).toMatch(new RegExp(`^${room.baseUrl}/r/${room.id}/annotations/a-`));

  // Follow the IRI as someone given it would: a fresh page of the same browser (its session cookie).
  const reader = await page.context().newPage();
  await reader.goto(league.id);
  expect(new URL(reader.url()).hash).toBe(`#annotation=${league.id.split('/').pop()}`);
  const card = reader.locator('ap-annotation-card[expanded]');
  await expect(card).toContainText('The USSR joined the League of Nations');
  await expect(reader.locator('.ap-chapter [data-annotation-id]').filter({ hasText: 'League of Nations' }).first()).toBeInViewport();
  await reader.close();
});

test('the export menu offers every format the server lists and downloads the TEI edition', async ({ joinRoom, room }) => {
  const { page } = await joinRoom('viewer', 'Vera Viewer');
  const menu = page.locator('ap-export-menu');
  await menu.getByRole('button', { name: 'Export' }).click();
  const entries = menu.getByRole('link');
  await expect(entries).toHaveText([
    // Documents for people first (docs/exports-word-text-print.md), then the data formats.
    /Word document/, /Corrected text/, /Errata \(Markdown\)/, /Errata \(CSV\)/, /Printable page \(HTML\)/,
    /Apparatus JSON/, /W3C Web Annotation/, /TEI P5 XML/, /Spreadsheet \(CSV\)/, /Replies \(CSV\)/, /Spreadsheets \(zip\)/,
  ]);
  const download = page.waitForEvent('download');
  await menu.getByRole('link', { name: /TEI P5 XML/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${room.id}-tei.xml`);
  const tei = readFileSync((await file.path())!, 'utf8');
  expect(tei).toContain('<TEI xmlns="http://www.tei-c.org/ns/1.0">');
  expect(tei).toContain('<note place="foot" n="130" xml:id="fn-130">');
});
