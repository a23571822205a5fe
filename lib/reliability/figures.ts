// The chaos suite's measurements: printed as each test ends and appended to
// test-results/chaos/figures.jsonl, from which docs/reliability.md takes its numbers.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_OUTPUT_DIR } from './replica';

export type Figures = Record<string, number | string | boolean>;

export function reportFigures(scenario: string, figures: Figures): void {
  mkdirSync(CHAOS_OUTPUT_DIR, { recursive: true });
  const line = { scenario, profile: chaosProfile().name, at: new Date().toISOString(), ...figures };
  appendFileSync(join(CHAOS_OUTPUT_DIR, 'figures.jsonl'), `${JSON.stringify(line)}\n`);
  process.stdout.write(`[chaos] ${scenario}: ${Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`).join(' ')}\n`);
}

export interface ChaosProfile {
  name: 'short' | 'full';
  /** SIGKILL/restart cycles of the app under load. */
  killCycles: number;
  /** Seconds of load around each database restart. */
  databaseRestartLoadSeconds: number;
  /** Seconds of 10x overload. */
  overloadSeconds: number;
  /** Fuzz cases sent over HTTP to the running app. */
  fuzzCases: number;
}

/** CHAOS_PROFILE=full (the default of `npm run test:chaos`) or short (what `npm test` runs in CI). */
export function chaosProfile(): ChaosProfile {
  return process.env.CHAOS_PROFILE === 'short'
    ? { name: 'short', killCycles: 2, databaseRestartLoadSeconds: 12, overloadSeconds: 20, fuzzCases: 10_000 }
    : { name: 'full', killCycles: 5, databaseRestartLoadSeconds: 30, overloadSeconds: 60, fuzzCases: 102_000 };
}
