import type { DateRange } from '../../schema/index.ts';

/**
 * The time ranges the seminar views filter by: all time, since the last session mark, today,
 * the last 7 days, or a custom range; shared by a chapter's view and a seminar's overview.
 */

/** The range presets of the filter. */
export type RangePreset = 'all' | 'session' | 'today' | 'week' | 'custom';

/** The presets in the order the filter offers them, with their labels. */
export const RANGE_PRESETS: readonly { preset: RangePreset; label: string }[] = [
  { preset: 'all', label: 'All time' },
  { preset: 'session', label: 'Since last session' },
  { preset: 'today', label: 'Today' },
  { preset: 'week', label: 'Last 7 days' },
  { preset: 'custom', label: 'Custom' },
];

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The range a preset stands for at `now`: "since last session" counts from `lastSession` (all
 * time when there is none), "today" from local midnight, "custom" is `custom` itself.
 */
export function presetRange(preset: RangePreset, options: { lastSession: string | null; custom?: DateRange; now?: Date }): DateRange {
  const now = options.now ?? new Date();
  if (preset === 'session') return options.lastSession ? { since: options.lastSession } : {};
  if (preset === 'today') {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    return { since: midnight.toISOString() };
  }
  if (preset === 'week') return { since: new Date(now.getTime() - WEEK_MS).toISOString() };
  if (preset === 'custom') return { ...options.custom };
  return {};
}

/** A `datetime-local` value for an ISO time (local time, minutes), or empty. */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
