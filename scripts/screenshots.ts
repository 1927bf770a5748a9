// Screenshots of the main views, and the client's figures: `node --import tsx scripts/screenshots.ts`.
// Builds the client, starts a real server (temp DATA_DIR), lets three users annotate the fixture
// chapter in Chromium at 1280×720, saves docs/screenshots/*.png, then measures time to first
// render, remote-annotation latency and a room with 5,000 annotations. Prints the figures and
// writes them to docs/screenshots/figures.json. `--no-bench` skips the rooms of 2,000 and 5,000
// annotations; `--bench-only` skips the screenshots (figures.json then holds only the bench);
// `--print-only` makes only the printed pages (printed-page.png, printed-apparatus.png);
// `--shots-only` takes the screenshots (desktop, phone, tablet, printed pages) and measures
// nothing, leaving figures.json as it is.
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { BlockTable, TEXT_FRAGMENT_NAME, createAnchorFromTextRange, createAnnotation } from '../schema/index.ts';
import type { ClaimStatus } from '../schema/index.ts';
import { buildClient, createRoom, startServerProcess } from '../tests/e2e/support/server-process.ts';
import type { RoomInvites, ServerProcess } from '../tests/e2e/support/server-process.ts';
import { connectClient } from '../tests/helpers/yws-client.ts';
import { seedAnnotations as seedTwentyAnnotations } from '../tests/e2e/support/seed-room.ts';
import { OUT, VIEWPORT, comment, join, problem, scrollChapterTo, select, shoot, tag, withScreenshotServer } from './screenshot-pages.ts';
import type { Room } from './screenshot-pages.ts';
import { takeDeviceScreenshots, takeReviewScreenshots } from './screenshot-views.ts';

/** Builds a lively room: claims, a problem, a comment, an overlap, a thread, a resolved claim. */
async function populate(ada: Page, boris: Page, olga: Page): Promise<void> {
  await tag(ada, "So they decided to first alter their economic and social policies in what Oleg Khlevniuk described as a 'moderate turn'", '1', 'Khlevniuk, Chozjajin, p. 177: the “moderate turn” of 1932–33.');
  await tag(boris, 'more than 90,000 court rulings were vacated; and 37,000 prisoners were given an early release', '2', 'Other estimates differ; the note gives no source for these figures.');
  await problem(boris, 'This maintained an even deepened the existing disproportion', 'grammar', 'This maintained and even deepened the existing disproportion', '“an even” should read “and even”.');
  await comment(olga, 'Kolkhoz peasants were once again allowed to sell their', 'Seminar question: what did the market mean for kolkhozniks in 1933?');
  await tag(ada, 'Thus were the ranks of peasants, who had suffered under Stalin', '3');
  await tag(boris, 'The first came in January 1933, when the forced purchase of grain was abolished', '1');
  await tag(ada, 'when the forced purchase of grain was abolished and an', '2', 'Abolished in name only? Compare the grain procurement decrees.');
  await tag(olga, 'Machinery and tractor stations were set up', '3');
  await tag(ada, 'The planned pace of development remained fairly high in spite of this at 16.5% to 18.5% per year', '1');
  // A thread on Boris's contested claim.
  await ada.locator('ap-annotation-card', { hasText: '90,000' }).click();
  const thread = ada.locator('ap-annotation-card[expanded]');
  await thread.getByRole('textbox', { name: 'Reply' }).fill('Barsenkov & Vdovin give the same figure; I will add the page.');
  await thread.getByRole('button', { name: 'Reply' }).click();
  await olga.locator('ap-annotation-card', { hasText: 'Machinery and tractor' }).click();
  await olga.locator('ap-annotation-card[expanded]').getByRole('button', { name: 'Resolve' }).click();
}

