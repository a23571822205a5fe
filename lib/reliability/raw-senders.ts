// Raw OTLP/protobuf senders for load beyond what an SDK produces: realistic batches from the real
// serializer (lib/bench), made unique per request by rewriting their trace ids in place. Closed
// loop measures what the app sustains; open loop offers a fixed rate whatever the app answers.
import { templateBatch, traceIdOffsets, uniqueBatch } from '@/lib/bench/ingest-bench';

export interface SendOutcome {
  at: number;
  status: number | 'error';
  ms: number;
  retryAfter: string | null;
  spans: number;
  error?: string;
}

export class RawSenders {
  readonly outcomes: SendOutcome[] = [];
  private readonly template: Buffer;
  private readonly offsets: number[];
  private sequence = 0;
  outstanding = 0;
  /** Sends an open-loop schedule could not make because `maxOutstanding` requests were already waiting. */
  skipped = 0;

  constructor(
    private readonly url: string,
    private readonly ingestKey: string,
    readonly spansPerRequest: number,
    private readonly senderId: number,
  ) {
    const { bytes, traceIds } = templateBatch(spansPerRequest);
    this.template = bytes;
    this.offsets = traceIdOffsets(bytes, traceIds);
  }

  private async sendOne(): Promise<SendOutcome> {
    const body = uniqueBatch(this.template, this.offsets, this.senderId, this.sequence++);
    const started = performance.now();
    this.outstanding++;
    try {
      const response = await fetch(`${this.url}/v1/traces`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { 'Content-Type': 'application/x-protobuf', Authorization: `Bearer ${this.ingestKey}` },
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      const outcome = { at: Date.now(), status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after'), spans: this.spansPerRequest };
      this.outcomes.push(outcome);
      return outcome;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const error = cause?.code ?? cause?.message ?? (err as Error).name;
      const outcome = { at: Date.now(), status: 'error' as const, ms: performance.now() - started, retryAfter: null, spans: this.spansPerRequest, error };
      this.outcomes.push(outcome);
      return outcome;
    } finally {
      this.outstanding--;
    }
  }

  /** `senders` loops each sending the next request when the last is answered, for `seconds`. */
  async closedLoop(senders: number, seconds: number): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (Date.now() < deadline) {
          const outcome = await this.sendOne();
          if (outcome.status !== 200) await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
  }

  /** Offers `spansPerSecond` for `seconds` regardless of answers (at most `maxOutstanding` requests waiting). */
  async openLoop(spansPerSecond: number, seconds: number, maxOutstanding: number): Promise<void> {
    const requestsPerSecond = spansPerSecond / this.spansPerRequest;
    const started = Date.now();
    const deadline = started + seconds * 1000;
    const pending = new Set<Promise<unknown>>();
    let sent = 0;
    while (Date.now() < deadline) {
      const due = Math.floor(((Date.now() - started) / 1000) * requestsPerSecond);
      for (; sent < due; sent++) {
        if (this.outstanding >= maxOutstanding) {
          this.skipped++;
          continue;
        }
        const p = this.sendOne().finally(() => pending.delete(p));
        pending.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
  }

  /** Accepted spans per second in each whole second from `from` to `to` (epoch ms). */
  acceptedPerSecond(from: number, to: number): number[] {
    const seconds = Math.max(1, Math.floor((to - from) / 1000));
    const buckets = new Array<number>(seconds).fill(0);
    for (const o of this.outcomes) {
      if (o.status !== 200 || o.at < from || o.at >= from + seconds * 1000) continue;
      buckets[Math.floor((o.at - from) / 1000)]! += o.spans;
    }
    return buckets;
  }
}
