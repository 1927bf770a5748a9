import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DISTINCT_PRESENCE_SLOTS, PRESENCE_PALETTE, PresenceSlots, presenceLook } from '../../schema/index.ts';
import { listPeers, presenceUserOf, publishLocalUser } from '../../client/collab/presence.ts';
import { presenceClasses } from '../../client/collab/presence-colours.ts';
import { draftToFields } from '../../client/app/annotation-draft.ts';
import { roomFromPath } from '../../client/app/room-address.ts';

describe('presence', () => {
  it('gives a newcomer the lowest slot free among those present, the same to each of a person’s tabs, and frees it with their last one', () => {
    const slots = new PresenceSlots();
    expect(['ada', 'bo', 'cy'].map((user) => slots.join(user))).toEqual([0, 1, 2]);
    expect(slots.join('bo')).toBe(1);
    slots.leave('bo');
    expect(slots.slotOf('bo')).toBe(1);
    slots.leave('bo');
    expect(slots.slotOf('bo')).toBeNull();
    expect(slots.join('dee')).toBe(1);
    expect(slots.slotOf('ada')).toBe(0);
    expect(slots.slotOf('cy')).toBe(2);
  });

  it('paints a seminar of 20 (and up to 24 people) in looks that all differ: colour, then a second cue', () => {
    const looks = Array.from({ length: DISTINCT_PRESENCE_SLOTS }, (_, slot) => presenceClasses(slot));
    expect(new Set(looks).size).toBe(24);
    expect(presenceClasses(3)).toBe('ap-peer-3');
    expect(presenceClasses(15)).toBe('ap-peer-3 ap-peer--alt');
    expect(presenceClasses(null)).toBe('ap-peer-pending');
    expect(presenceLook(13)).toEqual({ colourIndex: 1, patterned: true, colour: PRESENCE_PALETTE[1] });
    expect(() => presenceLook(-1)).toThrow(RangeError);
  });

  it('defines every palette colour for its class in app.css (the page’s carets and selections)', () => {
    const css = readFileSync(path.resolve(import.meta.dirname, '../../client/static/app.css'), 'utf8');
    PRESENCE_PALETTE.forEach((colour, i) => expect(css).toContain(`.ap-peer-${i} { --peer: ${colour};`));
  });

  it('lists each person once, the local user first, even with several tabs', () => {
    const mine = new Awareness(new Y.Doc());
    publishLocalUser(mine, { userId: 'u-me', name: 'Zoe', role: 'owner' });
    const tabA = new Awareness(new Y.Doc());
    const tabB = new Awareness(new Y.Doc());
    publishLocalUser(tabA, { userId: 'u-ada', name: 'Ada' });
    publishLocalUser(tabB, { userId: 'u-ada', name: 'Ada' });
    // Merge the other tabs' states as the network would.
    for (const other of [tabA, tabB]) mine.states.set(other.clientID, other.getLocalState()!);
    const peers = listPeers(mine);
    expect(peers.map((p) => [p.name, p.isSelf, p.clientIds.length, p.role])).toEqual([
      ['Zoe', true, 1, 'owner'],
      ['Ada', false, 2, null],
    ]);
  });

  it('reads hostile or missing awareness fields as a safe identity', () => {
    expect(presenceUserOf({ user: { name: '   ', userId: 42, slot: -1 } }, 7)).toMatchObject({ userId: 'client-7', name: 'Anonymous reader', slot: null });
    expect(presenceUserOf({ user: { name: 'Ada', userId: 'u-1', slot: 4 } }, 7).slot).toBe(4);
    expect(presenceUserOf({ user: { name: 'Ada', userId: 'u-1', slot: '4' } }, 7).slot).toBeNull();
    expect(presenceUserOf(null, 9).name).toBe('Anonymous reader');
    expect(presenceUserOf({ user: { name: 'x'.repeat(500), userId: 'u-1' } }, 1).name).toHaveLength(60);
    expect(presenceUserOf({ user: { name: 'Ada', userId: 'u-1', role: 'reviewer' } }, 1).role).toBe('reviewer');
    expect(presenceUserOf({ user: { name: 'Ada', userId: 'u-1', role: 'admin' } }, 1).role).toBeNull();
  });
});

describe('small client rules', () => {
  it('turns a toolbar choice into annotation fields, keeping type and correction only for problems', () => {
    const base = { footnotes: [], note: 'n', correction: 'fixed', problemType: 'typo' as const, proposeDeletion: false };
    expect(draftToFields({ ...base, category: 'contested' })).toEqual({ kind: 'claim', claimStatus: 'contested', problemType: null, note: 'n', correction: null });
    expect(draftToFields({ ...base, category: 'problem' })).toEqual({ kind: 'problem', claimStatus: null, problemType: 'typo', note: 'n', correction: 'fixed' });
    expect(draftToFields({ ...base, category: 'problem', correction: '' }).correction).toBeNull();
    expect(draftToFields({ ...base, category: 'comment' }).kind).toBe('comment');
    // A proposed deletion is the correction "" (the model's "delete the quote"), whatever was typed.
    expect(draftToFields({ ...base, category: 'problem', proposeDeletion: true }).correction).toBe('');
    expect(draftToFields({ ...base, category: 'comment', proposeDeletion: true }).correction).toBeNull();
  });

  it('reads the room from the page address and nothing else', () => {
    expect(roomFromPath('/r/chapter-5')).toBe('chapter-5');
    expect(roomFromPath('/r/chapter-5/')).toBe('chapter-5');
    expect(roomFromPath('/r/Chapter-5')).toBeNull();
    expect(roomFromPath('/r/../admin')).toBeNull();
    expect(roomFromPath('/api/rooms/x')).toBeNull();
  });
});
