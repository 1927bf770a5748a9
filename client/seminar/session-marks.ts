/**
 * "Since last session": the seminar leader marks the end of a session (after class) and the view
 * can count only what was written since. Kept per room in this browser's storage.
 */

const key = (room: string): string => `apparatus.session-mark.${room}`;

/** The time of the last session mark in `room`, or null. */
export function lastSessionMark(room: string): string | null {
  try {
    const value = localStorage.getItem(key(room));
    return value !== null && !Number.isNaN(Date.parse(value)) ? value : null;
  } catch {
    return null;
  }
}

/** Marks the end of a session now; returns the time stored. */
export function markSession(room: string, at = new Date()): string {
  const iso = at.toISOString();
  try {
    localStorage.setItem(key(room), iso);
  } catch {
    // Storage can be disabled: the mark then lasts until the page is closed.
  }
  return iso;
}
