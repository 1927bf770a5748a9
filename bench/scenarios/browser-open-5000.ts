// browser-open-5000: Chromium opens the chapter with 5,000 annotations until every highlight is
// painted; then, in a room with 2,000, the re-render after one remote annotation change (a new
// annotation appears; an annotation is resolved). The browser runs on the load core, the server
// (with the probe) on the other. Writes bench/results/browser-open-5000.json.
//   node --import tsx bench/scenarios/browser-open-5000.ts [--quick] [--repetitions N]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { newAnnotationId } from '../../schema/annotations/model.ts';
import { launchApparatus } from '../lib/bench-servers.ts';
import type { ApparatusServer, RoomInvites } from '../lib/bench-servers.ts';
import { ensureClientBuilt } from '../lib/client-build.ts';
import { chapterText } from '../lib/chapter-fixture.ts';
import { countDrawnHighlights, installPageInstruments, pageCall, watchForChange } from '../lib/page-instruments.ts';
import type { PageRecord, WatchedChange } from '../lib/page-instruments.ts';
import { RemoteAnnotator } from '../lib/remote-annotator.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { createSessions } from '../lib/room-sessions.ts';
import type { BenchIdentity } from '../lib/room-sessions.ts';
import { seedAnnotations } from '../lib/room-seeding.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';

const OPEN_ROOM = 'chapter-5';
const OPEN_ANNOTATIONS = 5000;
const CHANGE_ROOM = 'bench-2000';
const CHANGE_ANNOTATIONS = 2000;
const options = scenarioOptions();
const run = beginScenario('browser-open-5000', options.quick);
const openings = options.repetitions ?? (options.quick ? 3 : 7);
const changes = options.quick ? 10 : 30;

/** A data directory holding both rooms, seeded with their annotations while no server runs; the second room's invites. */
async function prepareData(): Promise<{ dataDir: string; invites: RoomInvites }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const server = await launchApparatus(dataDir);
  const created = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: CHANGE_ROOM, title: 'Benchmark room', text: chapterText() }),
  });
  if (created.status !== 201) throw new Error(`creating ${CHANGE_ROOM}: ${created.status} ${await created.text()}`);
  const { invites } = (await created.json()) as { invites: RoomInvites };
  await server.stop();
  await seedAnnotations(dataDir, OPEN_ROOM, OPEN_ANNOTATIONS, 1);
  await seedAnnotations(dataDir, CHANGE_ROOM, CHANGE_ANNOTATIONS, 2);
  return { dataDir, invites };
}

/** A fresh browser context (no cache, no IndexedDB, no service worker) signed in as `reader`, with the instruments. */
async function readerContext(browser: Browser, server: ApparatusServer, reader: BenchIdentity): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  await context.addCookies([{ name: 'ap_session', value: reader.token!, url: server.url }]);
  await context.addInitScript({ content: pageCall(installPageInstruments) });
  return context;
}

/** Opens a room (or reloads it, with `url` null) and resolves with the time (ms from navigation start) when every highlight was painted. */
async function openRoom(page: Page, url: string | null, expected: number): Promise<{ ms: number; drawn: number }> {
  if (url === null) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __apBench: PageRecord }).__apBench.highlightsPainted !== null, undefined, { timeout: 60_000, polling: 50 });
  const painted = (await page.evaluate(() => (window as unknown as { __apBench: PageRecord }).__apBench.highlightsPainted)) as number;
  const drawn = (await page.evaluate(pageCall(countDrawnHighlights))) as number;
  if (drawn < expected) throw new Error(`only ${drawn} of ${expected} highlights were drawn when the client marked them rendered`);
  return { ms: painted, drawn };
}

/**
 * Phase 1: open the 5,000-annotation chapter in a fresh context (a first visit: everything from
 * the server), then reload it (a returning reader: bundle cached, both documents in IndexedDB),
 * `openings` times.
 */
