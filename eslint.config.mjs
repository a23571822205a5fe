// The one lint configuration: Next's rules, TypeScript's, and the import boundaries of docs/architecture.md.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const noDbInUi = {
  group: ['@/lib/db', '@/lib/db/*', '**/lib/db/*', '@prisma/*', 'pg'],
  message: 'UI code never touches the database: call the JSON API or a lib verb from a route/page.',
};
const noServerInUi = {
  group: ['@/lib/auth/*', '@/lib/server/*', '@/lib/config/*', '@/lib/log/*', '@/lib/health/*', '@/lib/cli/*', '@/lib/http/define-route', '@/lib/http/client-ip', '@/lib/http/testing', 'node:*'],
  message: 'Components run in the browser too: import browser-safe modules (lib/schemas, lib/http/api-client) only.',
};
const noUpwardFromLib = {
  group: ['@/app/*', '@/components/*', '**/app/*', '**/components/*'],
  message: 'lib/ is the domain: it never imports app/ or components/.',
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', 'node_modules/**', 'lib/db/generated/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts']),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDbInUi, noServerInUi] }] },
  },
  {
    files: ['app/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/lib/db', '@/lib/db/*', '@prisma/*', 'pg'], message: 'Routes stay thin: no SQL or Prisma here, call a lib verb.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**'],
    // Tests may set up databases directly; the boundaries are for shipped code.
    ignores: ['lib/db/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noUpwardFromLib,
            { group: ['@prisma/*', 'pg', '**/db/generated/*'], message: 'Only lib/db knows SQL and Prisma.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/db/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUpwardFromLib] }] },
  },
]);
