// Scripted stories for `npm run demo -- --scenario <name>`: healthy for a while, one fault, then
// recovery, so a newcomer watches Faultline notice, explain and clear it.
import type { FaultInput } from '@/lib/schemas/chaos';

export interface Scenario {
  name: string;
  story: string;
  fault: Omit<FaultInput, 'durationMs'>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cascading-timeout',
    story: 'inventory slows to 2.5 s; checkout times out waiting, the gateway and frontend fail in turn',
    fault: { kind: 'latency', target: 'inventory', ms: 2500 },
  },
  { name: 'error-burst', story: 'payment answers half its requests with 500', fault: { kind: 'error-burst', target: 'payment', rate: 0.5 } },
  { name: 'latency', story: 'cart takes 800 ms longer on every request', fault: { kind: 'latency', target: 'cart', ms: 800 } },
  {
    name: 'partition',
    story: 'checkout can no longer reach payment (connections hang); payment itself stays healthy',
    fault: { kind: 'partition', target: 'checkout:payment' },
  },
  { name: 'slow-db', story: "inventory's database slows down and its connection pool runs dry", fault: { kind: 'slow-db', target: 'inventory' } },
  { name: 'stall-consumer', story: 'shipping stops consuming orders; the queue backlog grows', fault: { kind: 'stall-consumer', target: 'shipping' } },
  { name: 'bad-replica', story: 'one of the two inventory replicas fails most requests', fault: { kind: 'bad-replica', target: 'inventory' } },
  {
    name: 'retry-storm',
    story: 'checkout retries inventory eight times with no backoff while inventory flakes',
    fault: { kind: 'retry-storm', target: 'checkout:inventory' },
  },
  {
    name: 'external-outage',
    story: 'the bank is down; payment defers captures (degraded, not down)',
    fault: { kind: 'external-outage', target: 'bank-adapter' },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export interface ScenarioTiming {
  healthyMs: number;
  faultMs: number;
}

export const DEFAULT_TIMING: ScenarioTiming = { healthyMs: 60_000, faultMs: 120_000 };
