
/** Anything with a span count: the batcher only counts and groups, it never looks inside. */
export interface SpanWork {
  spans: readonly unknown[];
}

export interface BatcherOptions<W extends SpanWork> {
  /** Spans waiting for the database, across all requests; beyond it new requests are refused. */
  maxQueuedSpans: number;
  /** Spans written per transaction (whole requests are never split). */
  maxBatchSpans: number;
  /** Transactions in flight at once. */
  writers: number;
  /**
   * Longest a request may wait in the queue before its write starts; after it the request is
   * refused (503) instead of waiting on: its exporter has likely given up already, and work
   * nobody waits for only delays the requests behind it. Unset: no limit.
   */
  maxWaitMs?: number;
  write: (batch: W[]) => Promise<{ inserted: number }>;
}

export class IngestOverloadedError extends Error {
  constructor(
    readonly queuedSpans: number,
    reason = `ingest queue is full (${queuedSpans} spans waiting)`,
  ) {
    super(`${reason}: retry later`);
    this.name = 'IngestOverloadedError';
  }
}

interface Pending<W> {
  work: W;
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
  expiry?: NodeJS.Timeout;
}

/**
 * Group commit with a bounded queue: concurrent requests are written together in one
 * transaction, each request's promise settles only after that transaction commits, and when the
 * queue is full new work is refused at once instead of piling up in memory.
 */
export class SpanBatcher<W extends SpanWork> {
  private readonly queue: Pending<W>[] = [];
  private queuedSpans = 0;
  private activeWriters = 0;

  constructor(private readonly options: BatcherOptions<W>) {}

  get depth(): number {
    return this.queuedSpans;
  }

  /** Whether a new request would be refused now (checked before reading its body, to shed cheaply). */
  get isFull(): boolean {
    return this.queuedSpans >= this.options.maxQueuedSpans;
  }

  /** Resolves once every span of the request is committed (or was already stored). */
  enqueue(work: W): Promise<void> {
    const count = work.spans.length;
    if (count === 0) return Promise.resolve();
    if (this.queuedSpans + count > this.options.maxQueuedSpans && this.queuedSpans > 0) {
      return Promise.reject(new IngestOverloadedError(this.queuedSpans));
    }
    return new Promise<void>((resolve, reject) => {
      const pending: Pending<W> = { work, count, resolve, reject };
      this.queue.push(pending);
      this.queuedSpans += count;
      this.pump();
      if (this.options.maxWaitMs !== undefined && this.queue.includes(pending)) {
        pending.expiry = setTimeout(() => this.expire(pending), this.options.maxWaitMs);
        pending.expiry.unref();
      }
    });
  }

  /** Refuses a request still waiting for a writer after maxWaitMs (one already being written is never cut). */
  private expire(pending: Pending<W>): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.queuedSpans -= pending.count;
    pending.reject(new IngestOverloadedError(this.queuedSpans, `the database did not take this request within ${this.options.maxWaitMs} ms`));
  }

  private pump(): void {
    while (this.activeWriters < this.options.writers && this.queue.length > 0) {
      const batch: Pending<W>[] = [];
      let count = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (batch.length > 0 && count + next.count > this.options.maxBatchSpans) break;
        const taken = this.queue.shift()!;
        if (taken.expiry) clearTimeout(taken.expiry);
        batch.push(taken);
        count += next.count;
      }
      this.activeWriters++;
      void this.writeBatch(batch, count);
    }
  }

  private async writeBatch(batch: Pending<W>[], count: number): Promise<void> {
    try {
      await this.options.write(batch.map((p) => p.work));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.queuedSpans -= count;
      this.activeWriters--;
      this.pump();
    }
  }
}
