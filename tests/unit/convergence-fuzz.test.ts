import { describe, expect, it } from 'vitest';
import { runConvergenceFuzz } from '../helpers/convergence-fuzz.ts';

// docs/reliability.md C1, short run. Replay one seed with FUZZ_SEED=<n> (and FUZZ_OPS=<n>);
// the long run is `node --import tsx scripts/fuzz-convergence.ts --seeds 50 --ops 2000`.
const replaySeed = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const ops = Number(process.env.FUZZ_OPS ?? 200);
const seeds = replaySeed === null ? [1, 2, 3, 4] : [replaySeed];

describe('convergence of five replicas of both documents (C1)', () => {
  for (const seed of seeds) {
    it(`converges, and every anchor resolves alike everywhere, for seed ${seed}`, () => {
      console.log(`convergence fuzz: seed ${seed}, ${ops} operations (replay: FUZZ_SEED=${seed})`);
      const report = runConvergenceFuzz({ seed, ops });
      expect(report.failures).toEqual([]);
      // The run must have exercised what it claims to: annotations, text edits and delivery.
      expect(report.annotations).toBeGreaterThan(0);
      expect(Object.keys(report.counts).filter((k) => k.startsWith('text:')).length).toBeGreaterThan(3);
    });
  }
});
