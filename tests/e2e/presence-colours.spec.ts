import { test, expect } from './support/fixtures.ts';
import type { Collaborator } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import { connectClient } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';
import { caretBefore } from './support/room-page.ts';

// Issue 13, defect 5: presence colour was a hash of the user id into 8 slots, so people present
// at once clashed (with 3 people a third of the time; with 9, always). Now each person present
// holds a slot the server gave them (the lowest free), painted alike in every browser.

/** How a page paints each person: the carets of the others in the text, and its own face. */
function looksOnPage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const lookOf = (element: Element) => [...element.classList].filter((c) => c.startsWith('ap-peer')).sort().join(' ');
    const looks: Record<string, string> = {};
    for (const caret of document.querySelectorAll('.ap-chapter .ap-remote-caret')) looks[caret.querySelector('.ap-remote-caret__label')!.textContent!] = lookOf(caret);
    const self = document.querySelector('ap-header')!.shadowRoot!.querySelector('ap-presence-bar')!.shadowRoot!.querySelector('.face.self')!;
    looks[self.getAttribute('data-peer')!] = lookOf(self);
    return looks;
  });
}

/** A reader through a stock y-websocket client, in a session of their own, with a caret in paragraph `n`. */
async function stockReader(baseUrl: string, roomId: string, invite: string, name: string, n: number): Promise<TestClient> {
  const response = await fetch(`${baseUrl}/api/rooms/${roomId}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${invite}` } });
  const { token } = (await response.json()) as { token: string };
  await fetch(`${baseUrl}/api/rooms/${roomId}/me`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const client = connectClient({ url: baseUrl, room: roomId, kind: 'text', token, acks: false });
  await client.synced();
  const paragraphs = client.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME).toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph');
  const text = paragraphs[n]!.get(0) as Y.XmlText;
  const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 4));
  client.provider.awareness.setLocalState({ user: { name }, cursor: { anchor: at, head: at } });
  return client;
}

test('ten people present at once are painted in ten different looks, each person alike in every browser', async ({ joinRoom, room }) => {
  const people = [
    { role: 'owner', name: 'Olga Owner', at: 'Younger members' },
    { role: 'annotator', name: 'Anna Annotator', at: 'Machinery and tractor' },
    { role: 'viewer', name: 'Vera Viewer', at: 'Changes also occurred' },
  ] as const;
  const browsers: Collaborator[] = [];
  for (const person of people) {
    const collaborator = await joinRoom(person.role, person.name);
    await caretBefore(collaborator.page, person.at);
    browsers.push(collaborator);
  }
  const stock: TestClient[] = [];
  try {
    for (let i = 0; i < 7; i++) stock.push(await stockReader(room.baseUrl, room.id, room.invites.annotator, `Reader ${i}`, 3 + i));
    const seen: Array<Record<string, string>> = [];
    for (const { page } of browsers) {
      // Nine carets of the others and its own face, none of them still waiting for its slot.
      await expect.poll(async () => Object.entries(await looksOnPage(page)).filter(([, look]) => look !== 'ap-peer-pending').length).toBe(10);
      seen.push(await looksOnPage(page));
    }
    for (const looks of seen) expect(new Set(Object.values(looks)).size, JSON.stringify(looks)).toBe(10);
    // Each person alike everywhere: merge the three pages' views and count looks per name.
    const merged = new Map<string, Set<string>>();
    for (const looks of seen) for (const [name, look] of Object.entries(looks)) merged.set(name, (merged.get(name) ?? new Set()).add(look));
    expect([...merged.entries()].filter(([, looks]) => looks.size !== 1)).toEqual([]);

    // Issue 17 (left over from #13): more people than fit in the bar; "+5" is a button that lists
    // everyone present, each with their look and role, opened and closed from the keyboard.
    const anna = browsers[1]!.page;
    const bar = anna.locator('ap-header ap-presence-bar');
    const more = bar.getByRole('button', { name: /^\+5/ });
    await more.focus();
    await anna.keyboard.press('Enter');
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    const everyone = bar.getByRole('region', { name: 'Everyone present (10)' });
    await expect(everyone.getByRole('listitem')).toHaveCount(10);
    const listed = await everyone.getByRole('listitem').evaluateAll((items) =>
      items.map((item) => ({
        name: item.querySelector('.who')!.textContent!.trim(),
        role: item.querySelector('.role')?.textContent?.trim() ?? null,
        look: [...item.querySelector('.face')!.classList].filter((c) => c.startsWith('ap-peer')).sort().join(' '),
      })),
    );
    expect(listed[0]).toEqual({ name: 'Anna Annotator (you)', role: 'Annotator', look: seen[1]!['Anna Annotator'] });
    expect(listed.find((p) => p.name === 'Olga Owner')).toEqual({ name: 'Olga Owner', role: 'Owner', look: seen[1]!['Olga Owner'] });
    expect(listed.find((p) => p.name === 'Vera Viewer')?.role).toBe('Viewer');
    expect(listed.filter((p) => p.name.startsWith('Reader ')).map((p) => p.role)).toEqual(Array(7).fill('Annotator'));
    for (const person of listed) expect(person.look, person.name).toBe(seen[1]![person.name.replace(' (you)', '')]);
    await anna.screenshot({ path: test.info().outputPath('presence-list-desktop.png') });
    await anna.keyboard.press('Escape');
    await expect(everyone).toHaveCount(0);
    await expect(more).toBeFocused();

    // At phone width the narrow header shows fewer faces; the list opens inside the screen.
    await anna.setViewportSize({ width: 390, height: 844 });
    const fewer = bar.getByRole('button', { name: /^\+\d+: everyone present/ });
    await fewer.click();
    await expect(everyone.getByRole('listitem')).toHaveCount(10);
    const box = (await everyone.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    await anna.screenshot({ path: test.info().outputPath('presence-list-phone.png') });
    await anna.mouse.click(200, 700);
    await expect(everyone).toHaveCount(0);
    await anna.setViewportSize({ width: 1280, height: 720 });

    // A person keeps their look while present; a newcomer after someone left takes the look freed.
    const leaving = stock.pop()!;
    const freed = seen[0]!['Reader 6'];
    leaving.destroy();
    await expect.poll(async () => Object.keys(await looksOnPage(browsers[1]!.page))).not.toContain('Reader 6');
    stock.push(await stockReader(room.baseUrl, room.id, room.invites.reviewer, 'Late Reader', 12));
    await expect.poll(async () => (await looksOnPage(browsers[1]!.page))['Late Reader']).toBe(freed);
    const now = await looksOnPage(browsers[1]!.page);
    for (const [name, look] of Object.entries(now)) if (name !== 'Late Reader') expect(look).toBe(seen[1]![name]);
  } finally {
    for (const client of stock) client.destroy();
  }
});
