import type { ServerResponse } from 'node:http';
import { HeavyWorkRefusal } from '../heavy/heavy-work.ts';
import type { ReadProblems } from '../heavy/heavy-jobs.ts';
import { quarantineFailedEntries, reportDamage } from '../persistence/damage-report.ts';
import type { HttpContext } from './http-context.ts';
import { sendError } from './responses.ts';

/** Answers a heavy job that could not run: over the limits (429, 503 with Retry-After), or failed (500, logged). */
export function sendHeavyFailure(response: ServerResponse, error: unknown, context: HttpContext): void {
  if (error instanceof HeavyWorkRefusal) return sendError(response, error.status, error.message, { 'Retry-After': '5' });
  context.log.error('heavy.job-failed', { error });
  sendError(response, 500, 'internal error');
}

/**
 * Acts on what a worker found reading a room from the store (issue 14): quarantines intact log
 * entries that did not load (P1) and reports damage (P5), as a load of the room would.
 */
export async function reportReadProblems(problems: readonly ReadProblems[], context: HttpContext): Promise<void> {
  const sinks = { log: context.log, health: context.store.health };
  for (const { docName, damage, failed } of problems) {
    if (failed.length > 0) await quarantineFailedEntries(context.rooms.updates, docName, failed, sinks);
    if (damage.length > 0) reportDamage(docName, damage, 'found by an export or import', sinks);
  }
}
