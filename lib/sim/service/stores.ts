// In-process stand-ins for the fleet's data stores (a Redis-like cache, a PostgreSQL-like
// database with a connection pool), traced as the real client libraries' instrumentation would:
// CLIENT spans with db.* attributes, so Faultline draws them as leaf nodes.
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { bulkhead, TaskCancelledError, timeout, TimeoutStrategy, type BulkheadPolicy } from 'cockatiel';
import type { ChaosState } from './chaos-state';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (min: number, max: number) => min + Math.random() * (max - min);

async function traced<T>(tracer: Tracer, name: string, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export class Cache {
  private readonly tracer = trace.getTracer('fleet-redis-client');
  private readonly data = new Map<string, unknown>();

  get(key: string): Promise<unknown> {
    return traced(this.tracer, 'GET', { 'db.system.name': 'redis', 'db.system': 'redis', 'db.operation.name': 'GET', 'server.address': 'redis' }, async () => {
      await sleep(jitter(0.5, 2));
      return this.data.get(key) ?? null;
    });
  }

  set(key: string, value: unknown): Promise<void> {
    return traced(this.tracer, 'SET', { 'db.system.name': 'redis', 'db.system': 'redis', 'db.operation.name': 'SET', 'server.address': 'redis' }, async () => {
      await sleep(jitter(0.5, 2));
      this.data.set(key, value);
    });
  }
}

const DEFAULT_POOL = 10;
const ACQUIRE_TIMEOUT_MS = 1_000;

export class Database {
  private readonly tracer = trace.getTracer('fleet-pg-client');
  private pool: BulkheadPolicy;
  private poolSize = DEFAULT_POOL;

  constructor(
    private readonly namespace: string,
    private readonly chaos: ChaosState,
  ) {
    this.pool = bulkhead(DEFAULT_POOL, 100);
  }

  /** In use / size, for the health document. */
  get usage(): { active: number; queued: number; size: number } {
    return { active: this.poolSize - this.pool.executionSlots, queued: this.pool.queueSlots === 100 ? 0 : 100 - this.pool.queueSlots, size: this.poolSize };
  }

  query(operation: string, table: string): Promise<void> {
    const wanted = this.chaos.dbPoolSize ?? DEFAULT_POOL;
    // Resizing the pool replaces it; queries already in the old one finish there.
    if (wanted !== this.poolSize) {
      this.poolSize = wanted;
      this.pool = bulkhead(wanted, 100);
    }
    const pool = this.pool;
    return traced(
      this.tracer,
      `${operation} ${this.namespace}.${table}`,
      { 'db.system.name': 'postgresql', 'db.system': 'postgresql', 'db.namespace': this.namespace, 'db.operation.name': operation, 'db.collection.name': table, 'server.address': `${this.namespace}-db` },
      async () => {
        try {
          await timeout(ACQUIRE_TIMEOUT_MS + this.chaos.dbLatencyMs + 50, TimeoutStrategy.Aggressive).execute(() =>
            pool.execute(() => sleep(jitter(2, 8) + this.chaos.dbLatencyMs)),
          );
        } catch (err) {
          if (err instanceof TaskCancelledError) throw new Error('timeout acquiring a connection from the pool (pool exhausted)');
          throw err;
        }
      },
    );
  }
}
