// npm run demo [-- --rps 4] [-- --scenario cascading-timeout] — Faultline, the demo fleet and its traffic.
import { runDemo } from '../lib/sim/demo';

try {
  await runDemo(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(64);
}
