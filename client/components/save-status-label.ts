import type { ConnectionSnapshot } from '../collab/room-connection.ts';

/** How the save status reads and which colour it takes. */
export interface SaveStatusLabel {
  tone: 'ok' | 'busy' | 'offline' | 'error';
  text: string;
  /** A longer explanation for the tooltip and screen readers. */
  detail: string;
}

function changes(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

/**
 * Words the connection snapshot honestly: "Saved" only when the server has confirmed
 * storing every local change, "Saving…" while confirmations are outstanding, and
 * "Offline — N changes pending" when changes wait for the connection, and "Not saved" when a
 * refused change holds the others back.
 */
export function saveStatusLabel(s: ConnectionSnapshot): SaveStatusLabel {
  if (s.text === 'refused' || s.annotations === 'refused') {
    return { tone: 'error', text: 'Access refused', detail: 'The server refused this session; changes cannot be saved.' };
  }
  if (s.blockedByRefusal) {
    return {
      tone: 'error',
      text: `Not saved — ${changes(s.pending)} blocked`,
      detail: 'The server refused one of your changes, and the ones after it wait behind it. They are safe in this browser: use Recover in the notice to save them.',
    };
  }
  const connected = s.text === 'connected' && s.annotations === 'connected';
  const offline = s.text === 'offline' || s.annotations === 'offline';
  if (offline || (!connected && s.synced)) {
    const what = offline ? 'Offline' : 'Reconnecting…';
    if (s.pending === 0) return { tone: 'offline', text: `${what} — nothing unsaved`, detail: 'Every change you made is stored on the server.' };
    return {
      tone: 'offline',
      text: `${what} — ${changes(s.pending)} pending`,
      detail: `${changes(s.pending)} are kept in this browser and will be sent when the connection returns.`,
    };
  }
  if (!connected || !s.synced) return { tone: 'busy', text: 'Connecting…', detail: 'Connecting to the room.' };
  if (s.pending > 0) return { tone: 'busy', text: 'Saving…', detail: `Waiting for the server to confirm ${changes(s.pending)}.` };
  return { tone: 'ok', text: 'Saved', detail: 'Every change is stored on the server.' };
}
