// browser-open-5000: Chromium opens the chapter with 5,000 annotations, and another with 20,000,
// in a fresh context (a first visit) until the highlights the reader sees are painted and the
// sidebar's counts are right; then scrolls through the 20,000 recording every task over 50 ms;
// then, in a room with 2,000, the re-render after one remote annotation change (a new
// annotation appears; an annotation is resolved). The browser runs on the load core, the server
// (with the probe) on the other. Writes bench/results/browser-open-5000.json.
//   node --import tsx bench/scenarios/browser-open-5000.ts [--quick] [--repetitions N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { newAnnotationId } from '../../schema/annotations/model.ts';
import { launchApparatus } from '../lib/bench-servers.ts';
import type { ApparatusServer, RoomInvites } from '../lib/bench-servers.ts';
import { ensureClientBuilt } from '../lib/client-build.ts';
import { installPageInstruments, pageCall, watchForChange } from '../lib/page-instruments.ts';
import type { PageRecord, WatchedChange } from '../lib/page-instruments.ts';
import { RemoteAnnotator } from '../lib/remote-annotator.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { createBenchRoom, createSessions } from '../lib/room-sessions.ts';
import type { BenchIdentity } from '../lib/room-sessions.ts';
import { seedAnnotations } from '../lib/room-seeding.ts';
import type { SeededAnnotations } from '../lib/room-seeding.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';
import { visibleSeededIds } from '../lib/viewport-truth.ts';

const OPEN_ROOM = 'chapter-5';
const OPEN_ANNOTATIONS = 5000;
const LARGE_ROOM = 'bench-20000';
const LARGE_ANNOTATIONS = 20000;
const CHANGE_ROOM = 'bench-2000';
const CHANGE_ANNOTATIONS = 2000;
/** Scrolling: pixels per frame (~6,000 px/s at 60 Hz, a brisk wheel), and where to stop and check what is drawn. */
const SCROLL_STEP_PX = 100;
const SCROLL_STOPS = [0.25, 0.5, 0.75, 1];
const options = scenarioOptions();
const run = beginScenario('browser-open-5000', options.quick);
const openings = options.repetitions ?? (options.quick ? 3 : 7);
const largeOpenings = options.repetitions ?? (options.quick ? 2 : 5);
const changes = options.quick ? 10 : 30;

/** A seeded room to open: its name, what it holds, and its invites. */
interface BenchRoom {
  room: string;
  seeded: SeededAnnotations;
  invites: RoomInvites | null;
}

/** A data directory holding the three rooms, seeded with their annotations while no server runs. */
async function prepareData(): Promise<{ dataDir: string; open: BenchRoom; large: BenchRoom; change: BenchRoom }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const server = await launchApparatus(dataDir);
  const largeInvites = await createBenchRoom(server, LARGE_ROOM);
  const changeInvites = await createBenchRoom(server, CHANGE_ROOM);
  await server.stop();
  return {
    dataDir,
    open: { room: OPEN_ROOM, seeded: await seedAnnotations(dataDir, OPEN_ROOM, OPEN_ANNOTATIONS, 1), invites: null },
    large: { room: LARGE_ROOM, seeded: await seedAnnotations(dataDir, LARGE_ROOM, LARGE_ANNOTATIONS, 3), invites: largeInvites },
    change: { room: CHANGE_ROOM, seeded: await seedAnnotations(dataDir, CHANGE_ROOM, CHANGE_ANNOTATIONS, 2), invites: changeInvites },
  };
}

/** A fresh browser context (no cache, no IndexedDB, no service worker) signed in as `reader`, with the instruments. */
async function readerContext(browser: Browser, server: ApparatusServer, reader: BenchIdentity): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  await context.addCookies([{ name: 'ap_session', value: reader.token!, url: server.url }]);
  await context.addInitScript({ content: pageCall(installPageInstruments) });
  return context;
}

const pageRecord = (page: Page) => page.evaluate(() => (window as unknown as { __apBench: PageRecord }).__apBench) as Promise<PageRecord>;

/** The seeded annotations the reader sees that have no highlight among `drawn`. */
async function undrawnVisible(page: Page, room: BenchRoom, drawn: readonly string[]): Promise<{ visible: number; missing: string[] }> {
  const visible = (await page.evaluate(pageCall(visibleSeededIds, room.seeded.spans))) as string[];
  const have = new Set(drawn);
  return { visible: visible.length, missing: visible.filter((id) => !have.has(id)) };
}

