import { describe, expect, it } from 'vitest';
import { IngestOverloadedError, SpanBatcher } from './span-batcher';

const spans = (n: number) => ({ spans: Array.from({ length: n }, () => ({})) });

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('SpanBatcher', () => {
  it('writes concurrent requests together and settles each only after its write', async () => {
    const gate = deferred();
    const writes: number[] = [];
    const batcher = new SpanBatcher({
      maxQueuedSpans: 1000,
      maxBatchSpans: 100,
      writers: 1,
      write: async (batch) => {
        const rows = batch.flatMap((w) => w.spans);
        writes.push(rows.length);
        await gate.promise;
        return { inserted: rows.length };
      },
    });
    let settled = 0;
    const first = batcher.enqueue(spans(10)).then(() => settled++);
    const second = batcher.enqueue(spans(20)).then(() => settled++);
    const third = batcher.enqueue(spans(30)).then(() => settled++);
    await Promise.resolve();
    // The first write started alone; the two that queued behind it go together.
    expect(writes).toEqual([10]);
    expect(settled).toBe(0);
    gate.release();
    await Promise.all([first, second, third]);
    expect(writes).toEqual([10, 50]);
    expect(batcher.depth).toBe(0);
  });

  it('refuses new work when the queue is full instead of growing', async () => {
    const gate = deferred();
    const batcher = new SpanBatcher({ maxQueuedSpans: 100, maxBatchSpans: 100, writers: 1, write: async () => (await gate.promise, { inserted: 0 }) });
    const accepted = batcher.enqueue(spans(80));
    await expect(batcher.enqueue(spans(30))).rejects.toBeInstanceOf(IngestOverloadedError);
    gate.release();
    await accepted;
    await expect(batcher.enqueue(spans(30))).resolves.toBeUndefined();
  });

  it('lets one oversized request through an empty queue, so a big batch is never refused forever', async () => {
    const batcher = new SpanBatcher({ maxQueuedSpans: 100, maxBatchSpans: 100, writers: 1, write: async (batch) => ({ inserted: batch.length }) });
    await expect(batcher.enqueue(spans(500))).resolves.toBeUndefined();
  });

  it('fails every request of a failed write, and keeps working afterwards', async () => {
    let fail = true;
    const batcher = new SpanBatcher({
      maxQueuedSpans: 1000,
      maxBatchSpans: 1000,
      writers: 1,
      write: async (batch) => {
        if (fail) throw new Error('database down');
        return { inserted: batch.length };
      },
    });
    await expect(batcher.enqueue(spans(5))).rejects.toThrow('database down');
    fail = false;
    await expect(batcher.enqueue(spans(5))).resolves.toBeUndefined();
    expect(batcher.depth).toBe(0);
  });

  it('refuses a request that waited longer than maxWaitMs for a writer, and keeps the ones being written', async () => {
    const gate = deferred();
    const batcher = new SpanBatcher({ maxQueuedSpans: 1000, maxBatchSpans: 10, writers: 1, maxWaitMs: 50, write: async () => (await gate.promise, { inserted: 0 }) });
    const writing = batcher.enqueue(spans(10));
    const waiting = batcher.enqueue(spans(10));
    await expect(waiting).rejects.toThrow(/did not take this request within 50 ms/);
    expect(batcher.depth).toBe(10);
    gate.release();
    await expect(writing).resolves.toBeUndefined();
    expect(batcher.depth).toBe(0);
  });
});
