import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { cardOf, highlightOf, selectWords } from './support/room-page.ts';
import { createRoom } from './support/server-process.ts';

// W1 and W2 of docs/reliability.md. Hostile strings in notes, replies and display names must show
// as text in the sidebar, the thread, the hover card and presence, in exports and after an
// import: no dialog, no script, no request for an injected resource, and (checked by the
// fixture on every page) no console error and no CSP violation.

/** Every payload sets window.__xss and opens a dialog if it ever runs. */
const CORPUS = [
  '<img src=x onerror="window.__xss=1;alert(1)">',
  '<svg onload="window.__xss=1;alert(1)"><circle r="5"></circle></svg>',
  '"><script>window.__xss=1;alert(1)</script>',
  'javascript:window.__xss=1;alert(1)',
  '<a href="javascript:window.__xss=1;alert(1)">open me</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '\u202Etxt.exe\u202C — right-to-left override',
  'zero\u200Bwidth\u200Cjoiners\u2060and\uFEFFa BOM',
  '<style>*{display:none!important}</style>',
  '${alert(1)} {{constructor.constructor("alert(1)")()}}',
];
const OWNER_NAME = '<img src=x onerror=alert(1)>';
const ANNOTATOR_NAME = '"><svg onload=alert(1)>';

/** Records dialogs (dismissed at once) and requests for resources an injected element would load. */
function watchForInjection(page: Page, found: string[]): void {
  page.on('dialog', (dialog) => {
    found.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/x' || url.protocol === 'javascript:') found.push(`request: ${request.url()}`);
  });
}

/** Checks a page for any sign a payload ran or became markup (locators pierce shadow roots). */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  for (const selector of ['img[src="x"]', 'svg[onload]', 'script:not([src])', 'iframe', 'a[href^="javascript:"]', 'style:not([data-lit])']) {
    await expect(page.locator(`ap-app ${selector}`), selector).toHaveCount(0);
  }
}

/** Writes a comment on `words` through the toolbar and its editor. */
async function comment(page: Page, words: string, note: string): Promise<void> {
  await selectWords(page, words);
  await page.keyboard.press('c');
  await page.getByRole('textbox', { name: 'Comment' }).fill(note);
  await page.keyboard.press('Control+Enter');
  await expect(cardOf(page, words.slice(0, 20))).toBeVisible();
}

