// The server Playwright tests against: a throwaway PostgreSQL cluster (never .data, never
// DATABASE_URL), migrated, with known users, and the production build served by scripts/serve.mjs.
// Stops everything on SIGTERM/SIGINT. Usage: tsx scripts/e2e-server.ts (PORT from the environment).
import { runE2eServer } from '../lib/server/e2e-server';

await runE2eServer();
