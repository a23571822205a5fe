// A loopback TCP proxy put between the app and PostgreSQL to make the database slow or silent on
// demand: every chunk in both directions can be held back by a delay, or held entirely (a stalled
// link: nothing is lost, as with TCP retransmitting through a partition that later heals).
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Chunk {
  data: Buffer;
  releaseAt: number;
}

/** One direction of one connection: chunks leave in order, none before its release time. */
class DelayedPipe {
  private readonly chunks: Chunk[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly to: Socket,
    private readonly proxy: TcpProxy,
  ) {}

  push(data: Buffer): void {
    const last = this.chunks.at(-1)?.releaseAt ?? 0;
    this.chunks.push({ data, releaseAt: Math.max(Date.now() + this.proxy.delayMs, last) });
    this.pump();
  }

  pump(): void {
    if (this.timer) return;
    while (this.chunks.length > 0 && !this.proxy.stalled) {
      const wait = this.chunks[0]!.releaseAt - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      const { data } = this.chunks.shift()!;
      if (!this.to.destroyed) this.to.write(data);
    }
  }
}

export class TcpProxy {
  delayMs = 0;
  stalled = false;
  private server: Server | null = null;
  private readonly pipes = new Set<DelayedPipe>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free loopback port and returns it. */
  async listen(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const up = new DelayedPipe(upstream, this);
      const down = new DelayedPipe(client, this);
      this.pipes.add(up).add(down);
      this.sockets.add(client).add(upstream);
      client.on('data', (d: Buffer) => up.push(d));
      upstream.on('data', (d: Buffer) => down.push(d));
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.pipes.delete(up);
        this.pipes.delete(down);
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  /** Every chunk from now on waits `ms` more in each direction (0: back to normal). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Holds all traffic until heal(). */
  stall(): void {
    this.stalled = true;
  }

  heal(): void {
    this.stalled = false;
    this.delayMs = 0;
    for (const pipe of this.pipes) pipe.pump();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
