// The chaos suite runs the production build: make sure there is a current one, and start each run
// with an empty figures file.
import { rmSync } from 'node:fs';
import { buildIfStale } from '@/lib/server/launcher';
import { CHAOS_OUTPUT_DIR } from './replica';

export function setup(): void {
  if (!buildIfStale((line) => process.stdout.write(`${line}\n`))) throw new Error('next build failed');
  rmSync(CHAOS_OUTPUT_DIR, { recursive: true, force: true });
}
