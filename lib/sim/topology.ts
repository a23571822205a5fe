// The demo fleet: who calls whom. web-frontend → api-gateway → checkout → {cart → redis,
// payment → bank-adapter (external), inventory ×2 → postgres}, checkout → orders queue →
// {shipping, email}.

export type ServiceRole = 'frontend' | 'gateway' | 'checkout' | 'cart' | 'payment' | 'inventory' | 'consumer' | 'bank' | 'queue';

export interface ServiceSpec {
  name: string;
  role: ServiceRole;
  replicas: number;
  /** Services it calls over HTTP (the queue counts: checkout publishes to it, consumers poll it). */
  calls: string[];
  /** Not instrumented by us: an external API or a piece of infrastructure. */
  external: boolean;
}

export const FLEET: readonly ServiceSpec[] = [
  { name: 'order-queue', role: 'queue', replicas: 1, calls: [], external: true },
  { name: 'bank-adapter', role: 'bank', replicas: 1, calls: [], external: true },
  { name: 'inventory', role: 'inventory', replicas: 2, calls: [], external: false },
  { name: 'cart', role: 'cart', replicas: 1, calls: [], external: false },
  { name: 'payment', role: 'payment', replicas: 1, calls: ['bank-adapter'], external: false },
  { name: 'shipping', role: 'consumer', replicas: 1, calls: ['order-queue'], external: false },
  { name: 'email', role: 'consumer', replicas: 1, calls: ['order-queue'], external: false },
  { name: 'checkout', role: 'checkout', replicas: 1, calls: ['cart', 'inventory', 'payment', 'order-queue'], external: false },
  { name: 'api-gateway', role: 'gateway', replicas: 1, calls: ['checkout', 'cart'], external: false },
  { name: 'web-frontend', role: 'frontend', replicas: 1, calls: ['api-gateway'], external: false },
];

/** The in-process stand-ins for data stores, named as the services' spans name them. */
export const DATA_STORES = { cart: { system: 'redis', name: 'redis' }, inventory: { system: 'postgresql', name: 'inventory' } } as const;

export function serviceSpec(name: string, fleet: readonly ServiceSpec[] = FLEET): ServiceSpec | undefined {
  return fleet.find((s) => s.name === name);
}

/** What a service process is told at start (as JSON in FLEET_SERVICE_CONFIG). */
export interface ServiceProcessConfig {
  service: string;
  role: ServiceRole;
  instance: string;
  port: number;
  /** Base URLs of each callee's replicas. */
  peers: Record<string, string[]>;
  /** Token the fleet's chaos switches present on /__chaos. */
  controlToken: string;
  /** Where breaker transitions go (traces use the standard OTEL_EXPORTER_OTLP_* variables). */
  faultline: { endpoint: string; apiKey: string } | null;
}
