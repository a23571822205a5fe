// Fleets for the RCA evaluation: a hand-drawn shop and seeded random fleets of three shapes
// (layered, fan-out, queue pipeline). Each is a set of instrumented services calling each other,
// databases, caches, external APIs and queues, with the resilience habits real fleets have
// (breakers, fallbacks, retries, replicas), so faults cascade the way they do in production.
import { Rng } from './random';

export type CallKind = 'service' | 'database' | 'cache' | 'external' | 'queue';

export interface SimCall {
  kind: CallKind;
  /** A service name, a leaf id or a queue name. */
  to: string;
  /** Share of the caller's requests that make this call. */
  probability: number;
  /** The caller serves a degraded answer instead of failing when the call fails. */
  fallback: boolean;
  /** The caller guards the call with a circuit breaker. */
  breaker: boolean;
  timeoutMs: number;
}

export interface SimLeaf {
  id: string;
  kind: 'database' | 'cache' | 'external';
  /** Attributes the caller's CLIENT span carries (db.system.name, server.address…). */
  attributes: Record<string, string>;
  medianMs: number;
}

export interface SimService {
  name: string;
  instances: string[];
  /** Median of the handler's own work per request, ms. */
  ownMs: number;
  calls: SimCall[];
  /** Requests per second arriving from outside (entry points only). */
  entryRps: number;
  /** The queue this service consumes, if it is a consumer. */
  consumes: string | null;
  operation: string;
}

export interface SimTopology {
  name: string;
  services: SimService[];
  leaves: SimLeaf[];
  queues: string[];
}

export const TOPOLOGY_SHAPES = ['shop', 'layered', 'fanout', 'pipeline'] as const;
export type TopologyShape = (typeof TOPOLOGY_SHAPES)[number];

const NAMES = [
  'accounts', 'billing', 'catalog', 'ledger', 'pricing', 'profile', 'ratings', 'search', 'session', 'stock', 'tax', 'users', 'wallet',
  'audit', 'geo', 'quotes', 'reviews', 'media', 'loyalty', 'fraud', 'routing', 'invoices', 'promotions', 'recommend', 'identity',
  'documents', 'scheduler', 'fx-rates', 'warehouse', 'returns', 'support', 'metering',
] as const;
const EXTERNAL_HOSTS = ['api.stripe.example', 'maps.geo.example', 'smtp.mail.example', 'api.carrier.example', 'sms.gateway.example', 'kyc.vendor.example'];

export function serviceOf(topology: SimTopology, name: string): SimService {
  const s = topology.services.find((x) => x.name === name);
  if (!s) throw new Error(`no service ${name} in ${topology.name}`);
  return s;
}

export function leafOf(topology: SimTopology, id: string): SimLeaf {
  const l = topology.leaves.find((x) => x.id === id);
  if (!l) throw new Error(`no leaf ${id} in ${topology.name}`);
  return l;
}

/** Services calling `name` over the network (queues excluded). */
export function callersOf(topology: SimTopology, name: string): SimService[] {
  return topology.services.filter((s) => s.calls.some((c) => c.kind === 'service' && c.to === name));
}

/** `name` and every service upstream of it: who sees its failures (through calls or queues). */
export function upstreamOf(topology: SimTopology, name: string): Set<string> {
  const out = new Set([name]);
  const queue = [name];
  while (queue.length > 0) {
    const current = queue.pop()!;
    const consumed = serviceOf(topology, current).consumes;
    for (const s of topology.services) {
      const calls = s.calls.some((c) => c.kind === 'service' && c.to === current);
      const produces = consumed !== null && s.calls.some((c) => c.kind === 'queue' && c.to === consumed);
      if ((calls || produces) && !out.has(s.name)) {
        out.add(s.name);
        queue.push(s.name);
      }
    }
  }
  return out;
}

function service(name: string, rng: Rng, opts: Partial<SimService> = {}): SimService {
  const replicas = opts.instances?.length ?? rng.int(1, 3);
  return {
    name,
    instances: opts.instances ?? Array.from({ length: replicas }, (_, i) => `${name}-${i + 1}`),
    ownMs: opts.ownMs ?? Math.round(rng.lognormal(12, 0.5)) + 3,
    calls: opts.calls ?? [],
    entryRps: opts.entryRps ?? 0,
    consumes: opts.consumes ?? null,
    operation: opts.operation ?? `${rng.pick(['GET', 'GET', 'POST'])} /${name}`,
  };
}

function call(kind: CallKind, to: string, rng: Rng, opts: Partial<SimCall> = {}): SimCall {
  return {
    kind,
    to,
    probability: opts.probability ?? 1,
    fallback: opts.fallback ?? (kind === 'cache' || (kind === 'external' && rng.chance(0.7))),
    breaker: opts.breaker ?? (kind === 'external' || (kind === 'service' && rng.chance(0.5))),
    timeoutMs: opts.timeoutMs ?? (kind === 'external' ? 2_000 : kind === 'database' ? 3_000 : 1_500),
  };
}

