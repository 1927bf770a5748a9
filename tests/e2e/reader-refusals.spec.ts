import { test, expect, joinAs } from './support/fixtures.ts';
import type { Collaborator } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { caretBefore, cardOf, selectWords, tagWords } from './support/room-page.ts';
import { createRoom, startServerProcess } from './support/server-process.ts';
import type { ServerProcess } from './support/server-process.ts';

// Issue 13, defect 1: after the owner deleted anything, every reload or reconnect of a reader
// was refused ("only the owner may change the chapter text") and showed a notice. This spec
// runs its own server, so that it can read that server's log and restart it.

const WRONG = 'This maintained an even deepened the existing disproportion';
const RIGHT = 'This maintained and even deepened the existing disproportion';

/** What one browser sent that would change a document: sync step 2s and updates with content. */
interface SentChanges {
  /** Content-bearing step 2s and updates, per document ("text", "annotations"). */
  changes: string[];
  /** How many sync step 1s the page sent on its text socket (one per (re)connection). */
  textConnections: number;
}

/** Records the sync frames a page sends: which carry content, and how often it (re)connects. */
function watchSentFrames(page: Page): SentChanges {
  const sent: SentChanges = { changes: [], textConnections: 0 };
  page.on('websocket', (socket) => {
    const doc = socket.url().includes('/text') ? 'text' : 'annotations';
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') return;
      const decoder = decoding.createDecoder(new Uint8Array(payload));
      if (decoding.readVarUint(decoder) !== 0) return;
      const subtype = decoding.readVarUint(decoder);
      const body = decoding.readVarUint8Array(decoder);
      if (subtype === 0) {
        if (doc === 'text') sent.textConnections++;
        return;
      }
      const update = Y.decodeUpdate(body);
      if (update.structs.length > 0 || update.ds.clients.size > 0) sent.changes.push(`${doc} ${subtype === 1 ? 'step 2' : 'update'}`);
    });
  });
  return sent;
}

/** Waits until a reader's page holds the room as it should: saved, no notice, every annotation drawn. */
async function expectCleanRoom(page: Page, annotations: number): Promise<void> {
  await expect(page.locator('ap-save-status .pill')).toHaveAttribute('data-tone', 'ok');
  await expect(page.locator('.ap-chapter')).toContainText(RIGHT);
  await expect
    .poll(() => page.locator('.ap-chapter [data-annotation-id]').evaluateAll((spans) => new Set(spans.map((s) => s.getAttribute('data-annotation-id'))).size))
    .toBe(annotations);
  await expect(page.locator('ap-notice .notice')).toHaveCount(0);
}

test('after the owner deletes, inserts, splits, joins and corrects, no reader’s reload, reconnect or rejoin after a restart is refused', async ({ browser }) => {
  test.setTimeout(180_000);
  let server: ServerProcess = await startServerProcess();
  const logs: string[] = [];
  const problems: string[] = [];
  const collaborators: Collaborator[] = [];
  try {
    const invites = await createRoom(server, 'first-hour', '5. Stalin’s “Soft Course”');
    const join = async (role: keyof typeof invites, name: string): Promise<Collaborator> => {
      const collaborator = await joinAs(browser, { baseUrl: server.baseUrl, roomId: 'first-hour', invite: invites[role], name }, problems);
      collaborators.push(collaborator);
      return collaborator;
    };
    const owner = await join('owner', 'Olga Owner');
    const readers = { reviewer: await join('reviewer', 'Rita Reviewer'), annotator: await join('annotator', 'Anna Annotator'), viewer: await join('viewer', 'Vera Viewer') };
    const sent = new Map(Object.values(readers).map((reader) => [reader, watchSentFrames(reader.page)]));

    // Three annotations to find drawn afterwards; accepting the problem overwrites fields (deletions in the annotation document).
    await tagWords(readers.annotator.page, 'Healthcare services for the population', '1');
    await tagWords(readers.reviewer.page, 'Younger members', '2');
    await selectWords(readers.reviewer.page, WRONG);
    await readers.reviewer.page.keyboard.press('p');
    const form = readers.reviewer.page.getByRole('dialog', { name: 'New problem' });
    await form.getByLabel('Problem type').selectOption('grammar');
    await form.getByLabel('Proposed correction').fill(RIGHT);
    await form.getByRole('button', { name: 'Create' }).click();

    // The owner deletes and inserts a character, splits a paragraph and joins it again, and applies the correction.
    await owner.page.getByRole('button', { name: 'Edit text' }).click();
    await caretBefore(owner.page, 'the working class');
    await owner.page.keyboard.press('Backspace');
    await owner.page.keyboard.type(' ');
    await owner.page.keyboard.press('Enter');
    await owner.page.keyboard.press('Backspace');
    await owner.page.getByRole('button', { name: 'Editing text' }).click();
    await cardOf(owner.page, WRONG).click();
    const card = owner.page.locator('ap-annotation-card[expanded]');
    await card.getByRole('button', { name: 'Accept' }).click();
    await card.getByRole('button', { name: 'Apply correction' }).click();
    await expect(owner.page.locator('ap-save-status .pill')).toHaveAttribute('data-tone', 'ok');
    for (const reader of Object.values(readers)) await expectCleanRoom(reader.page, 3);

    // Every reader reloads (the replica now comes from the local cache, deletions and all).
    for (const reader of Object.values(readers)) {
      await reader.page.reload();
      await expectCleanRoom(reader.page, 3);
    }
    // Every reader goes offline and comes back.
    for (const reader of Object.values(readers)) {
      await reader.context.setOffline(true);
      await expect(reader.page.locator('ap-save-status')).toContainText('Offline');
      await reader.context.setOffline(false);
      await expectCleanRoom(reader.page, 3);
    }
    // The server restarts on the same port and data; every reader reconnects by itself.
    const connectionsBefore = new Map([...sent].map(([reader, frames]) => [reader, frames.textConnections]));
    logs.push(server.output());
    await server.stop({ keepData: true });
    server = await startServerProcess({ port: Number(new URL(server.baseUrl).port), dataDir: server.dataDir, adminToken: server.adminToken });
    for (const reader of Object.values(readers)) {
      await expect.poll(() => sent.get(reader)!.textConnections, { timeout: 20_000 }).toBeGreaterThan(connectionsBefore.get(reader)!);
      await expectCleanRoom(reader.page, 3);
    }

    // Readers of the text send nothing of it; the viewer nothing of either document.
    for (const [reader, frames] of sent) {
      const mayNotWrite = reader === readers.viewer ? frames.changes : frames.changes.filter((change) => change.startsWith('text'));
      expect(mayNotWrite, `${reader.name} sent changes`).toEqual([]);
    }
  } finally {
    for (const { context } of collaborators) await context.close();
    logs.push(server.output());
    await server.stop();
  }
  expect(logs.join('\n').split('\n').filter((line) => line.includes('update-denied'))).toEqual([]);
  // While the server restarts, Chromium itself logs each refused reconnection attempt.
  const unexpected = problems.filter((problem) => !/WebSocket connection to '.*\/collab\/first-hour\/.*ERR_CONNECTION_REFUSED/.test(problem));
  expect(unexpected, 'console errors, page errors or CSP violations').toEqual([]);
});
