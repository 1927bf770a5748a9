// seminar-view: the owner's seminar view of a chapter that 30 people annotated 100 times each
// (3,000 annotations, 60 % of them claims on whole sentences, a reply to one in five). Measures
// (1) the view's render: from asking to show it to the paint of the frame that shows the people
// table, the heat strip and the agreement report, in a room already open, drawn and settled (the
// page was idle once: the view computes its figures unseen then); and (2) a
// remote change (another reader's new annotation on the shared layer): from its message's arrival
// to the people table showing it, and how many frames that took. The browser runs on the load
// core, the server on the other. Writes bench/results/seminar-view.json.
//   node --import tsx bench/scenarios/seminar-view.ts [--quick] [--repetitions N]
// BENCH_SEMINAR_PROFILE=FILE writes a Chromium CPU profile of the first page's remote changes
// (summarise it with bench/lib/profile-summary.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { newAnnotationId } from '../../schema/annotations/model.ts';
import { launchApparatus } from '../lib/bench-servers.ts';
import type { ApparatusServer } from '../lib/bench-servers.ts';
import { seedClassroom } from '../lib/classroom-seeding.ts';
import { ensureClientBuilt } from '../lib/client-build.ts';
import { installPageInstruments, pageCall } from '../lib/page-instruments.ts';
import type { PageRecord } from '../lib/page-instruments.ts';
import { RemoteAnnotator } from '../lib/remote-annotator.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { createSessions } from '../lib/room-sessions.ts';
import type { BenchIdentity } from '../lib/room-sessions.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';

const ROOM = 'chapter-5';
const READERS = 30;
const PER_READER = 100;
const options = scenarioOptions();
const run = beginScenario('seminar-view', options.quick);
const openings = options.repetitions ?? (options.quick ? 3 : 7);
const changes = options.quick ? 10 : 30;

/** The page side of the measurements (runs in the page; functions are sent as text). */
interface SeminarProbe {
  /** Shows the view; resolves with ms from the call to the DOM holding `rows` people, and to the paint after. */
  render(rows: number): Promise<{ dom: number; painted: number; computeMs: number }>;
  /** Watches the people table for `userId`'s annotation count to reach `count`. */
  watch(userId: string, count: number): Promise<{ dom: number; painted: number; frames: number }>;
  /** How many frames began after `from` and up to `to` (performance.now() times). */
  framesBetween(from: number, to: number): number;
}

/** Installs `window.__apSeminar` in the page (after the room opened). */
function installSeminarProbe(): void {
  type App = HTMLElement & { seminar: { show(): void; model: { figures: { computeMs: number } | null } } | null };
  const app = document.querySelector('ap-app') as App;
  // The start of every frame (its requestAnimationFrame callbacks), to count the frames a change took.
  const frames: number[] = [];
  const tick = (now: number): void => {
    frames.push(now);
    if (frames.length > 4000) frames.splice(0, 2000);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const table = (): ShadowRoot | null => document.querySelector('ap-seminar-view')?.shadowRoot?.querySelector('ap-people-table')?.shadowRoot ?? null;
  const afterPaint = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
  const until = (check: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const poll = (): void => (check() ? resolve() : void requestAnimationFrame(poll));
      // Checked in a microtask too: the DOM can change between frames (a socket message's task).
      const observer = new MutationObserver(() => {
        if (!check()) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(document, { subtree: true, childList: true });
      poll();
    });
  const probe: SeminarProbe = {
    async render(rows) {
      const started = performance.now();
      app.seminar!.show();
      await until(() => (table()?.querySelectorAll('tbody tr').length ?? 0) >= rows && !!document.querySelector('ap-seminar-view')?.shadowRoot?.querySelector('ap-agreement-panel'));
      const dom = performance.now();
      const painted = await afterPaint();
      return { dom: dom - started, painted: painted - started, computeMs: app.seminar!.model.figures?.computeMs ?? -1 };
    },
    watch(userId, count) {
      const cell = () => table()?.querySelector(`tr[data-user="${userId}"] td[data-column="annotations"]`)?.textContent?.trim();
      return new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (cell() !== String(count)) return;
          const dom = performance.now();
          observer.disconnect();
          void afterPaint().then((painted) => resolve({ dom, painted, frames: 0 }));
        });
        observer.observe(table()!, { subtree: true, childList: true, characterData: true });
      });
    },
    framesBetween(from, to) {
      // Frames that began after the message arrived, up to the one whose callbacks changed the DOM.
      return frames.filter((at) => at > from && at <= to).length;
    },
  };
  (window as unknown as { __apSeminar: SeminarProbe }).__apSeminar = probe;
}

async function prepareData(): Promise<{ dataDir: string; seeded: { annotations: number; replies: number } }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const server = await launchApparatus(dataDir);
  await server.stop();
  return { dataDir, seeded: await seedClassroom(dataDir, ROOM, READERS, PER_READER) };
}

