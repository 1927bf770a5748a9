import type { Actor } from './model.ts';
import { actorErrors } from './validation.ts';
import type { ValidationContext } from './validation.ts';

/**
 * What every annotation operation is given: who acts (the server-side session's user), a
 * clock, and what validation needs to know about the chapter. Operations stamp authors and
 * times from it themselves; callers never pass `modified` or `authorId`.
 */
export interface OperationContext {
  actor: Actor;
  /** The current time; tests pass a fixed clock. */
  now: () => Date;
  /** The chapter facts validation checks against (its footnote numbers). */
  validation?: ValidationContext;
}

/** Throws a TypeError naming the problem when the context's actor is not a valid user. */
export function checkActor(context: OperationContext): void {
  const errors = actorErrors(context.actor);
  if (errors.length > 0) throw new TypeError(`invalid actor: ${errors.join('; ')}`);
}

/** The context's current time as ISO 8601, throwing a RangeError for an invalid date. */
export function timestamp(context: OperationContext): string {
  const now = context.now();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError(`now() returned an invalid date: ${String(now)}`);
  return now.toISOString();
}
