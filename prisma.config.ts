// Prisma CLI configuration. Offline machines cannot download Prisma's native schema engine, so
// unless PRISMA_SCHEMA_ENGINE_BINARY is already set, migrations run through prisma/schema-engine.mjs
// (the WebAssembly engine over @prisma/adapter-pg). See README "Database and migrations".
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

const engineShim = fileURLToPath(new URL('./prisma/schema-engine.mjs', import.meta.url));
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  // git keeps the run bit, but archives and some copies do not; Prisma spawns the file directly.
  chmodSync(engineShim, 0o755);
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = engineShim;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // `prisma generate` runs at install time without a database; the placeholder is never dialled.
    url: process.env.DATABASE_URL ?? 'postgresql://faultline@127.0.0.1:5432/faultline',
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
