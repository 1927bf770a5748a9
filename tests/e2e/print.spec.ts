import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { seedAnnotations } from './support/seed-room.ts';
import type { SeededAnnotation } from './support/seed-room.ts';

// Printing the room (issue 18, part 3): Chromium's own PDF of the page, read back with poppler's
// pdftotext (scripts/setup.mjs installs poppler-utils for the tests).

/** Replaces window.print (which would open a dialog) by a counter the spec can read. */
async function countPrints(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { print: () => void; printCalls: number };
    w.printCalls = 0;
    w.print = () => void w.printCalls++;
  });
}

const printCalls = (page: Page) => page.evaluate(() => (window as unknown as { printCalls: number }).printCalls);

/** Chromium's PDF of the page as print media lays it out, and its text as pdftotext reads it, whitespace folded. */
async function printToText(page: Page, file: string): Promise<{ pages: number; text: string }> {
  writeFileSync(file, await page.pdf({ format: 'A4' }));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(info)![1]), text: text.replace(/\s+/g, ' ') };
}

/** Where each of `needles` occurs in `text`, each searched after the previous one (-1 once one is missing). */
function positionsInOrder(text: string, needles: readonly string[]): number[] {
  let from = 0;
  return needles.map((needle) => {
    const at = from < 0 ? -1 : text.indexOf(needle, from);
    from = at < 0 ? -1 : at + needle.length;
    return at;
  });
}

const fold = (s: string) => s.replace(/\s+/g, ' ');

test('prints the whole chapter with the lettered apparatus of 20 annotations after each section, then the footnotes', async ({ room, joinRoom }, testInfo) => {
  const seeded: SeededAnnotation[] = await seedAnnotations(room.baseUrl, room.id, room.invites);
  expect(seeded).toHaveLength(20);
  const { page } = await joinRoom('reviewer', 'Rita Reviewer');
  await expect(page.locator('ap-annotation-card')).toHaveCount(20);
  await countPrints(page);

  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('button', { name: /Print \/ PDF/ }).click();
  await expect(page.locator('.ap-print-host .ap-print__entry')).toHaveCount(20);
  expect(await printCalls(page)).toBe(1);

  const { pages, text } = await printToText(page, testInfo.outputPath('room.pdf'));
  // The whole chapter, not the visible screen: every original page number is in the margin,
  // and the chapter's last words are there.
  expect(pages).toBeGreaterThan(8);
  for (let n = 2; n <= 16; n++) expect(text, `original page ${n}`).toContain(`p. ${n} `);
  expect(text).toContain('5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon');
  // No app chrome on paper.
  expect(text).not.toMatch(/Select a passage to annotate|Annotations \d+|Export ▼/);

  // The apparatus: entries a … t in reading order, each with its passage, tag and note.
  const labels = seeded.map((_, i) => String.fromCharCode(97 + i));
  const entries = seeded.map((s, i) => `${labels[i]} ${s.kind === 'claim' ? `${s.claimStatus![0]!.toUpperCase()}${s.claimStatus!.slice(1)} claim` : s.kind === 'problem' ? 'Problem: Mistranslation' : 'Comment'}`);
  expect(positionsInOrder(text, entries).every((at) => at >= 0), `entries in order: ${entries.join(', ')}`).toBe(true);
  for (const s of seeded) {
    expect(text).toContain(`“${fold(s.quote)}”`);
    expect(text).toContain(s.note);
    for (const reply of s.replies) expect(text).toContain(reply);
    if (s.correction) expect(text).toContain(`Proposed: “${fold(s.correction)}”`);
  }
  expect(text).toContain('Problem: Mistranslation · accepted');

  // The apparatus of each section comes before the next section, the notes after the last one.
  const [firstApparatus, nextSection, notes, lastNote] = positionsInOrder(text, ['APPARATUS TO “THE STALIN\'S NEW SOVIET SOCIETY”', "Kirov's Murder and the Turning Point", 'Notes 130 ', '165 Resolution of the Seventeenth Congress']);
  expect([firstApparatus, nextSection, notes, lastNote].every((at) => at! >= 0)).toBe(true);
  // Footnotes 130–165, each once, in order.
  const noteNumbers = positionsInOrder(text.slice(notes!), Array.from({ length: 36 }, (_, i) => ` ${130 + i} `));
  expect(noteNumbers.every((at) => at >= 0)).toBe(true);
});

test('prints only what the sidebar’s filters show, says so, and answers Ctrl+P, offline too', async ({ room, joinRoom }, testInfo) => {
  const seeded = await seedAnnotations(room.baseUrl, room.id, room.invites);
  const { page } = await joinRoom('annotator', 'Paul Printer');
  await expect(page.locator('ap-annotation-card')).toHaveCount(20);
  await countPrints(page);
  await page.locator('ap-filters').getByRole('button', { name: /^Problem/ }).click();
  await expect(page.locator('ap-annotation-card')).toHaveCount(4);

  // The printout is made from the room this browser holds: no request, so offline is fine.
  await page.context().setOffline(true);
  await page.keyboard.press('Control+p');
  await expect(page.locator('.ap-print-host .ap-print__entry')).toHaveCount(4);
  expect(await printCalls(page)).toBe(1);
  const { text } = await printToText(page, testInfo.outputPath('filtered.pdf'));
  expect(text).toContain('4 annotations · Filtered: only Problem');
  const problems = seeded.filter((s) => s.kind === 'problem');
  expect(positionsInOrder(text, problems.map((p, i) => `${String.fromCharCode(97 + i)} Problem: Mistranslation`)).every((at) => at >= 0)).toBe(true);
  expect(text).not.toMatch(/(Sourced|Contested|Interpretive) claim ·|Comment · Anna/);
});
