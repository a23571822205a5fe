// npm run user:create -- --email a@b.c --role viewer|responder|editor|admin [--name "…"] [--password "…"]
import { createUserCommand, runCli } from '../lib/cli/commands';

await runCli(() => createUserCommand(process.argv.slice(2)));
