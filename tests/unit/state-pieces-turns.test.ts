import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CollabConnection } from '../../server/collab/collab-connection.ts';
import type { CollabDoc } from '../../server/collab/collab-doc.ts';
import type { Session } from '../../server/auth/identity.ts';

// Issue 20, busy room: a fresh replica of a large room is sent its state in pieces, each made
// when the previous one has left. A send's callback can run before the event loop moves on (the
// kernel took the write at once), so every piece of a 12,000-annotation room (~15–25 ms each)
// was made in one turn: a 100–250 ms stall for everyone else in the room.

describe('sending a large state in pieces', () => {
  it('makes each piece in an event-loop turn of its own, however fast the socket takes them', async () => {
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);

    // A socket that takes every write at once: its callback runs before the loop's next turn.
    const sent: Uint8Array[] = [];
    const socket = {
      readyState: WebSocket.OPEN,
      bufferedAmount: 0,
      send(message: Uint8Array, _options: unknown, callback?: (error?: Error) => void) {
        sent.push(message);
        if (callback) process.nextTick(callback);
      },
    };
    const doc = { whenStored: (answer: () => void) => answer() };
    const connection = new CollabConnection(socket as unknown as WebSocket, {} as Session, doc as unknown as CollabDoc, false, () => {});

    const turnsOfPieces: number[] = [];
    const done = new Promise<void>((resolve) => {
      function* pieces(): Generator<Uint8Array, void, void> {
        for (let i = 0; i < 5; i++) {
          turnsOfPieces.push(turn);
          yield new Uint8Array([i]);
        }
        resolve();
      }
      connection.sendInSequence(pieces());
    });
    await done;
    ticking = false;

    expect(sent).toHaveLength(5);
    for (let i = 1; i < turnsOfPieces.length; i++) expect(turnsOfPieces[i]).toBeGreaterThan(turnsOfPieces[i - 1]!);
  });
});