async function ownerPage(browser: Browser, server: ApparatusServer, owner: BenchIdentity): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
  await context.addCookies([{ name: 'ap_session', value: owner.token!, url: server.url }]);
  await context.addInitScript({ content: pageCall(installPageInstruments) });
  const page = await context.newPage();
  await page.goto(`${server.url}/r/${ROOM}`);
  await page.waitForFunction(() => (window as unknown as { __apBench: PageRecord }).__apBench.highlightsPainted !== null, undefined, { timeout: 60_000, polling: 50 });
  // As a lecturer would: the room has settled (the page idle once, when the view's first
  // computation runs unseen) before the Seminar button is pressed.
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => requestIdleCallback(resolve))));
  await page.evaluate(pageCall(installSeminarProbe));
  return page;
}

/** One remote change: the page watches, the remote reader writes, the page reports when the table showed it. */
async function timedChange(page: Page, remote: RemoteAnnotator, userId: string, count: number): Promise<{ dom: number; painted: number; frames: number; task: number }> {
  await page.evaluate(({ userId, count }) => void ((window as unknown as { __apWatch2: unknown }).__apWatch2 = (window as unknown as { __apSeminar: SeminarProbe }).__apSeminar.watch(userId, count)), { userId, count });
  remote.create(newAnnotationId());
  const shown = (await page.evaluate('window.__apWatch2')) as { dom: number; painted: number; frames: number };
  const record = (await page.evaluate(() => (window as unknown as { __apBench: PageRecord }).__apBench)) as PageRecord;
  const message = record.messages.filter((m) => m.at <= shown.dom).pop();
  if (!message || message.settled === null) throw new Error('no annotation message was seen before the table changed');
  const frames = (await page.evaluate(`window.__apSeminar.framesBetween(${message.at}, ${shown.dom})`)) as number;
  return { dom: shown.dom - message.at, painted: shown.painted - message.at, frames, task: message.settled - message.at };
}

ensureClientBuilt();
const { dataDir, seeded } = await prepareData();
const server = await launchApparatus(dataDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  console.log(`seminar-view: ${READERS} people × ${PER_READER} annotations (${seeded.annotations}, ${seeded.replies} replies); ${openings} renders, ${changes} remote changes each`);
  const [owner] = await createSessions(server.url, ROOM, server.invites.owner, 1);
  const [remoteReader] = await createSessions(server.url, ROOM, server.invites.reviewer, 1);
  const remote = await RemoteAnnotator.join(server.wsBase, ROOM, remoteReader!);
  const renders: { dom: number; painted: number; computeMs: number }[] = [];
  const updates: { dom: number; painted: number; frames: number; task: number }[] = [];
  let written = 0;
  for (let i = 0; i < openings; i++) {
    const page = await ownerPage(browser, server, owner!);
    const rendered = (await page.evaluate(`window.__apSeminar.render(${READERS})`)) as { dom: number; painted: number; computeMs: number };
    renders.push(rendered);
    const profiler = process.env.BENCH_SEMINAR_PROFILE && i === 0 ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    for (let c = 0; c < changes; c++) updates.push(await timedChange(page, remote, remoteReader!.userId, ++written));
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      writeFileSync(process.env.BENCH_SEMINAR_PROFILE!, JSON.stringify(profile));
      console.log(`  wrote a CPU profile of the remote changes to ${process.env.BENCH_SEMINAR_PROFILE}`);
    }
    const last = updates.slice(-changes);
    console.log(`  render #${i + 1}: ${round(rendered.painted, 1)} ms to paint (compute ${round(rendered.computeMs, 1)} ms); update p50 ${summarize(last.map((u) => u.painted)).p50} ms to paint, ${Math.max(...last.map((u) => u.frames))} frame(s) at most`);
    await page.context().close();
  }
  const converged = await remote.serverAgrees();
  remote.leave();
  const render = spreadOf(renders.map((r) => r.painted));
  const painted = summarize(updates.map((u) => u.painted));
  const frames = summarize(updates.map((u) => u.frames));
  writeResult(run, openings, {
    people: READERS,
    annotations: seeded.annotations,
    replies: seeded.replies,
    apparatus: { render_ms: render.median, update_paint_p50_ms: painted.p50, update_paint_p95_ms: painted.p95, update_frames_p95: frames.p95, update_frames_max: Math.max(...updates.map((u) => u.frames)) },
    render,
    render_dom_ms: spreadOf(renders.map((r) => r.dom)),
    compute_ms: spreadOf(renders.map((r) => r.computeMs)),
    update: { changes: updates.length, task_ms: summarize(updates.map((u) => u.task)), dom_ms: summarize(updates.map((u) => u.dom)), paint_ms: painted, frames },
    converged,
  });
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
