// npm run apikey:create -- --name fleet --scope ingest|read|admin (repeatable); prints the key alone on its last line
import { createApiKeyCommand, runCli } from '../lib/cli/commands';

await runCli(() => createApiKeyCommand(process.argv.slice(2)));