function database(owner: string, rng: Rng): SimLeaf {
  const system = rng.pick(['postgresql', 'postgresql', 'mysql']);
  // Named by its host, as the map names it (server.address before the database system).
  return { id: `${owner}-db`, kind: 'database', attributes: { 'db.system.name': system, 'db.namespace': owner, 'db.operation.name': 'SELECT', 'server.address': `${owner}-db` }, medianMs: Math.round(rng.lognormal(3, 0.4)) + 1 };
}

function cache(owner: string): SimLeaf {
  return { id: `redis/${owner}`, kind: 'cache', attributes: { 'db.system.name': 'redis', 'db.namespace': owner, 'db.operation.name': 'GET' }, medianMs: 1 };
}

function external(host: string, rng: Rng): SimLeaf {
  return { id: host, kind: 'external', attributes: { 'server.address': host, 'http.request.method': 'POST', 'url.full': `https://${host}/v1/call` }, medianMs: Math.round(rng.lognormal(60, 0.3)) };
}

/** The hand-drawn shop: a storefront, a checkout with payment and inventory, order consumers, and a separate back office. */
function shop(rng: Rng): SimTopology {
  const leaves = [database('catalog', rng), cache('cart'), database('inventory', rng), database('orders', rng), database('warehouse', rng), external('api.stripe.example', rng), external('api.carrier.example', rng), external('smtp.mail.example', rng)];
  const c = (kind: CallKind, to: string, opts: Partial<SimCall> = {}) => call(kind, to, rng, opts);
  const services = [
    service('storefront', rng, { instances: ['storefront-1', 'storefront-2'], entryRps: 6, operation: 'GET /', calls: [c('service', 'gateway', { breaker: false, fallback: false })] }),
    service('gateway', rng, { calls: [c('service', 'catalog', { probability: 0.7 }), c('service', 'cart', { probability: 0.5 }), c('service', 'checkout', { probability: 0.25, fallback: false })] }),
    service('catalog', rng, { calls: [c('database', 'catalog-db')] }),
    service('cart', rng, { calls: [c('cache', 'redis/cart')] }),
    service('checkout', rng, { calls: [c('service', 'inventory'), c('service', 'payment', { breaker: true, fallback: false }), c('database', 'orders-db'), c('queue', 'orders')] }),
    service('inventory', rng, { instances: ['inventory-1', 'inventory-2', 'inventory-3'], calls: [c('database', 'inventory-db')] }),
    service('payment', rng, { calls: [c('external', 'api.stripe.example', { fallback: false })] }),
    service('shipping', rng, { consumes: 'orders', operation: 'process orders', calls: [c('external', 'api.carrier.example', { fallback: true })] }),
    service('notifier', rng, { consumes: 'orders', operation: 'process orders', calls: [c('external', 'smtp.mail.example', { fallback: true })] }),
    service('backoffice', rng, { entryRps: 2, operation: 'GET /reports', calls: [c('service', 'reporting', { fallback: false })] }),
    service('reporting', rng, { calls: [c('database', 'warehouse-db')] }),
  ];
  return { name: 'shop', services, leaves, queues: ['orders'] };
}

/** Adds a database to about half the services, an external API to a few, a cache to some. */
function decorate(services: SimService[], leaves: SimLeaf[], rng: Rng, hosts: string[]): void {
  for (const s of services) {
    if (rng.chance(0.5)) {
      const db = database(s.name, rng);
      leaves.push(db);
      s.calls.push(call('database', db.id, rng));
    }
    if (rng.chance(0.2)) {
      const c = cache(s.name);
      leaves.push(c);
      s.calls.push(call('cache', c.id, rng));
    }
    if (hosts.length > 0 && rng.chance(0.2)) {
      const ext = external(hosts.pop()!, rng);
      leaves.push(ext);
      s.calls.push(call('external', ext.id, rng, { probability: 0.6 }));
    }
  }
}

/** Two entry points over three layers; each service calls one to three in the next layer. */
function layered(rng: Rng, index: number): SimTopology {
  const names = rng.shuffle(NAMES);
  const layers = [2, rng.int(3, 4), rng.int(3, 4), rng.int(2, 3)];
  const services: SimService[][] = layers.map((n) => names.splice(0, n).map((name) => service(name, rng)));
  services[0]!.forEach((s, i) => {
    s.entryRps = i === 0 ? 5 : 3;
    s.operation = `GET /${s.name}`;
  });
  // Each entry point owns half the next layer, so the fleet has two mostly separate halves.
  for (let l = 0; l < services.length - 1; l++) {
    const next = services[l + 1]!;
    services[l]!.forEach((s, i) => {
      const half = services[l]!.length > 1 ? next.filter((_, j) => j % services[l]!.length === i % services[l]!.length) : next;
      const targets = rng.shuffle(half.length > 0 ? half : next).slice(0, rng.int(1, Math.min(2, half.length || 1)));
      for (const t of targets) s.calls.push(call('service', t.name, rng, { probability: rng.chance(0.7) ? 1 : 0.6, fallback: rng.chance(0.15) }));
    });
    // Nobody in a layer left uncalled.
    for (const t of next) {
      if (!services[l]!.some((s) => s.calls.some((c) => c.to === t.name))) rng.pick(services[l]!).calls.push(call('service', t.name, rng));
    }
  }
  const flat = services.flat();
  const leaves: SimLeaf[] = [];
  decorate(flat.slice(2), leaves, rng, rng.shuffle(EXTERNAL_HOSTS));
  // A queue from a middle service to one or two consumers.
  const producer = rng.pick(services[1]!);
  const queue = `${producer.name}-events`;
  producer.calls.push(call('queue', queue, rng, { probability: 0.5 }));
  const consumers = names.splice(0, rng.int(1, 2)).map((name) => service(name, rng, { consumes: queue, operation: `process ${queue}` }));
  for (const consumer of consumers) {
    const db = database(consumer.name, rng);
    leaves.push(db);
    consumer.calls.push(call('database', db.id, rng));
  }
  return { name: `layered-${index}`, services: [...flat, ...consumers], leaves, queues: [queue] };
}