async function takeScreenshots(browser: Browser, server: ServerProcess, room: Room): Promise<void> {
  const olga = await join(browser, server, room, 'owner', 'Olga Petrova');
  const boris = await join(browser, server, room, 'reviewer', 'Boris Ivanov');
  const ada = await join(browser, server, room, 'annotator', 'Ada Novak');
  await populate(ada, boris, olga);

  // 1. The main view: the reviewer reads a thread while Ada selects text nearby.
  await boris.locator('ap-annotation-card', { hasText: '90,000' }).click();
  await scrollChapterTo(boris, 'It is easy to describe the steps');
  await select(ada, 'Two years later, additional changes came');
  await boris.locator('.ap-remote-caret__label', { hasText: 'Ada Novak' }).waitFor();
  await boris.mouse.move(5, 400);
  await shoot(boris, 'main');

  // 2. The selection toolbar.
  await scrollChapterTo(ada, 'It is easy to describe the steps');
  await shoot(ada, 'selection-toolbar');
  await ada.keyboard.press('Escape');

  // 3. The problem form.
  await scrollChapterTo(boris, 'The reason for this was that Soviet development');
  await select(boris, 'the expansionist policies of the Japanese in the Far East');
  await boris.keyboard.press('p');
  const form = boris.getByRole('dialog', { name: 'New problem' });
  await form.getByLabel('Problem type').selectOption('other');
  await form.getByRole('textbox', { name: 'Note', exact: true }).fill('Japan’s policy in Manchuria from 1931 deserves a footnote.');
  await shoot(boris, 'problem-form');
  await boris.keyboard.press('Escape');

  // 4. Hover summary over overlapping highlights.
  await scrollChapterTo(olga, 'It is easy to describe the steps');
  await olga.locator('.ap-chapter [data-annotation-id]', { hasText: 'grain was abolished' }).last().hover();
  await olga.locator('ap-hover-card [role="tooltip"]').waitFor();
  await shoot(olga, 'hover-summary');

  // 5. The footnote panel with a footnote preview.
  await olga.mouse.move(5, 400);
  await olga.locator('ap-sidebar').getByRole('tab', { name: /Footnotes/ }).click();
  await olga.locator('.ap-fn-ref[data-n="131"]').hover();
  await olga.locator('ap-footnote-preview [role="tooltip"]').waitFor();
  await shoot(olga, 'footnotes');

  // 6. The assistants' suggestions.
  await olga.mouse.move(5, 400);
  await olga.locator('ap-sidebar').getByRole('tab', { name: /Suggestions/ }).click();
  await olga.locator('ap-suggestions-panel li').first().waitFor();
  await shoot(olga, 'suggestions');

  // 7. Offline with pending changes, then orphaned annotations after the owner's deletion.
  await ada.context().setOffline(true);
  await tag(ada, 'Resistance against Stalin', '2');
  await tag(ada, 'Party membership was returned to many members of the opposition', '1');
  await olga.locator('ap-sidebar').getByRole('tab', { name: /Annotations/ }).click();
  await olga.getByRole('button', { name: 'Edit text' }).click();
  await olga.locator('.ap-chapter').evaluate((root) => {
    const p = [...root.querySelectorAll('p')].find((el) => el.textContent!.includes('Gestures of reconciliation'))!;
    p.scrollIntoView({ block: 'center' });
    const range = document.createRange();
    range.selectNodeContents(p);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  await olga.waitForTimeout(100);
  await olga.keyboard.press('Backspace');
  await olga.keyboard.press('Backspace');
  await scrollChapterTo(ada, 'Gestures of reconciliation');
  await shoot(ada, 'offline');
  await ada.context().setOffline(false);
  await ada.locator('ap-save-status', { hasText: 'Saved' }).waitFor();
  await ada.locator('ap-sidebar section.attention').waitFor();
  await ada.locator('ap-sidebar section.attention').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot(ada, 'orphaned');
  for (const page of [olga, boris, ada]) await page.context().close();
}

/** Median of a list of numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Milliseconds from navigation start until the chapter was rendered (performance mark). */
async function firstRender(browser: Browser, server: ServerProcess, room: Room, role: keyof RoomInvites, name: string): Promise<{ chapter: number; highlights: number; count: number }> {
  const page = await join(browser, server, room, role, name);
  const times: Array<{ chapter: number; highlights: number; count: number }> = [];
  for (let run = 0; run < 5; run++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('ap-highlights-rendered').length > 0);
    times.push(
      await page.evaluate(() => {
        const mark = performance.getEntriesByName('ap-chapter-rendered')[0]!;
        const drawn = performance.getEntriesByName('ap-highlights-rendered')[0]!;
        return { chapter: mark.startTime, highlights: drawn.startTime, count: document.querySelectorAll('.ap-chapter [data-annotation-id]').length };
      }),
    );
  }
  await page.context().close();
  const round = (ms: number): number => Math.round(ms);
  return { chapter: round(median(times.map((t) => t.chapter))), highlights: round(median(times.map((t) => t.highlights))), count: times[0]!.count };
}

/** Milliseconds from a key press in one browser to the highlight appearing in another. */
async function remoteLatency(browser: Browser, server: ServerProcess, room: Room): Promise<number[]> {
  const writer = await join(browser, server, room, 'annotator', 'Latency Writer');
  const reader = await join(browser, server, room, 'reviewer', 'Latency Reader');
  const phrases = ['Younger members of these families were allowed to study', 'The economic situation of the peasants also changed', 'Kolkhoz members were allowed to farm their own crofts', 'Healthcare services for the population were also increased', 'Overall, buildings were outfitted in a substandard way'];
  const samples: number[] = [];
  for (const phrase of phrases) {
    await select(writer, phrase);
    await reader.evaluate((words) => {
      const root = document.querySelector('.ap-chapter')!;
      (window as unknown as { arrival: Promise<number> }).arrival = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if ([...root.querySelectorAll('[data-annotation-id]')].some((el) => el.textContent!.includes(words))) {
            observer.disconnect();
            resolve(Date.now());
          }
        });
        observer.observe(root, { subtree: true, childList: true, attributes: true });
      });
    }, phrase.slice(0, 20));
    const sent = Date.now();
    await writer.keyboard.press('2');
    const arrived = await reader.evaluate(() => (window as unknown as { arrival: Promise<number> }).arrival);
    samples.push(arrived - sent);
    await writer.keyboard.press('Escape');
  }
  await writer.context().close();
  await reader.context().close();
  return samples;
}

