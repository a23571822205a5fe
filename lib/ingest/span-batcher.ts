
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
  write: (batch: W[]) => Promise<{ inserted: number }>;
}

export class IngestOverloadedError extends Error {
  constructor(readonly queuedSpans: number) {
    super(`ingest queue is full (${queuedSpans} spans waiting): retry later`);
    this.name = 'IngestOverloadedError';
  }
}

interface Pending<W> {
  work: W;
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
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

  /** Resolves once every span of the request is committed (or was already stored). */
  enqueue(work: W): Promise<void> {
    const count = work.spans.length;
    if (count === 0) return Promise.resolve();
    if (this.queuedSpans + count > this.options.maxQueuedSpans && this.queuedSpans > 0) {
      return Promise.reject(new IngestOverloadedError(this.queuedSpans));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ work, count, resolve, reject });
      this.queuedSpans += count;
      this.pump();
    });
  }

  private pump(): void {
    while (this.activeWriters < this.options.writers && this.queue.length > 0) {
      const batch: Pending<W>[] = [];
      let count = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (batch.length > 0 && count + next.count > this.options.maxBatchSpans) break;
        batch.push(this.queue.shift()!);
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
