import type { ReplayReport } from '../collab/local-work-replay.ts';
import type { Notice } from '../components/ap-notice.ts';

/** The key of the one notice that follows a refused annotation change through its recovery. */
export const REFUSAL_NOTICE_KEY = 'annotation-refusal';

/** The notice shown when the server refused an annotation change, offering recovery. */
export function refusalNotice(reason: string, recover: () => void): Notice {
  const because = reason.trim() ? reason.trim().replace(/[.\s]+$/, '') : 'no reason given';
  return {
    key: REFUSAL_NOTICE_KEY,
    level: 'error',
    message: `The server refused a change: ${because}. Your other changes are safe on this device.`,
    action: { label: 'Recover', run: recover },
  };
}

/** The notice shown while recovery runs. */
export function recoveringNotice(): Notice {
  return { key: REFUSAL_NOTICE_KEY, level: 'warning', message: 'Recovering your changes: saving them again without the refused one…' };
}

/** The notice shown when recovery could not finish (nothing was lost; it can be tried again). */
export function recoveryFailedNotice(error: string, recover: () => void): Notice {
  return {
    key: REFUSAL_NOTICE_KEY,
    level: 'error',
    message: `Recovery did not finish: ${error}. Your changes are still safe on this device.`,
    action: { label: 'Try again', run: recover },
  };
}

/** The notice that reports a finished recovery: how much was saved and what was left out, and why. */
export function recoverySummaryNotice(report: ReplayReport): Notice {
  const saved = report.replayed.length;
  const head = `Recovered: ${saved} change${saved === 1 ? '' : 's'} saved on the server.`;
  if (report.dropped.length === 0) return { key: REFUSAL_NOTICE_KEY, level: 'info', message: head };
  const dropped = report.dropped.map((d) => `${d.what} (${d.reason})`).join('; ');
  return { key: REFUSAL_NOTICE_KEY, level: 'warning', message: `${head} Dropped: ${dropped}.` };
}
