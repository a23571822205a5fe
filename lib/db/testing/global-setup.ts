// Vitest global setup for integration tests: a throwaway cluster in a temp directory and a
// migrated template database that each test file clones. Never touches .data or DATABASE_URL.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startCluster, throwawayClusterDir, type RunningCluster } from '../embedded-postgres';
import { applyMigrations } from '../migrate';

export const TEMPLATE_DATABASE = 'faultline_template';

let cluster: RunningCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const dir = throwawayClusterDir('vitest');
  cluster = await startCluster({ dir, database: TEMPLATE_DATABASE, ephemeral: true });
  await applyMigrations(cluster.url);
  project.provide('templateDatabaseUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  if (!cluster) return;
  await cluster.stop();
  rmSync(cluster.dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}
