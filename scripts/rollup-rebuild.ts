// npm run rollup:rebuild -- --from <ISO time> [--to <ISO time>] — recompute rollups from raw spans.
import { rollupRebuildCommand, runCli } from '../lib/cli/commands';

await runCli(() => rollupRebuildCommand(process.argv.slice(2)));