/** Refuses a paint that was not what a reader needs: every visible highlight drawn, the sidebar's counts right. */
async function checkPainted(page: Page, room: BenchRoom, record: PageRecord): Promise<{ visible: number; drawn: number }> {
  const atPaint = record.atPaint!;
  const { visible, missing } = await undrawnVisible(page, room, atPaint.drawn);
  if (visible === 0) throw new Error(`${room.room}: no seeded annotation is visible; the check found nothing to check`);
  if (missing.length > 0) throw new Error(`${room.room}: ${missing.length} of ${visible} visible annotations had no highlight when the client marked them rendered`);
  const { total, categories } = atPaint.sidebar;
  if (total !== room.seeded.count) throw new Error(`${room.room}: the sidebar counted ${total} annotations, not ${room.seeded.count}`);
  for (const [category, count] of Object.entries(room.seeded.categories)) {
    if (categories[category] !== count) throw new Error(`${room.room}: the sidebar counted ${categories[category]} ${category}, not ${count}`);
  }
  return { visible, drawn: atPaint.drawn.length };
}

/**
 * BENCH_BROWSER_PROF=DIR: CPU profiles of the page (0.5 ms sampling) while it opens a room and
 * while it scrolls, as DIR/<what>.cpuprofile (the last of each; summarise with
 * bench/lib/profile-summary.ts).
 */
async function startProfile(page: Page): Promise<CDPSession | null> {
  if (!process.env.BENCH_BROWSER_PROF) return null;
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  return session;
}

async function stopProfile(session: CDPSession | null, name: string): Promise<void> {
  if (!session) return;
  const { profile } = await session.send('Profiler.stop');
  await session.detach();
  writeFileSync(path.join(process.env.BENCH_BROWSER_PROF!, `${name}.cpuprofile`), JSON.stringify(profile));
}

/** Opens a room (or reloads it, with `url` null); resolves with the time (ms from navigation start) the visible highlights were painted. */
async function openRoom(page: Page, url: string | null, room: BenchRoom) {
  const profiling = await startProfile(page);
  if (url === null) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __apBench: PageRecord }).__apBench.atPaint !== null, undefined, { timeout: 60_000, polling: 50 });
  await stopProfile(profiling, `open-${room.room}${url === null ? '-reload' : ''}`);
  const record = await pageRecord(page);
  const checked = await checkPainted(page, room, record);
  const painted = record.highlightsPainted!;
  const opening = record.longTasks.filter((task) => task.start <= painted);
  // The room's state: the largest message on the annotation socket, when it arrived and when its task was over.
  const state = record.messages.reduce((largest, m) => (m.bytes > largest.bytes ? m : largest), { at: NaN, bytes: 0, settled: NaN as number | null });
  return {
    ms: painted,
    ...checked,
    longTasks: opening.length,
    longestTaskMs: round(Math.max(0, ...opening.map((t) => t.duration)), 1),
    stateArrivedMs: round(state.at, 1),
    stateAppliedMs: round(state.settled ?? NaN, 1),
    stateBytes: state.bytes,
  };
}

/**
 * Opens `room` in fresh contexts `times` times (a first visit: everything from the server),
 * each followed by a reload when `reload` (a returning reader: bundle cached, both documents in
 * IndexedDB).
 */
async function measureOpenings(browser: Browser, server: ApparatusServer, reader: BenchIdentity, room: BenchRoom, times: number, reload: boolean) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < times; i++) {
    const context = await readerContext(browser, server, reader);
    const page = await context.newPage();
    const opened = await openRoom(page, `${server.url}/r/${room.room}`, room);
    const reloaded = reload ? await openRoom(page, null, room) : null;
    console.log(`  ${room.room} open #${i + 1}: ${round(opened.ms, 1)} ms${reloaded ? ` (reload ${round(reloaded.ms, 1)} ms)` : ''}; state ${opened.stateBytes} B arrived ${opened.stateArrivedMs} ms, applied ${opened.stateAppliedMs} ms; ${opened.visible} visible, ${opened.drawn} drawn, longest task ${opened.longestTaskMs} ms`);
    cold.push(opened);
    if (reloaded) warm.push(reloaded);
    await context.close();
  }
  return { cold, warm };
}

