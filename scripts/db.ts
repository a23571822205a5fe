// npm run db:migrate | db:migrate:dev -- --name <name> | db:psql — database lifecycle commands.
import { databaseCommand, runCli } from '../lib/cli/commands';

await runCli(() => databaseCommand(process.argv.slice(2)));
