const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// toLocaleString() and friends build a new ICU formatter on every call (a sidebar of cards
// spent ~2 ms per card on it in Chromium): the formatters are made once, with the same options.
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const fullTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** Words a past moment relative to `now`: "just now", "5 min ago", "3 h ago", "12 Mar". */
export function formatRelativeTime(at: number, now: number = Date.now()): string {
  if (!Number.isFinite(at)) return '';
  const age = Math.max(0, now - at);
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  const date = new Date(at);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return (sameYear ? dayMonth : dayMonthYear).format(date);
}

/** The full date and time, for tooltips. */
export function formatFullTime(at: number): string {
  return Number.isFinite(at) ? fullTime.format(at) : '';
}
