import type { SpanRow } from '@/lib/otlp/span-row';

export interface BatcherOptions {
  /** Spans waiting for the database, across all requests; beyond it new requests are refused. */
  maxQueuedSpans: number;
  /** Spans written per transaction (whole requests are never split). */
  maxBatchSpans: number;
  /** Transactions in flight at once. */
  writers: number;
  write: (spans: SpanRow[]) => Promise<{ inserted: number }>;
}

export class IngestOverloadedError extends Error {
  constructor(readonly queuedSpans: number) {
    super(`ingest queue is full (${queuedSpans} spans waiting): retry later`);
    this.name = 'IngestOverloadedError';
  }
}

interface Pending {
  spans: SpanRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit with a bounded queue: concurrent requests are written together in one
 * transaction, each request's promise settles only after that transaction commits, and when the
 * queue is full new work is refused at once instead of piling up in memory.
 */
export class SpanBatcher {
  private readonly queue: Pending[] = [];
  private queuedSpans = 0;
  private activeWriters = 0;

  constructor(private readonly options: BatcherOptions) {}

  get depth(): number {
    return this.queuedSpans;
  }

  /** Resolves once every span of the request is committed (or was already stored). */
  enqueue(spans: SpanRow[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    if (this.queuedSpans + spans.length > this.options.maxQueuedSpans && this.queuedSpans > 0) {
      return Promise.reject(new IngestOverloadedError(this.queuedSpans));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ spans, resolve, reject });
      this.queuedSpans += spans.length;
      this.pump();
    });
  }

  private pump(): void {
    while (this.activeWriters < this.options.writers && this.queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (batch.length > 0 && count + next.spans.length > this.options.maxBatchSpans) break;
        batch.push(this.queue.shift()!);
        count += next.spans.length;
      }
      this.activeWriters++;
      void this.writeBatch(batch, count);
    }
  }

  private async writeBatch(batch: Pending[], count: number): Promise<void> {
    try {
      await this.options.write(batch.length === 1 ? batch[0]!.spans : batch.flatMap((p) => p.spans));
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
