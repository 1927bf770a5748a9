import { parseArgs } from 'node:util';

/** The command-line options every scenario script takes. */
export interface ScenarioOptions {
  /** The short variant: fewer repetitions and shorter runs (`npm run bench -- --quick`). */
  quick: boolean;
  /** Overrides the scenario's repetitions. */
  repetitions: number | null;
  /** Overrides the measured duration of one run, in seconds (load scenarios). */
  durationS: number | null;
}

function positive(name: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

/** Parses `--quick`, `--repetitions N` and `--duration S` from the scenario's arguments. */
export function scenarioOptions(argv = process.argv.slice(2)): ScenarioOptions {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, repetitions: { type: 'string' }, duration: { type: 'string' } },
    allowPositionals: false,
  });
  const repetitions = positive('repetitions', values.repetitions);
  return { quick: values.quick ?? false, repetitions: repetitions === null ? null : Math.round(repetitions), durationS: positive('duration', values.duration) };
}
