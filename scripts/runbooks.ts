// npm run runbooks:export -- dir/  |  npm run runbooks:import -- dir/  (markdown files with front matter; see docs/runbooks.md)
import { exportRunbooksCommand, importRunbooksCommand, runCli } from '../lib/cli/commands';

const [verb, ...rest] = process.argv.slice(2);
await runCli(() => (verb === 'import' ? importRunbooksCommand(rest) : exportRunbooksCommand(rest)));