/** An API gateway fanning out to many backends (the classic BFF), plus a separate admin path. */
function fanout(rng: Rng, index: number): SimTopology {
  const names = rng.shuffle(NAMES);
  const backends = names.splice(0, rng.int(5, 7)).map((name) => service(name, rng));
  const api = service(names.shift()!, rng, { entryRps: 6, operation: 'GET /api', calls: backends.slice(0, -2).map((b) => call('service', b.name, rng, { probability: rng.chance(0.5) ? 1 : 0.5, fallback: rng.chance(0.3) })) });
  const admin = service(names.shift()!, rng, { entryRps: 2, operation: 'GET /admin', calls: backends.slice(-2).map((b) => call('service', b.name, rng, { fallback: false })) });
  // A second tier under two of the backends.
  const deep = names.splice(0, 2).map((name) => service(name, rng));
  backends[0]!.calls.push(call('service', deep[0]!.name, rng));
  backends.at(-1)!.calls.push(call('service', deep[1]!.name, rng));
  const leaves: SimLeaf[] = [];
  const all = [api, admin, ...backends, ...deep];
  decorate([...backends, ...deep], leaves, rng, rng.shuffle(EXTERNAL_HOSTS));
  const producer = backends[1]!;
  const queue = `${producer.name}-jobs`;
  producer.calls.push(call('queue', queue, rng, { probability: 0.4 }));
  const consumer = service(names.shift()!, rng, { consumes: queue, operation: `process ${queue}` });
  const db = database(consumer.name, rng);
  leaves.push(db);
  consumer.calls.push(call('database', db.id, rng));
  return { name: `fanout-${index}`, services: [...all, consumer], leaves, queues: [queue] };
}

/** Event processing: an ingest API publishes, two stages consume and publish on, a query API reads. */
function pipeline(rng: Rng, index: number): SimTopology {
  const names = rng.shuffle(NAMES);
  const [ingestName, enrichName, indexName, queryName, lookupName, archiveName] = names;
  const lookup = service(lookupName!, rng);
  const leaves: SimLeaf[] = [];
  const lookupDb = database(lookupName!, rng);
  leaves.push(lookupDb);
  lookup.calls.push(call('database', lookupDb.id, rng));
  const ingest = service(ingestName!, rng, { entryRps: 6, operation: 'POST /events', calls: [call('service', lookup.name, rng, { fallback: false }), call('queue', 'raw-events', rng)] });
  const enrich = service(enrichName!, rng, { consumes: 'raw-events', operation: 'process raw-events', calls: [call('service', lookup.name, rng), call('queue', 'enriched-events', rng)] });
  const indexer = service(indexName!, rng, { consumes: 'enriched-events', operation: 'process enriched-events' });
  const archive = service(archiveName!, rng, { consumes: 'raw-events', operation: 'process raw-events' });
  const store = database(indexName!, rng);
  leaves.push(store);
  indexer.calls.push(call('database', store.id, rng));
  const archiveDb = database(archiveName!, rng);
  leaves.push(archiveDb);
  archive.calls.push(call('database', archiveDb.id, rng));
  const query = service(queryName!, rng, { entryRps: 3, operation: 'GET /search', calls: [call('database', store.id, rng)] });
  const ext = external(rng.pick(EXTERNAL_HOSTS), rng);
  leaves.push(ext);
  enrich.calls.push(call('external', ext.id, rng, { probability: 0.5, fallback: true, breaker: true }));
  return { name: `pipeline-${index}`, services: [ingest, lookup, enrich, indexer, archive, query], leaves, queues: ['raw-events', 'enriched-events'] };
}

export function generateTopology(shape: TopologyShape, seed: number): SimTopology {
  const rng = new Rng(seed);
  switch (shape) {
    case 'shop':
      return shop(rng);
    case 'layered':
      return layered(rng, seed);
    case 'fanout':
      return fanout(rng, seed);
    case 'pipeline':
      return pipeline(rng, seed);
  }
}
