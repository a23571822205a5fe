// A Faultline replica for the chaos suite: the production app (lib/bench/app.ts) with its output in
// test-results/chaos/<label>.log for post-mortems.
import { join } from 'node:path';
import { AppProcess, type AppProcessOptions } from '@/lib/bench/app';

export const CHAOS_OUTPUT_DIR = join(process.cwd(), 'test-results', 'chaos');

export function startReplica(options: Omit<AppProcessOptions, 'logFile'> & { label: string }): Promise<AppProcess> {
  const { label, ...rest } = options;
  return AppProcess.start({ ...rest, logFile: join(CHAOS_OUTPUT_DIR, `${label}.log`) });
}
