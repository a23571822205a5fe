// npm run chaos -- <fault> <target> [--for 2m] | list | clear <id|all> | help — the demo's chaos switches.
import { runChaosCli } from '../lib/sim/chaos-cli';

try {
  process.exit(await runChaosCli(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
