// The demo fleet's control server: the one door through which faults are switched on and off
// (Faultline's Chaos panel and `npm run chaos` both come through Faultline's /api/chaos, which
// relays here). Loopback only, bearer-token protected.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInput, type ActiveFault, type FleetDescription } from '@/lib/schemas/chaos';

/** A fault that cannot apply to this fleet (unknown service, wrong role): a 400 for the caller. */
export class FaultTargetError extends Error {}

/** What the control server drives: the running fleet. */
export interface FaultApplier {
  describe(): Omit<FleetDescription, 'faults'>;
  apply(fault: FaultInput): Promise<void>;
  revert(fault: FaultInput): Promise<void>;
}

export interface ControlServer {
  url: string;
  token: string;
  active(): ActiveFault[];
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new FaultTargetError('body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new FaultTargetError('body: not valid JSON');
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startControlServer(options: { applier: FaultApplier; token?: string; port?: number }): Promise<ControlServer> {
  const token = options.token ?? randomUUID();
  const faults = new Map<string, { fault: ActiveFault; input: FaultInput; timer?: NodeJS.Timeout }>();

  const clear = async (id: string): Promise<ActiveFault | null> => {
    const entry = faults.get(id);
    if (!entry) return null;
    faults.delete(id);
    clearTimeout(entry.timer);
    await options.applier.revert(entry.input);
    return entry.fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req, token)) return send(res, 401, { error: { message: 'control token required' } });
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    if (req.method === 'GET' && path === '/fleet') {
      return send(res, 200, { ...options.applier.describe(), faults: [...faults.values()].map((f) => f.fault) } satisfies FleetDescription);
    }
    if (req.method === 'POST' && path === '/faults') {
      const parsed = FaultInput.safeParse(await readJson(req));
      if (!parsed.success) {
        return send(res, 400, { error: { message: parsed.error.issues.map((i) => `${['body', ...i.path].join('.')}: ${i.message}`).join('; ') } });
      }
      const input = parsed.data;
      // One fault of a kind per target: a second switch replaces the first rather than stacking.
      for (const [id, entry] of faults) if (entry.input.kind === input.kind && entry.input.target === input.target) await clear(id);
      await options.applier.apply(input);
      const now = Date.now();
      const fault: ActiveFault = {
        id: randomUUID(),
        kind: input.kind,
        target: input.target,
        ...(input.rate !== undefined ? { rate: input.rate } : {}),
        ...(input.ms !== undefined ? { ms: input.ms } : {}),
        startedAt: new Date(now).toISOString(),
        endsAt: input.durationMs ? new Date(now + input.durationMs).toISOString() : null,
      };
      const timer = input.durationMs ? setTimeout(() => void clear(fault.id).catch(() => undefined), input.durationMs) : undefined;
      timer?.unref();
      faults.set(fault.id, { fault, input, timer });
      return send(res, 201, fault);
    }
    const match = /^\/faults\/([0-9a-f-]{36})$/.exec(path);
    if (req.method === 'DELETE' && match) {
      const cleared = await clear(match[1]!);
      return cleared ? send(res, 200, cleared) : send(res, 404, { error: { message: 'no such active fault (it may have ended by itself)' } });
    }
    send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof FaultTargetError) send(res, 400, { error: { message: err.message } });
      else send(res, 500, { error: { message: err instanceof Error ? err.message : String(err) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    active: () => [...faults.values()].map((f) => f.fault),
    close: async () => {
      for (const id of [...faults.keys()]) await clear(id).catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
