// A webhook destination the chaos tests control: answers 2xx, fails with 500, hangs without
// answering, flaps between the two, or is down altogether (nothing listening on its port).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'hang' | 'flap' | 'down';

export interface Delivery {
  id: string;
  event: string;
  at: number;
  answered: number | 'hung';
}

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private mode: ReceiverMode = 'ok';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private flapCount = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['x-faultline-delivery'] ?? '');
        const event = String(req.headers['x-faultline-event'] ?? '');
        const ok = this.mode === 'ok' || (this.mode === 'flap' && this.flapCount++ % 2 === 1);
        if (this.mode === 'hang') {
          this.deliveries.push({ id, event, at: Date.now(), answered: 'hung' });
          this.hanging.add(res);
          return;
        }
        this.deliveries.push({ id, event, at: Date.now(), answered: ok ? 204 : 500 });
        res.writeHead(ok ? 204 : 500).end(ok ? undefined : 'receiver failing');
      });
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  /** Switches behaviour; 'down' closes the port (connections refused), leaving it brings it back on the same port. */
  async setMode(mode: ReceiverMode): Promise<void> {
    if (mode === 'down' && this.server) await this.close();
    else if (mode !== 'down' && !this.server) await this.start(this.port);
    this.mode = mode;
    if (mode !== 'hang') for (const res of this.hanging) res.destroy();
    if (mode !== 'hang') this.hanging.clear();
  }

  /** Deliveries answered with 2xx, by delivery id. */
  deliveredIds(): string[] {
    return this.deliveries.filter((d) => d.answered === 204).map((d) => d.id);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