/** Seeds `count` annotations over the chapter's sentences through a headless client. */
async function seedAnnotations(server: ServerProcess, room: Room, count: number): Promise<void> {
  // The server stamps authorship from the session: write as the session's own user.
  const response = await fetch(`${server.baseUrl}/api/rooms/${room.id}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${room.invites.annotator}` } });
  const session = (await response.json()) as { token: string; userId: string };
  // Authors' names must match their display names (the server checks), so choose one first.
  await fetch(`${server.baseUrl}/api/rooms/${room.id}/me`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Seed Bot' }),
  });
  const text = connectClient({ url: server.baseUrl, room: room.id, kind: 'text', token: session.token });
  const notes = connectClient({ url: server.baseUrl, room: room.id, kind: 'annotations', token: session.token });
  await Promise.all([text.synced(), notes.synced()]);
  const table = new BlockTable(text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const full = table.fullText();
  const statuses: ClaimStatus[] = ['sourced', 'contested', 'interpretive'];
  const context = { actor: { userId: session.userId, name: 'Seed Bot' }, now: () => new Date() };
  for (let batch = 0; batch < count / 250; batch++) {
    notes.ydoc.transact(() => {
      for (let i = batch * 250; i < (batch + 1) * 250; i++) {
        const start = (i * 7919) % (full.length - 80);
        const end = start + 12 + (i % 50);
        const anchor = createAnchorFromTextRange(table, { start, end });
        if (!anchor.ok) continue;
        const created = createAnnotation(notes.ydoc, { kind: 'claim', claimStatus: statuses[i % 3], note: `Seeded claim ${i}`, anchor: anchor.value }, context);
        if (!created.ok) throw new Error(`seeding failed: ${created.errors.join('; ')}`);
      }
    }, 'seed');
    await notes.stored(30_000).catch((error: unknown) => {
      throw new Error(`seeding batch ${batch} was not stored (${String(error)}); refusals: ${notes.deniedReasons.join('; ') || 'none'}; closes: ${JSON.stringify(notes.closes)}`);
    });
  }
  if (notes.deniedReasons.length > 0) throw new Error(`the server refused the seed: ${notes.deniedReasons.join('; ')}`);
  text.destroy();
  notes.destroy();
}

/** Records when each WebSocket message reaches the page, so a redraw can be timed from arrival. */
const STAMP_MESSAGES = `
  const descriptor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    set(handler) {
      descriptor.set.call(this, handler && ((event) => { window.__messageAt = performance.now(); return handler.call(this, event); }));
    },
    get() { return descriptor.get.call(this); },
  });
`;

/**
 * Remote annotation changes in a big room: for each, the time from the WebSocket message
 * reaching the reader's page to the start of the frame that shows the new highlight (all
 * script, highlight and sidebar work included). Median of five.
 */