test('W1: hostile notes, replies and names are text in the sidebar, thread, hover card, presence, export and after import', async ({ joinRoom, room, browser }) => {
  const found: string[] = [];
  const owner = await joinRoom('owner', OWNER_NAME);
  const annotator = await joinRoom('annotator', ANNOTATOR_NAME);
  watchForInjection(owner.page, found);
  watchForInjection(annotator.page, found);

  await comment(owner.page, 'the forced purchase of grain was abolished', CORPUS.join('\n'));
  await comment(owner.page, 'more than 90,000 court rulings were vacated', CORPUS[0]!);

  // Replies from the other user, in the thread.
  await cardOf(annotator.page, 'the forced purchase').click();
  const thread = annotator.page.locator('ap-annotation-card[expanded]');
  for (const body of [CORPUS[2]!, CORPUS[4]!]) {
    await thread.getByRole('textbox', { name: 'Reply' }).fill(body);
    await thread.getByRole('button', { name: 'Reply' }).click();
    await expect(thread).toContainText(body);
  }
  await expect(thread).toContainText(CORPUS[5]!);
  await expect(thread).toContainText(OWNER_NAME);
  await cardOf(owner.page, 'the forced purchase').click();
  await expect(owner.page.locator('ap-annotation-card[expanded]')).toContainText(ANNOTATOR_NAME);

  // The hover card over a highlight: author name and note.
  await highlightOf(annotator.page, 'court rulings were vacated').hover();
  const hover = annotator.page.locator('ap-hover-card').getByRole('tooltip');
  await expect(hover).toContainText(OWNER_NAME);
  await expect(hover).toContainText('<img src=x onerror=');

  // Presence: the other user's name as the server stamped it, as text.
  const faces = owner.page.locator('ap-presence-bar .face');
  await expect.poll(() => faces.evaluateAll((all) => all.map((face) => face.getAttribute('title')))).toContain(ANNOTATOR_NAME);

  for (const page of [owner.page, annotator.page]) await expectInert(page);

  // The printed apparatus (rendered outside ap-app, just before printing) shows them as text too.
  await owner.page.evaluate(() => (window.print = () => undefined));
  await owner.page.keyboard.press('Control+p');
  const printed = owner.page.locator('.ap-print-host');
  await expect(printed.locator('.ap-print__entry')).not.toHaveCount(0);
  for (const selector of ['img[src="x"]', 'svg[onload]', 'script', 'iframe', 'a', 'style']) await expect(printed.locator(selector), `printed ${selector}`).toHaveCount(0);
  for (const payload of CORPUS.slice(0, 3)) await expect(printed).toContainText(payload);
  await expect(printed).toContainText(OWNER_NAME);
  expect(await owner.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();

  // Exports are attachments, never rendered: no HTML type, nosniff, not cached.
  const exported: Record<string, string> = {};
  for (const format of ['native', 'w3c', 'csv']) {
    const response = await owner.page.request.get(`${room.baseUrl}/api/rooms/${room.id}/export?format=${format}`);
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(headers['content-type']).not.toMatch(/html/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-store');
    exported[format] = await response.text();
  }
  expect(exported.csv).toContain('<img src=x onerror=');
  // The printable page is HTML: escaped, and served so that a browser rendering it runs nothing.
  const print = await owner.page.request.get(`${room.baseUrl}/api/rooms/${room.id}/export?format=print`);
  expect(print.headers()['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  expect(print.headers()['content-disposition']).toMatch(/^attachment; filename="/);
  const printable = await print.text();
  expect(printable).toContain('&lt;img src=x onerror=');
  expect(printable).not.toMatch(/<img|<svg|<script|<iframe/);

  // Imported into another room, the same strings show as text there too.
  const adminToken = process.env.APPARATUS_E2E_ADMIN!;
  const otherId = `${room.id.slice(0, 50)}-import`;
  const other = await createRoom({ baseUrl: room.baseUrl, adminToken }, otherId, 'Imported');
  const imported = await owner.page.request.post(`${room.baseUrl}/api/rooms/${otherId}/import`, {
    headers: { authorization: `Bearer ${other.owner}`, 'content-type': 'application/json' },
    data: exported.native,
  });
  expect(imported.status()).toBe(200);
  const context = await browser.newContext();
  const page = await context.newPage();
  watchForInjection(page, found);
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective));`);
  await page.goto(`${room.baseUrl}/r/${otherId}?invite=${other.viewer}`);
  await page.getByLabel('Your name').fill('Reader');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(cardOf(page, 'the forced purchase')).toContainText(CORPUS[1]!);
  await cardOf(page, 'the forced purchase').click();
  await expect(page.locator('ap-annotation-card[expanded]')).toContainText(CORPUS[2]!);
  await expectInert(page);
  await context.close();

  expect(found).toEqual([]);
  expect(problems).toEqual([]);
});

test('W2: every HTML response carries the strict CSP, nosniff and no-referrer', async ({ room, request }) => {
  const pages = ['/', '/index.html', `/r/${room.id}`, `/r/${room.id}?invite=not-a-real-token`, `/r/${room.id}?invite=${room.invites.viewer}`];
  for (const path of pages) {
    const response = await request.get(`${room.baseUrl}${path}`, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
    if (!(headers['content-type'] ?? '').startsWith('text/html')) continue;
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp, `${path}: ${directive}`).toContain(directive);
    }
    expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*|ws:|wss:/);
  }
  const shell = await (await request.get(`${room.baseUrl}/`)).text();
  const built = [...shell.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
  expect(built.length).toBeGreaterThanOrEqual(3);
  for (const asset of [...built, '/sw.js', '/api/rooms/nope/me', '/healthz']) {
    const response = await request.get(`${room.baseUrl}${asset}`);
    expect(response.status(), asset).toBeLessThan(500);
    expect(response.headers()['x-content-type-options'], asset).toBe('nosniff');
  }
});

test('W1: the owner’s invite panel creates and revokes invites, showing a hostile label as text', async ({ joinRoom, request }) => {
  const found: string[] = [];
  const owner = await joinRoom('owner', 'Olga Owner');
  const viewer = await joinRoom('viewer', 'Vera Viewer');
  watchForInjection(owner.page, found);
  await expect(viewer.page.getByRole('button', { name: 'Invites' })).toHaveCount(0);

  await owner.page.getByRole('button', { name: 'Invites' }).click();
  const panel = owner.page.getByRole('dialog', { name: 'Invites' });
  await expect(panel.getByRole('list', { name: 'Invites of this room' })).toContainText('(yours)');
  await panel.getByLabel('Role').selectOption('reviewer');
  await panel.getByLabel('Lifetime').selectOption({ label: 'Expires in 7 days' });
  await panel.getByLabel('Label (optional)').fill(CORPUS[0]!);
  await panel.getByRole('button', { name: 'Create invite link' }).click();
  const link = panel.getByRole('textbox', { name: 'Invite link' });
  await expect(link).toHaveValue(/\/r\/.+\?invite=/);
  const row = panel.getByRole('listitem').filter({ hasText: CORPUS[0]! });
  await expect(row).toContainText('Reviewer');
  await expect(row).toContainText('expires');

  // The new link works until it is revoked (tried from outside the owner's browser: following it
  // there would replace the owner's session cookie).
  const url = await link.inputValue();
  expect((await request.get(url, { maxRedirects: 0 })).status()).toBe(303);
  await row.getByRole('button', { name: /^Revoke/ }).click();
  await row.getByRole('button', { name: 'Revoke access' }).click();
  await expect(row).toContainText('revoked');
  expect((await request.get(url, { maxRedirects: 0 })).status()).toBe(401);

  await expectInert(owner.page);
  expect(found).toEqual([]);
});
