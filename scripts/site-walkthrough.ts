// Walks through the site around the rooms in Chromium and takes a screenshot of every page at
// desktop (1280×800) and phone (390×844) width: first start, home, seminar (chapters, upload
// preview, roster, invite links), an invite link as a guest, sign-in, account. For looking at
// what was built; the figures README shows come from scripts/screenshots.ts.
//
//   node --import tsx scripts/site-walkthrough.ts [out-dir]   (default /tmp/apparatus-site)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { buildClient, freePort } from '../tests/e2e/support/server-process.ts';

const root = path.resolve(import.meta.dirname, '..');
const { positionals } = parseArgs({ allowPositionals: true });
const out = path.resolve(positionals[0] ?? '/tmp/apparatus-site');
mkdirSync(out, { recursive: true });
buildClient();
const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-walk-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ADMIN_TOKEN: 'walkthrough-admin-token-123' }, stdio: ['ignore', 'pipe', 'pipe'] });
const setupUrl = await new Promise<string>((resolve, reject) => {
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const match = /create the administrator account[^:]*: (\S+)/.exec(text);
    if (match && text.includes('listening')) resolve(match[1]!);
  });
  child.stderr!.resume();
  child.once('exit', () => reject(new Error(text)));
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const shots: string[] = [];

/** A screenshot of the page at desktop and phone width. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height, suffix] of [[1280, 800, 'desktop'], [390, 844, 'phone']] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    const file = path.join(out, `${name}-${suffix}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

try {
  const lecturer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const problems: string[] = [];
  lecturer.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await lecturer.goto(`http://127.0.0.1:${port}/`);
  await lecturer.getByRole('heading', { name: 'Welcome to Apparatus' }).waitFor();
  await shoot(lecturer, '01-welcome');
  await lecturer.goto(setupUrl);
  await lecturer.getByRole('heading', { name: 'Set up Apparatus' }).waitFor();
  await shoot(lecturer, '02-setup');
  await lecturer.getByLabel('Your name').fill('Lena Lecturer');
  await lecturer.getByLabel('Email address').fill('lena@university.example');
  await lecturer.getByLabel('Password').fill('a long enough passphrase');
  await lecturer.getByRole('button', { name: 'Create administrator account' }).click();
  await lecturer.getByRole('heading', { name: 'Your seminars' }).waitFor();
  await shoot(lecturer, '03-home-empty');
  await lecturer.getByLabel('Title of the new seminar').fill('History 204: The Soviet 1930s');
  await lecturer.getByRole('button', { name: 'Create seminar' }).click();
  await lecturer.getByRole('heading', { name: 'History 204: The Soviet 1930s' }).waitFor();
  await shoot(lecturer, '04-seminar-empty');
  await lecturer.locator('#chapter-file').setInputFiles(path.join(root, 'fixtures/chapter-5.txt'));
  await lecturer.getByText('Here is what Apparatus found').waitFor();
  await shoot(lecturer, '05-upload-preview');
  await lecturer.getByRole('button', { name: 'Create chapter' }).click();
  await lecturer.getByRole('status').filter({ hasText: 'created.' }).waitFor();
  await lecturer.locator('#chapter-file').setInputFiles({ name: 'chapter-6.md', mimeType: 'text/markdown', buffer: Buffer.from('# 6. The Great Break\n\nCollectivisation began in *1929*.[^1] Its cost was high.[^2]\n\n## Famine\n\nGrain was taken.[^3]\n\n[^1]: Davies, p. 12.\n[^2]: Ibid., p. 40.\n[^3]: Conquest, p. 7.\n[^4]: An unused note.\n') });
  await lecturer.getByText('Here is what Apparatus found').waitFor();
  await shoot(lecturer, '06-upload-preview-markdown');
  await lecturer.getByRole('button', { name: 'Create chapter' }).click();
  await lecturer.getByRole('status').filter({ hasText: 'created.' }).waitFor();
  await lecturer.getByRole('button', { name: 'Create link' }).click();
  const inviteUrl = await lecturer.locator('#new-link').inputValue();
  await shoot(lecturer, '07-seminar-with-chapters');

  const student = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await student.goto(inviteUrl);
  await student.getByRole('button', { name: 'Join as a guest' }).waitFor();
  await shoot(student, '08-join');
  await student.getByLabel('Your name').fill('Sam Student');
  await student.getByRole('button', { name: 'Join as a guest' }).click();
  await student.getByRole('heading', { name: 'History 204: The Soviet 1930s' }).waitFor();
  await shoot(student, '09-seminar-as-guest');
  await student.getByRole('link', { name: /Soft Course/ }).click();
  await student.locator('.ap-chapter h1').waitFor();
  await student.screenshot({ path: path.join(out, '09b-room-as-guest-desktop.png') });
  shots.push(path.join(out, '09b-room-as-guest-desktop.png'));
  await student.goBack();
  await student.goto(`http://127.0.0.1:${port}/sign-up?return=/`);
  await student.getByRole('heading', { name: 'Create your account' }).waitFor();
  await shoot(student, '10-sign-up-as-guest');
  await student.goto(`http://127.0.0.1:${port}/account`);
  await shoot(student, '11-account-guest');

  await lecturer.reload();
  await lecturer.getByRole('heading', { name: 'Members' }).waitFor();
  await shoot(lecturer, '12-seminar-roster');
  await lecturer.goto(`http://127.0.0.1:${port}/account`);
  await lecturer.getByRole('heading', { name: 'Your account' }).waitFor();
  await shoot(lecturer, '13-account');
  await lecturer.goto(`http://127.0.0.1:${port}/`);
  await lecturer.getByRole('heading', { name: 'Your seminars' }).waitFor();
  await lecturer.waitForTimeout(300);
  await shoot(lecturer, '14-home');
  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await visitor.goto(`http://127.0.0.1:${port}/sign-in`);
  await visitor.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shoot(visitor, '15-sign-in');
  if (problems.length > 0) console.error(problems.join('\n'));
} finally {
  await browser.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(shots.join('\n'));
