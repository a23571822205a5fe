// Faultline's side of the demo fleet's control server (lib/sim/control-server.ts). Only the
// server talks to it: the token never reaches a browser.
import { z } from 'zod';
import { env } from '@/lib/config/env';
import { AppError, badRequest, conflict, unavailable } from '@/lib/http/errors';
import { ActiveFault, FleetDescription, type FaultInput } from '@/lib/schemas/chaos';

// Reading is cheap; applying a fault may reconfigure fleet processes, and giving up early would
// leave a fault running that Faultline never recorded.
const READ_TIMEOUT_MS = 3_000;
const WRITE_TIMEOUT_MS = 15_000;

const NOT_REACHABLE = 'the demo fleet is not reachable: is `npm run demo` running?';

const ErrorBody = z.object({ error: z.object({ message: z.string() }) });

/** Chaos works only when Faultline was started by `npm run demo`, which hands it the control server's address and token. */
export function chaosEnabled(): boolean {
  const { FAULTLINE_CHAOS_URL, FAULTLINE_CHAOS_TOKEN } = env();
  return Boolean(FAULTLINE_CHAOS_URL && FAULTLINE_CHAOS_TOKEN);
}

export const chaosDisabled = () =>
  conflict(
    'chaos is off: faults can only be switched in the demo fleet. Run `npm run demo`, which starts the fleet and gives Faultline FAULTLINE_CHAOS_URL and FAULTLINE_CHAOS_TOKEN',
  );

const badGateway = (message: string) => new AppError(502, 'bad_gateway', message);

async function call(method: string, path: string, body: unknown, timeoutMs: number): Promise<{ status: number; json: unknown }> {
  const { FAULTLINE_CHAOS_URL, FAULTLINE_CHAOS_TOKEN } = env();
  if (!FAULTLINE_CHAOS_URL || !FAULTLINE_CHAOS_TOKEN) throw chaosDisabled();
  let response: Response;
  try {
    response = await fetch(`${FAULTLINE_CHAOS_URL.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${FAULTLINE_CHAOS_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw unavailable(NOT_REACHABLE);
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** Maps the control server's refusals: its 400s are the caller's mistake, anything else is ours or the fleet's. */
function refusal(status: number, json: unknown): AppError {
  const message = ErrorBody.safeParse(json).data?.error.message ?? `status ${status}`;
  if (status === 400) return badRequest(message);
  if (status === 401) return badGateway('the demo fleet refused FAULTLINE_CHAOS_TOKEN: restart Faultline through `npm run demo`');
  return badGateway(`the demo fleet failed: ${message}`);
}

function parseReply<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badGateway('the demo fleet answered with something Faultline does not understand');
  return parsed.data;
}

/** GET /fleet: services, their calls and instances, and the faults now on. */
export async function describeFleet(): Promise<FleetDescription> {
  const { status, json } = await call('GET', '/fleet', undefined, READ_TIMEOUT_MS);
  if (status !== 200) throw refusal(status, json);
  return parseReply(FleetDescription, json);
}

/** POST /faults: switches a fault on; the fleet replaces one of the same kind on the same target. */
export async function applyFault(input: FaultInput): Promise<ActiveFault> {
  const { status, json } = await call('POST', '/faults', input, WRITE_TIMEOUT_MS);
  if (status !== 201) throw refusal(status, json);
  return parseReply(ActiveFault, json);
}

/** DELETE /faults/:id: switches a fault off; null when the fleet no longer has it (it ended by itself). */
export async function revertFault(fleetFaultId: string): Promise<ActiveFault | null> {
  const { status, json } = await call('DELETE', `/faults/${encodeURIComponent(fleetFaultId)}`, undefined, WRITE_TIMEOUT_MS);
  if (status === 404) return null;
  if (status !== 200) throw refusal(status, json);
  return parseReply(ActiveFault, json);
}
