import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{lib,app,components,scripts}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.chaos.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{lib,app,scripts,prisma}/**/*.int.test.ts'],
          environment: 'node',
          // One throwaway PostgreSQL cluster per run; every test file gets its own database in it.
          globalSetup: ['lib/db/testing/global-setup.ts'],
          setupFiles: ['lib/db/testing/per-file-database.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          // Faults, overload and two replicas against the production build (npm run test:chaos).
          include: ['lib/reliability/**/*.chaos.test.ts'],
          environment: 'node',
          globalSetup: ['lib/reliability/global-setup.ts'],
          // Each file starts processes and loads the machine: one at a time.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
