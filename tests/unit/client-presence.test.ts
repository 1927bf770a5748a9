import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { listPeers, presenceUserOf, publishLocalUser } from '../../client/collab/presence.ts';
import { PRESENCE_COLOURS, presenceColourClass, presenceColourIndex } from '../../client/collab/presence-colours.ts';
import { draftToFields } from '../../client/app/annotation-draft.ts';
import { roomFromPath } from '../../client/app/room-address.ts';

describe('presence', () => {
  it('gives a user the same colour in every browser, from their user id', () => {
    const index = presenceColourIndex('u-3f2a9c0d11aa22bb');
    expect(presenceColourIndex('u-3f2a9c0d11aa22bb')).toBe(index);
    expect(presenceColourClass(index)).toBe(`ap-peer-${index}`);
    const spread = new Set(Array.from({ length: 64 }, (_, i) => presenceColourIndex(`u-${i.toString(16).padStart(16, '0')}`)));
    expect(spread.size).toBe(PRESENCE_COLOURS.length);
    expect(() => presenceColourClass(8)).toThrow(RangeError);
  });

  it('lists each person once, the local user first, even with several tabs', () => {
    const mine = new Awareness(new Y.Doc());
    publishLocalUser(mine, { userId: 'u-me', name: 'Zoe' });
    const tabA = new Awareness(new Y.Doc());
    const tabB = new Awareness(new Y.Doc());
    publishLocalUser(tabA, { userId: 'u-ada', name: 'Ada' });
    publishLocalUser(tabB, { userId: 'u-ada', name: 'Ada' });
    // Merge the other tabs' states as the network would.
    for (const other of [tabA, tabB]) mine.states.set(other.clientID, other.getLocalState()!);
    const peers = listPeers(mine);
    expect(peers.map((p) => [p.name, p.isSelf, p.clientIds.length])).toEqual([
      ['Zoe', true, 1],
      ['Ada', false, 2],
    ]);
  });

  it('reads hostile or missing awareness fields as a safe identity', () => {
    expect(presenceUserOf({ user: { name: '   ', userId: 42 } }, 7)).toMatchObject({ userId: 'client-7', name: 'Anonymous reader' });
    expect(presenceUserOf(null, 9).name).toBe('Anonymous reader');
    expect(presenceUserOf({ user: { name: 'x'.repeat(500), userId: 'u-1' } }, 1).name).toHaveLength(60);
  });
});

describe('small client rules', () => {
  it('turns a toolbar choice into annotation fields, keeping type and correction only for problems', () => {
    const base = { footnotes: [], note: 'n', correction: 'fixed', problemType: 'typo' as const };
    expect(draftToFields({ ...base, category: 'contested' })).toEqual({ kind: 'claim', claimStatus: 'contested', problemType: null, note: 'n', correction: null });
    expect(draftToFields({ ...base, category: 'problem' })).toEqual({ kind: 'problem', claimStatus: null, problemType: 'typo', note: 'n', correction: 'fixed' });
    expect(draftToFields({ ...base, category: 'problem', correction: '' }).correction).toBeNull();
    expect(draftToFields({ ...base, category: 'comment' }).kind).toBe('comment');
  });

  it('reads the room from the page address and nothing else', () => {
    expect(roomFromPath('/r/chapter-5')).toBe('chapter-5');
    expect(roomFromPath('/r/chapter-5/')).toBe('chapter-5');
    expect(roomFromPath('/r/Chapter-5')).toBeNull();
    expect(roomFromPath('/r/../admin')).toBeNull();
    expect(roomFromPath('/api/rooms/x')).toBeNull();
  });
});
