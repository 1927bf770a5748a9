// accounts: sign-in and the pages around the rooms, against the real server (server/main.ts,
// pinned to the server core).
//   - sign-in: sequential sign-ins of one account (p50/p99 of the HTTP round trip, scrypt at the
//     OWASP parameters included), and a burst of simultaneous sign-ins (a class arriving);
//   - the home page of a lecturer with 50 seminars × 20 chapters: `GET /api/seminars` (p50/p99),
//     the seminar page of 20 chapters (`GET /api/seminars/<id>`, cold: counts taken from the
//     stored documents the first time; warm: from room_stats), and the home page in Chromium
//     until all 50 seminars are drawn (fresh context each time).
//   node --import tsx bench/scenarios/accounts.ts [--quick] [--repetitions N]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { launchApparatus } from '../lib/bench-servers.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';
import type { Summary } from '../lib/stats.ts';

const options = scenarioOptions();
const run = beginScenario('accounts', options.quick);
const repetitions = options.repetitions ?? (options.quick ? 1 : 3);
const SIGN_INS = options.quick ? 20 : 60;
const BURST = 20;
const SEMINARS = 50;
const CHAPTERS = 20;
const PASSWORD = 'benchmark passphrase 123';
const CHAPTER = (n: number) => new TextEncoder().encode(`# Chapter ${n}\n\nThe first plan was announced in 1928.[^1] It was declared fulfilled early.\n\n[^1]: Davies, p. 12.\n`);

/** A cookie-holding client of one server, sending the server's own Origin as a page would. */
function client(base: string) {
  let cookie = '';
  return async (method: string, pathname: string, body?: unknown): Promise<{ status: number; ms: number; json: any }> => {
    const headers: Record<string, string> = { origin: base };
    if (cookie) headers.cookie = cookie;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const started = performance.now();
    const response = await fetch(`${base}${pathname}`, { method, headers, body: payload });
    const json = await response.json();
    const ms = performance.now() - started;
    const set = response.headers.getSetCookie().find((c) => c.startsWith('ap_session='));
    if (set) cookie = set.split(';')[0]!;
    return { status: response.status, ms, json };
  };
}

