import { test as base, expect } from '@playwright/test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { createRoom } from './server-process.ts';
import type { RoomInvites } from './server-process.ts';

/** A fresh room made from the fixture chapter for one test. */
export interface TestRoom {
  id: string;
  invites: RoomInvites;
  baseUrl: string;
}

/** One collaborator: their own browser context and page, in the room. */
export interface Collaborator {
  context: BrowserContext;
  page: Page;
  name: string;
}

type Role = keyof RoomInvites;

/** Opens the room as a new user in a new browser context (one context per user), optionally a phone or tablet. */
export type JoinRoom = (role: Role, name: string, contextOptions?: BrowserContextOptions) => Promise<Collaborator>;

/**
 * Fails the test on any console error, uncaught page error or CSP violation (W2), reporting
 * which page said what. Violations are reported by a listener installed before any script runs.
 */
function watchForProblems(page: Page, who: string, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${who}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${who}: page error: ${error.message}`));
}

const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline code') + ' at ' + event.sourceFile + ':' + event.lineNumber);
  });
`;

/** Where and as whom to open a room: a server, a room, an invite, a display name, browser options. */
export interface JoinTarget {
  baseUrl: string;
  roomId: string;
  invite: string;
  name: string;
  /** Browser context options: a phone or tablet (`devices[…]`), a viewport. */
  contextOptions?: BrowserContextOptions;
}

/**
 * Opens a room as a new user in a new browser context, watching it for console errors (into
 * `problems`), and waits until the chapter shows.
 */
export async function joinAs(browser: Browser, target: JoinTarget, problems: string[]): Promise<Collaborator> {
  const context = await browser.newContext(target.contextOptions ?? {});
  await context.addInitScript(REPORT_CSP_VIOLATIONS);
  const page = await context.newPage();
  watchForProblems(page, target.name, problems);
  await page.goto(`${target.baseUrl}/r/${target.roomId}?invite=${target.invite}`);
  await page.getByLabel('Your name').fill(target.name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('.ap-chapter h1')).toBeVisible();
  return { context, page, name: target.name };
}

export const test = base.extend<{ room: TestRoom; joinRoom: JoinRoom }>({
  room: async ({}, use, testInfo) => {
    const baseUrl = process.env.APPARATUS_E2E_URL;
    const adminToken = process.env.APPARATUS_E2E_ADMIN;
    if (!baseUrl || !adminToken) throw new Error('the e2e global setup did not start a server');
    const id = `e2e-${testInfo.testId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 44)}-${testInfo.repeatEachIndex}-${testInfo.retry}`;
    const invites = await createRoom({ baseUrl, adminToken }, id, '5. Stalin’s “Soft Course”');
    await use({ id, invites, baseUrl });
  },

  joinRoom: async ({ browser, room }, use) => {
    const collaborators: Collaborator[] = [];
    const problems: string[] = [];
    await use(async (role, name, contextOptions) => {
      const target: JoinTarget = { baseUrl: room.baseUrl, roomId: room.id, invite: room.invites[role], name, ...(contextOptions ? { contextOptions } : {}) };
      const collaborator = await joinAs(browser, target, problems);
      collaborators.push(collaborator);
      return collaborator;
    });
    for (const { context } of collaborators) await context.close();
    expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
  },
});

export { expect };