async function remoteChangeAtScale(browser: Browser, server: ServerProcess, room: Room): Promise<{ median: number; samples: number[] }> {
  const reader = await join(browser, server, room, 'reviewer', 'Scale Reader');
  await reader.context().addInitScript(STAMP_MESSAGES);
  await reader.reload();
  await reader.waitForFunction(() => performance.getEntriesByName('ap-highlights-rendered').length > 0);
  const writer = await join(browser, server, room, 'annotator', 'Scale Writer');
  const phrases = ['Younger members of these families', 'The economic situation of the peasants', 'Healthcare services for the population', 'Overall, buildings were outfitted', 'Unions, meanwhile, organized factory clubs'];
  const samples: number[] = [];
  for (const phrase of phrases) {
    await select(writer, phrase);
    const waiting = reader.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const root = document.querySelector('.ap-chapter')!;
          // Inline on purpose: tsx names helper functions with a __name the page does not have.
          const before = new Set(Array.from(root.querySelectorAll('.ap-hl--contested'), (el) => el.getAttribute('data-annotation-id'))).size;
          const timer = setTimeout(() => reject(new Error('the remote highlight never appeared')), 10_000);
          const observer = new MutationObserver(() => {
            if (new Set(Array.from(root.querySelectorAll('.ap-hl--contested'), (el) => el.getAttribute('data-annotation-id'))).size === before) return;
            observer.disconnect();
            clearTimeout(timer);
            const arrived = (window as unknown as { __messageAt: number }).__messageAt;
            requestAnimationFrame(() => resolve(performance.now() - arrived));
          });
          observer.observe(root, { subtree: true, childList: true, attributes: true });
        }),
    );
    await writer.keyboard.press('2');
    samples.push(Math.round((await waiting) * 10) / 10);
    await writer.keyboard.press('Escape');
  }
  await reader.context().close();
  await writer.context().close();
  return { median: median(samples), samples };
}

/**
 * The printed apparatus (issue 18): a room with 20 annotations printed to PDF by Chromium as the
 * Print action lays it out, its first page and the page with the first section's apparatus
 * rendered to PNG by poppler's pdftoppm: docs/screenshots/printed-page.png, printed-apparatus.png.
 */
async function printedPages(browser: Browser, server: ServerProcess): Promise<void> {
  const room: Room = { id: 'print-chapter-5', invites: await createRoom(server, 'print-chapter-5', '5. Stalin’s “Soft Course”') };
  await seedTwentyAnnotations(server.baseUrl, room.id, room.invites);
  const page = await join(browser, server, room, 'viewer', 'Print Probe');
  await page.evaluate(() => (window.print = () => undefined));
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('button', { name: /Print \/ PDF/ }).click();
  await page.locator('.ap-print-host .ap-print__entry').first().waitFor({ state: 'attached' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-print-'));
  try {
    const pdf = path.join(dir, 'room.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4' }));
    const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).split('\f');
    const apparatusPage = pages.findIndex((text) => text.includes('APPARATUS TO')) + 1;
    for (const [name, number] of [['printed-page', 1], ['printed-apparatus', apparatusPage]] as const) {
      execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', '-f', String(number), '-l', String(number), pdf, path.join(OUT, name)]);
      console.log(`saved docs/screenshots/${name}.png (page ${number} of the PDF)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await page.context().close();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--print-only')) return printOnly();
  const shotsOnly = process.argv.includes('--shots-only');
  const bench = !process.argv.includes('--no-bench') && !shotsOnly;
  const shots = !process.argv.includes('--bench-only');
  mkdirSync(OUT, { recursive: true });
  buildClient();
  const server = await startServerProcess();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const figures: Record<string, unknown> = { viewport: VIEWPORT, at: new Date().toISOString() };
  try {
    if (shots) {
      const demo: Room = { id: 'demo-chapter-5', invites: await createRoom(server, 'demo-chapter-5', '5. Stalin’s “Soft Course”') };
      await takeScreenshots(browser, server, demo);
      await takeDeviceScreenshots(browser, server, demo);
      await takeReviewScreenshots(browser, server, demo);
      await printedPages(browser, server);
      if (shotsOnly) return;
      figures.firstRenderMs = await firstRender(browser, server, demo, 'viewer', 'Render Probe');
      const latency = await remoteLatency(browser, server, demo);
      figures.remoteAnnotationMs = { median: median(latency), samples: latency };
    }
    if (bench) {
      for (const count of [2000, 5000]) {
        const big: Room = { id: `bench-${count}`, invites: await createRoom(server, `bench-${count}`, `${count} annotations`) };
        await seedAnnotations(server, big, count);
        figures[`firstRenderMs${count}`] = await firstRender(browser, server, big, 'viewer', 'Scale Probe');
        figures[`remoteChangeToFrameMs${count}`] = await remoteChangeAtScale(browser, server, big);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  writeFileSync(path.join(OUT, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(JSON.stringify(figures, null, 2));
}

/** `--print-only`: only the printed pages, leaving the other screenshots and figures.json alone. */
async function printOnly(): Promise<void> {
  await withScreenshotServer(OUT, (server, browser) => printedPages(browser, server));
}

await main();