async function measureOpenings(browser: Browser, server: ApparatusServer, reader: BenchIdentity): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < openings; i++) {
    const context = await readerContext(browser, server, reader);
    const page = await context.newPage();
    const opened = await openRoom(page, `${server.url}/r/${OPEN_ROOM}`, OPEN_ANNOTATIONS);
    const reloaded = await openRoom(page, null, OPEN_ANNOTATIONS);
    console.log(`  open #${i + 1}: ${round(opened.ms, 1)} ms (reload ${round(reloaded.ms, 1)} ms), ${opened.drawn} highlights`);
    cold.push(opened.ms);
    warm.push(reloaded.ms);
    await context.close();
  }
  return { cold, warm };
}

/** One remote change: the page watches, the remote reader writes, the page reports when it showed it. */
async function timedChange(page: Page, remote: RemoteAnnotator, change: WatchedChange): Promise<{ rerender: number; dom: number; frame: number }> {
  await page.evaluate(pageCall(watchForChange, change));
  if (change.kind === 'create') remote.create(change.id);
  else remote.resolve(change.id);
  const shown = (await page.evaluate('window.__apWatch')) as { dom: number; painted: number };
  const record = (await page.evaluate(() => (window as unknown as { __apBench: PageRecord }).__apBench)) as PageRecord;
  const message = record.messages.filter((m) => m.at <= shown.dom).pop();
  if (!message || message.settled === null) throw new Error('no annotation message was seen before the highlight changed');
  return { rerender: message.settled - message.at, dom: shown.dom - message.at, frame: shown.painted - message.at };
}

/** Phase 2: in the 2,000-annotation room, alternate a new annotation and resolving it, `changes` times. */
async function measureChanges(browser: Browser, server: ApparatusServer, reader: BenchIdentity, remote: RemoteAnnotator) {
  const context = await readerContext(browser, server, reader);
  const page = await context.newPage();
  await openRoom(page, `${server.url}/r/${CHANGE_ROOM}`, CHANGE_ANNOTATIONS);
  const timings = [];
  for (let i = 0; i < changes; i++) {
    const id = newAnnotationId();
    timings.push(await timedChange(page, remote, { id, kind: 'create' }));
    timings.push(await timedChange(page, remote, { id, kind: 'resolve' }));
  }
  const drawn = (await page.evaluate(pageCall(countDrawnHighlights))) as number;
  await context.close();
  return { timings, drawn, expected: CHANGE_ANNOTATIONS + changes };
}

ensureClientBuilt();
const { dataDir, invites: changeInvites } = await prepareData();
const server = await launchApparatus(dataDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  console.log(`browser-open-5000: ${openings} openings of ${OPEN_ANNOTATIONS} annotations; ${changes * 2} remote changes at ${CHANGE_ANNOTATIONS}`);
  const [openReader] = await createSessions(server.url, OPEN_ROOM, server.invites.annotator, 1);
  const opened = await measureOpenings(browser, server, openReader!);
  const [changeReader] = await createSessions(server.url, CHANGE_ROOM, changeInvites.annotator, 1);
  const [remoteReader] = await createSessions(server.url, CHANGE_ROOM, changeInvites.reviewer, 1);
  const remote = await RemoteAnnotator.join(server.wsBase, CHANGE_ROOM, remoteReader!);
  const changed = await measureChanges(browser, server, changeReader!, remote);
  const converged = changed.drawn === changed.expected && (await remote.serverAgrees());
  remote.leave();
  const open = spreadOf(opened.cold);
  const reopen = spreadOf(opened.warm);
  const rerender = summarize(changed.timings.map((t) => t.rerender));
  console.log(`  open median ${open.median} ms (${open.min}–${open.max}), reload ${reopen.median} ms; re-render p50 ${rerender.p50} ms, p95 ${rerender.p95} ms`);
  writeResult(run, openings, {
    annotations: OPEN_ANNOTATIONS,
    apparatus: { ms: open.median, reload_ms: reopen.median, rerender_ms: rerender.p50, rerender_p95_ms: rerender.p95 },
    open,
    reload: reopen,
    rerender: { annotations: CHANGE_ANNOTATIONS, changes: changed.timings.length, task_ms: rerender, dom_ms: summarize(changed.timings.map((t) => t.dom)), frame_ms: summarize(changed.timings.map((t) => t.frame)) },
    converged,
  });
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
