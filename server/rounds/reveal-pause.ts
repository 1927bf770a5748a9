import type { Logger } from '../logger.ts';
import type { RoundHooks } from './round-service.ts';

/**
 * The crash tests' seam (tests/integration/blind-rounds-crash.test.ts): with
 * `APPARATUS_TEST_REVEAL_PAUSE=marked` or `=merged`, a reveal logs `round.reveal-paused` when it
 * reaches that phase and waits there a minute, so that the test can kill the process at a known
 * point. Unset (always, outside those tests), reveals never wait.
 */
export function revealPauseFromEnv(env: NodeJS.ProcessEnv, log: Logger): RoundHooks | undefined {
  const phase = env.APPARATUS_TEST_REVEAL_PAUSE;
  if (phase !== 'marked' && phase !== 'merged') return undefined;
  return {
    revealPhase: async (at, round) => {
      if (at !== phase) return;
      log.warn('round.reveal-paused', { phase, round: round.id, note: 'APPARATUS_TEST_REVEAL_PAUSE is set: waiting to be killed' });
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    },
  };
}