async function oneRepetition(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-accounts-'));
  const server = await launchApparatus(dataDir, { SIGN_IN_ATTEMPTS_PER_ADDRESS: '1000000', SIGN_IN_FAILURES_PER_ACCOUNT: '1000' });
  try {
    const setupUrl = /create the administrator account[^:]*: (\S+)/.exec(server.process.output())?.[1];
    if (!setupUrl) throw new Error('the server printed no setup link');
    const lecturer = client(server.url);
    const setup = await lecturer('POST', '/api/auth/setup', { token: new URL(setupUrl).hash.slice(1), email: 'lecturer@bench.example', name: 'Lecturer', password: PASSWORD });
    if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.json)}`);

    // Sign-in, one after another, then a burst.
    const sequential: number[] = [];
    for (let i = 0; i < SIGN_INS; i++) {
      const answer = await client(server.url)('POST', '/api/auth/sign-in', { email: 'lecturer@bench.example', password: PASSWORD });
      if (answer.status !== 200) throw new Error(`sign-in: ${answer.status}`);
      sequential.push(answer.ms);
    }
    const burst = await Promise.all(Array.from({ length: BURST }, () => client(server.url)('POST', '/api/auth/sign-in', { email: 'lecturer@bench.example', password: PASSWORD })));
    if (burst.some((answer) => answer.status !== 200)) throw new Error('a sign-in of the burst failed');
    const wrong: number[] = [];
    for (let i = 0; i < Math.min(20, SIGN_INS); i++) wrong.push((await client(server.url)('POST', '/api/auth/sign-in', { email: `nobody-${i}@bench.example`, password: PASSWORD })).ms);

    // 50 seminars × 20 chapters, made through the API as a lecturer would (uploads).
    const seedStarted = performance.now();
    const seminars: string[] = [];
    for (let s = 0; s < SEMINARS; s++) {
      const created = await lecturer('POST', '/api/seminars', { title: `Seminar ${String(s + 1).padStart(2, '0')}` });
      seminars.push(created.json.seminar.id);
      for (let c = 0; c < CHAPTERS; c++) {
        const chapter = await lecturer('POST', `/api/seminars/${created.json.seminar.id}/chapters?name=chapter-${c + 1}.md`, CHAPTER(c + 1));
        if (chapter.status !== 201) throw new Error(`upload: ${chapter.status} ${JSON.stringify(chapter.json)}`);
      }
    }
    const seedS = (performance.now() - seedStarted) / 1000;

    const home: number[] = [];
    for (let i = 0; i < 50; i++) {
      const answer = await lecturer('GET', '/api/seminars');
      if (answer.json.seminars.length !== SEMINARS) throw new Error('the home page lists the wrong number of seminars');
      home.push(answer.ms);
    }
    const seminarCold: number[] = [];
    for (const id of seminars.slice(0, 10)) seminarCold.push((await lecturer('GET', `/api/seminars/${id}`)).ms);
    const seminarWarm: number[] = [];
    for (let i = 0; i < 50; i++) {
      const answer = await lecturer('GET', `/api/seminars/${seminars[i % 10]}`);
      if (answer.json.chapters.length !== CHAPTERS) throw new Error('the seminar page lists the wrong number of chapters');
      seminarWarm.push(answer.ms);
    }

    // The home page in the browser, fresh context each time, until all 50 seminars are drawn.
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const rendered: number[] = [];
    try {
      const cookie = (await lecturer('GET', '/api/auth/state')).json.person ? await sessionCookieOf(server.url) : null;
      for (let i = 0; i < (options.quick ? 3 : 5); i++) {
        const context = await browser.newContext();
        await context.addCookies([{ name: 'ap_session', value: cookie!, url: server.url }]);
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await page.waitForFunction((n) => document.querySelector('ap-app ap-site')?.shadowRoot?.querySelector('ap-home-page')?.shadowRoot?.querySelectorAll('.seminar').length === n, SEMINARS, { polling: 'raf' });
        rendered.push(await page.evaluate(() => performance.now()));
        await context.close();
      }
    } finally {
      await browser.close();
    }
    return { sequential: summarize(sequential), burst: summarize(burst.map((a) => a.ms)), unknownAddress: summarize(wrong), home: summarize(home), seminarCold: summarize(seminarCold), seminarWarm: summarize(seminarWarm), rendered: summarize(rendered), seedS: round(seedS, 1) };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  /** Signs the lecturer in once more and returns the session cookie's value, for the browser. */
  async function sessionCookieOf(base: string): Promise<string> {
    const response = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lecturer@bench.example', password: PASSWORD }) });
    return /ap_session=([^;]+)/.exec(response.headers.getSetCookie().join('; '))![1]!;
  }
}

const runs: Array<Record<string, any>> = [];
for (let i = 0; i < repetitions; i++) {
  const figures = await oneRepetition();
  runs.push(figures);
  const s = figures as Record<string, Summary>;
  console.log(`run ${i + 1}: sign-in p50 ${s.sequential!.p50} ms p99 ${s.sequential!.p99} ms; burst of ${BURST} p50 ${s.burst!.p50} p99 ${s.burst!.p99}; home API p50 ${s.home!.p50} p99 ${s.home!.p99}; rendered p50 ${s.rendered!.p50} ms`);
}
const pick = (key: string, field: keyof Summary) => spreadOf(runs.map((r) => (r[key] as Summary)[field]));
writeResult(run, repetitions, {
  sign_in: { sequential: SIGN_INS, burst: BURST, p50_ms: pick('sequential', 'p50'), p99_ms: pick('sequential', 'p99'), burst_p50_ms: pick('burst', 'p50'), burst_p99_ms: pick('burst', 'p99'), unknown_address_p50_ms: pick('unknownAddress', 'p50') },
  home: { seminars: SEMINARS, chapters_each: CHAPTERS, api_p50_ms: pick('home', 'p50'), api_p99_ms: pick('home', 'p99'), seminar_page_cold_p50_ms: pick('seminarCold', 'p50'), seminar_page_warm_p50_ms: pick('seminarWarm', 'p50'), seminar_page_warm_p99_ms: pick('seminarWarm', 'p99'), rendered_p50_ms: pick('rendered', 'p50'), seed_s: spreadOf(runs.map((r) => r.seedS as number)) },
  apparatus: {
    sign_in_p50_ms: pick('sequential', 'p50').median,
    sign_in_p99_ms: pick('sequential', 'p99').median,
    home_api_p99_ms: pick('home', 'p99').median,
    home_rendered_ms: pick('rendered', 'p50').median,
  },
  runs,
});
