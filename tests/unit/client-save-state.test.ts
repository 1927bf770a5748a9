import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoredPending, SaveTracker } from '../../client/collab/save-tracker.ts';
import { saveStatusLabel } from '../../client/components/save-status-label.ts';
import type { ConnectionSnapshot } from '../../client/collab/room-connection.ts';

/** A document with a tracker, and the "server": a replica that acknowledges what it has. */
function setup() {
  const ydoc = new Y.Doc();
  const server = new Y.Doc();
  const tracker = new SaveTracker(ydoc);
  tracker.setConnected(true);
  const sync = () => Y.applyUpdate(server, Y.encodeStateAsUpdate(ydoc));
  const ack = () => tracker.acknowledge(Y.decodeStateVector(Y.encodeStateVector(server)));
  return { ydoc, server, tracker, sync, ack };
}

describe('save tracking from stored acknowledgements', () => {
  it('counts each local change until the server says it stored it', () => {
    const { ydoc, tracker, sync, ack } = setup();
    ydoc.transact(() => ydoc.getMap('annotations').set('a', 1), 'test');
    ydoc.transact(() => ydoc.getMap('annotations').set('b', 2), 'test');
    expect(tracker.pendingCount).toBe(2);
    ack();
    expect(tracker.pendingCount).toBe(2);
    sync();
    ack();
    expect(tracker.pendingCount).toBe(0);
  });

  it('keeps a change pending when the acknowledgement covers only an earlier one', () => {
    const { ydoc, server, tracker, ack } = setup();
    ydoc.transact(() => ydoc.getMap('m').set('a', 1), 'test');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(ydoc));
    ydoc.transact(() => ydoc.getMap('m').set('b', 2), 'test');
    ack();
    expect(tracker.pendingCount).toBe(1);
  });

  it('does not count changes that came from the server', () => {
    const { server, ydoc, tracker } = setup();
    server.getMap('m').set('remote', true);
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(server));
    expect(tracker.pendingCount).toBe(0);
  });

  it('counts a deletion until an acknowledgement arrives after it was sent', () => {
    const { ydoc, tracker, sync, ack } = setup();
    ydoc.getMap('m').set('a', 1);
    sync();
    ack();
    tracker.setConnected(false);
    ydoc.transact(() => ydoc.getMap('m').delete('a'), 'test');
    expect(tracker.pendingCount).toBe(1);
    ack();
    expect(tracker.pendingCount).toBe(1);
    tracker.setConnected(true);
    sync();
    ack();
    expect(tracker.pendingCount).toBe(0);
  });

  it('restores pending changes saved before a reload and clears them once stored', () => {
    const { ydoc, tracker, server } = setup();
    ydoc.getMap('m').set('offline', 1);
    const persisted = tracker.snapshot();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(ydoc));
    const restored = new SaveTracker(reloaded, persisted);
    expect(restored.pendingCount).toBe(1);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(reloaded));
    restored.acknowledge(Y.decodeStateVector(Y.encodeStateVector(server)));
    expect(restored.pendingCount).toBe(0);
  });
});

describe('the save status wording', () => {
  const base: ConnectionSnapshot = { text: 'connected', annotations: 'connected', synced: true, pending: 0, acknowledged: true, blockedByRefusal: false };

  it('says Saved only when nothing is pending on a live connection', () => {
    expect(saveStatusLabel(base).text).toBe('Saved');
    expect(saveStatusLabel({ ...base, pending: 2 }).text).toBe('Saving…');
  });

  it('says how many changes wait while offline', () => {
    expect(saveStatusLabel({ ...base, annotations: 'offline', pending: 3 }).text).toBe('Offline — 3 changes pending');
    expect(saveStatusLabel({ ...base, text: 'offline', annotations: 'offline', pending: 1 }).text).toBe('Offline — 1 change pending');
    expect(saveStatusLabel({ ...base, annotations: 'offline' }).text).toBe('Offline — nothing unsaved');
  });

  it('shows reconnection and refusal plainly', () => {
    expect(saveStatusLabel({ ...base, annotations: 'connecting', pending: 2 }).text).toBe('Reconnecting… — 2 changes pending');
    expect(saveStatusLabel({ ...base, synced: false, text: 'connecting', annotations: 'connecting' }).text).toBe('Connecting…');
    expect(saveStatusLabel({ ...base, text: 'refused' }).tone).toBe('error');
  });

  it('says changes are not saved, rather than saving, while a refused change holds them back', () => {
    const blocked = saveStatusLabel({ ...base, pending: 3, blockedByRefusal: true });
    expect(blocked).toMatchObject({ tone: 'error', text: 'Not saved — 3 changes blocked' });
    expect(blocked.detail).toMatch(/Recover/);
  });
});

describe('the pending list read back after a reload', () => {
  const restoredDoc = () => {
    const ydoc = new Y.Doc();
    ydoc.getMap('annotations').set('unsaved', 1);
    return ydoc;
  };

  it('restores the list the last page kept, and nothing when none was kept', () => {
    const ydoc = restoredDoc();
    const kept = [{ client: 7, clock: 3, deleteOnly: false }];
    expect(restoredPending({ readable: true, value: JSON.stringify(kept) }, ydoc)).toEqual(kept);
    expect(restoredPending({ readable: true, value: undefined }, ydoc)).toEqual([]);
  });

  it('never takes an unreadable list for "nothing pending": everything held stays unconfirmed until the server covers it', () => {
    for (const stored of [{ readable: false as const }, { readable: true as const, value: '{not json' }, { readable: true as const, value: '[{"client":"x"}]' }, { readable: true as const, value: 42 }]) {
      const ydoc = restoredDoc();
      const tracker = new SaveTracker(ydoc, restoredPending(stored, ydoc));
      expect(tracker.pendingCount, JSON.stringify(stored)).toBeGreaterThan(0);
      tracker.setConnected(true);
      tracker.acknowledge(new Map());
      // The first acknowledgement that covers the whole document settles it.
      expect(tracker.pendingCount).toBeGreaterThan(0);
      tracker.acknowledge(Y.decodeStateVector(Y.encodeStateVector(ydoc)));
      expect(tracker.pendingCount).toBe(0);
    }
  });
});
