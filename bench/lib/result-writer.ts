import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitCommit, loadAverage, machineInfo, packageVersions, PROJECT_ROOT } from './machine-info.ts';
import type { MachineInfo } from './machine-info.ts';

/** Where every scenario writes `<scenario>.json`. */
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');

/** The fields every result starts with: what ran, where, on which code, how often. */
export interface ResultHeader {
  scenario: string;
  date: string;
  machine: MachineInfo;
  node: string;
  packages: Record<string, string>;
  commit: string;
  repetitions: number;
  quick: boolean;
  /** 1-minute load average when the scenario started and ended: other work skews every figure. */
  load_average: { start: number; end: number };
  duration_s: number;
}

/** A scenario in progress: its name and what was true when it started. */
export interface ScenarioRun {
  scenario: string;
  quick: boolean;
  startedAt: number;
  loadAtStart: number;
}

/** Notes the start of a scenario (its load average and time). */
export function beginScenario(scenario: string, quick: boolean): ScenarioRun {
  return { scenario, quick, startedAt: performance.now(), loadAtStart: loadAverage() };
}

/**
 * Writes `bench/results/<scenario>.json`: the header (machine, Node, package versions, commit,
 * repetitions, load) followed by the scenario's own fields. Returns the file's path.
 */
export function writeResult(run: ScenarioRun, repetitions: number, fields: Record<string, unknown>): string {
  const header: ResultHeader = {
    scenario: run.scenario,
    date: new Date().toISOString(),
    machine: machineInfo(),
    node: process.version,
    packages: packageVersions(),
    commit: gitCommit(),
    repetitions,
    quick: run.quick,
    load_average: { start: run.loadAtStart, end: loadAverage() },
    duration_s: Math.round((performance.now() - run.startedAt) / 100) / 10,
  };
  const file = path.join(RESULTS_DIR, `${run.scenario}.json`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...header, ...fields }, null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
  return file;
}
