/**
 * "Since last session": the seminar leader marks the end of a session (after class) and the view
 * can count only what was written since. Kept in this browser's storage per scope: a room id for
 * a chapter's view, `seminar/<id>` for a seminar's overview (room ids hold no slash).
 */

const key = (scope: string): string => `apparatus.session-mark.${scope}`;

/** The scope of a seminar's overview. */
export function seminarScope(seminarId: string): string {
  return `seminar/${seminarId}`;
}

/** The time of the last session mark in `scope` (a room id, or `seminarScope(id)`), or null. */
export function lastSessionMark(scope: string): string | null {
  try {
    const value = localStorage.getItem(key(scope));
    return value !== null && !Number.isNaN(Date.parse(value)) ? value : null;
  } catch {
    return null;
  }
}

/** Marks the end of a session in `scope` now; returns the time stored. */
export function markSession(scope: string, at = new Date()): string {
  const iso = at.toISOString();
  try {
    localStorage.setItem(key(scope), iso);
  } catch {
    // Storage can be disabled: the mark then lasts until the page is closed.
  }
  return iso;
}