/** Runs in the page: scrolls the reading pane by `step` px a frame, pausing at each fraction of `stops`; resolves with the frame gaps and where it paused. */
function scrollThrough({ step, stops }: { step: number; stops: number[] }): Promise<{ start: number; end: number; frames: number; maxFrameGapMs: number; pausedAt: number[]; pauses: Array<[number, number]> }> {
  const pane = document.querySelector('#ap-reading') as HTMLElement;
  const state = { pausedAt: [] as number[], frames: 0, maxGap: 0, pauses: [] as Array<[number, number]> };
  (window as unknown as { __apScroll: { pause: Promise<void> | null; resume: () => void } }).__apScroll = { pause: null, resume: () => {} };
  return new Promise((resolve) => {
    const start = performance.now();
    let last = start;
    let stopIndex = 0;
    const frame = () => {
      const now = performance.now();
      state.maxGap = Math.max(state.maxGap, now - last);
      last = now;
      state.frames++;
      const max = pane.scrollHeight - pane.clientHeight;
      const target = (stops[stopIndex] ?? 1) * max;
      if (pane.scrollTop + step >= target) {
        pane.scrollTop = target;
        state.pausedAt.push(Math.round(target));
        stopIndex++;
        const pausedSince = performance.now();
        // Pause: the bench checks what is drawn, then resumes (the pause is not a frame gap).
        (window as unknown as { __apScroll: { paused: boolean; resume: () => void } }).__apScroll = {
          paused: true,
          resume: () => {
            last = performance.now();
            state.pauses.push([pausedSince, last]);
            if (stopIndex >= stops.length) resolve({ start, end: performance.now(), frames: state.frames, maxFrameGapMs: Math.round(state.maxGap * 10) / 10, pausedAt: state.pausedAt, pauses: state.pauses });
            else requestAnimationFrame(frame);
          },
        };
        return;
      }
      pane.scrollTop += step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** Opens the large room and scrolls through it; at each stop, after two frames, checks that every visible annotation is drawn. */
async function measureScrolling(browser: Browser, server: ApparatusServer, reader: BenchIdentity, room: BenchRoom) {
  const context = await readerContext(browser, server, reader);
  const page = await context.newPage();
  await openRoom(page, `${server.url}/r/${room.room}`, room);
  // Let the opening's follow-up work (the assistants' analysis, idle callbacks) finish first.
  await page.waitForTimeout(3000);
  const profiling = await startProfile(page);
  if (process.env.BENCH_BROWSER_TRACE) await browser.startTracing(page, { path: process.env.BENCH_BROWSER_TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'] });
  const scrolled = page.evaluate(pageCall(scrollThrough, { step: SCROLL_STEP_PX, stops: SCROLL_STOPS })) as Promise<{ start: number; end: number; frames: number; maxFrameGapMs: number; pausedAt: number[]; pauses: Array<[number, number]> }>;
  const stops = [];
  for (let i = 0; i < SCROLL_STOPS.length; i++) {
    await page.waitForFunction(() => (window as unknown as { __apScroll?: { paused?: boolean } }).__apScroll?.paused === true, undefined, { timeout: 60_000, polling: 20 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const drawn = (await page.evaluate(() => (window as unknown as { __apDrawnIds: () => string[] }).__apDrawnIds())) as string[];
    const { visible, missing } = await undrawnVisible(page, room, drawn);
    stops.push({ at: SCROLL_STOPS[i], visible, drawn: drawn.length, missing: missing.length });
    await page.evaluate(() => {
      const scroll = (window as unknown as { __apScroll: { paused: boolean; resume: () => void } }).__apScroll;
      scroll.paused = false;
      scroll.resume();
    });
  }
  const result = await scrolled;
  await stopProfile(profiling, `scroll-${room.room}`);
  if (process.env.BENCH_BROWSER_TRACE) await browser.stopTracing();
  const record = await pageRecord(page);
  // The checks at the stops run in the page too: their tasks are the benchmark's, not the client's.
  const inPause = (task: { start: number; duration: number }) => result.pauses.some(([from, to]) => task.start + task.duration > from && task.start < to);
  const during = record.longTasks.filter((task) => task.start >= result.start && task.start <= result.end && !inPause(task));
  await context.close();
  const missing = stops.reduce((sum, stop) => sum + stop.missing, 0);
  if (missing > 0) throw new Error(`${room.room}: ${missing} visible annotations were not drawn at the scroll stops ${JSON.stringify(stops)}`);
  console.log(`  scrolled ${room.room}: ${result.frames} frames, ${during.length} tasks over 50 ms (longest ${round(Math.max(0, ...during.map((t) => t.duration)), 1)} ms), longest frame gap ${result.maxFrameGapMs} ms`);
  return {
    frames: result.frames,
    long_tasks: during.length,
    longest_task_ms: round(Math.max(0, ...during.map((t) => t.duration)), 1),
    long_task_ms: during.map((t) => round(t.duration, 1)),
    max_frame_gap_ms: result.maxFrameGapMs,
    stops,
  };
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
async function measureChanges(browser: Browser, server: ApparatusServer, reader: BenchIdentity, remote: RemoteAnnotator, change: BenchRoom) {
  const context = await readerContext(browser, server, reader);
  const page = await context.newPage();
  await openRoom(page, `${server.url}/r/${CHANGE_ROOM}`, change);
  const timings = [];
  for (let i = 0; i < changes; i++) {
    const id = newAnnotationId();
    timings.push(await timedChange(page, remote, { id, kind: 'create' }));
    timings.push(await timedChange(page, remote, { id, kind: 'resolve' }));
  }
  await context.close();
  return { timings };
}

ensureClientBuilt();
const { dataDir, open, large, change } = await prepareData();
const server = await launchApparatus(dataDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  console.log(`browser-open-5000: ${openings} openings of ${OPEN_ANNOTATIONS} annotations, ${largeOpenings} of ${LARGE_ANNOTATIONS} and a scroll through them; ${changes * 2} remote changes at ${CHANGE_ANNOTATIONS}`);
  const [openReader] = await createSessions(server.url, OPEN_ROOM, server.invites.annotator, 1);
  const opened = await measureOpenings(browser, server, openReader!, open, openings, true);
  const [largeReader] = await createSessions(server.url, LARGE_ROOM, large.invites!.annotator, 1);
  const openedLarge = await measureOpenings(browser, server, largeReader!, large, largeOpenings, false);
  const scrolling = await measureScrolling(browser, server, largeReader!, large);
  const [changeReader] = await createSessions(server.url, CHANGE_ROOM, change.invites!.annotator, 1);
  const [remoteReader] = await createSessions(server.url, CHANGE_ROOM, change.invites!.reviewer, 1);
  const remote = await RemoteAnnotator.join(server.wsBase, CHANGE_ROOM, remoteReader!);
  const changed = await measureChanges(browser, server, changeReader!, remote, change);
  // Each change was seen drawn (watchForChange); the server must hold what the remote wrote.
  const converged = await remote.serverAgrees();
  remote.leave();
  const openSpread = spreadOf(opened.cold.map((o) => o.ms));
  const reopen = spreadOf(opened.warm.map((o) => o.ms));
  const largeSpread = spreadOf(openedLarge.cold.map((o) => o.ms));
  const rerender = summarize(changed.timings.map((t) => t.rerender));
  console.log(`  open median ${openSpread.median} ms (${openSpread.min}–${openSpread.max}), reload ${reopen.median} ms; 20,000: ${largeSpread.median} ms; re-render p50 ${rerender.p50} ms, p95 ${rerender.p95} ms`);
  writeResult(run, openings, {
    annotations: OPEN_ANNOTATIONS,
    apparatus: {
      ms: openSpread.median,
      reload_ms: reopen.median,
      ms_20000: largeSpread.median,
      scroll_long_tasks: scrolling.long_tasks,
      scroll_longest_task_ms: scrolling.longest_task_ms,
      rerender_ms: rerender.p50,
      rerender_p95_ms: rerender.p95,
    },
    open: openSpread,
    reload: reopen,
    open_runs: opened.cold,
    state_bytes: { 5000: open.seeded.stateBytes, 20000: large.seeded.stateBytes },
    large: { annotations: LARGE_ANNOTATIONS, repetitions: largeOpenings, open: largeSpread, runs: openedLarge.cold, scroll: scrolling },
    rerender: { annotations: CHANGE_ANNOTATIONS, changes: changed.timings.length, task_ms: rerender, dom_ms: summarize(changed.timings.map((t) => t.dom)), frame_ms: summarize(changed.timings.map((t) => t.frame)) },
    converged,
  });
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
