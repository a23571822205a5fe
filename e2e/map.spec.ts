import { SpanKind, SpanStatusCode, context, trace, type Context } from '@opentelemetry/api';
import { expect, test, type Page } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';
import { createIngestKey, ServiceTracers } from './telemetry';

const SERVICES = ['web-frontend', 'api-gateway', 'checkout', 'payment', 'inventory'] as const;
/** How Faultline names a database its callers reach: db.system/db.namespace. */
const DATABASE = 'postgresql/inventory';
const CALLS = [
  ['web-frontend', 'api-gateway'],
  ['api-gateway', 'checkout'],
  ['checkout', 'payment'],
  ['checkout', 'inventory'],
  ['inventory', DATABASE],
] as const;
const REQUESTS = 6;

/** One hop of a request: an instrumented service that serves it, or a database its caller queries. */
type Hop =
  | { service: string; operation: string; ms: number; fails?: boolean; calls?: Hop[] }
  | { database: { system: string; namespace: string; statement: string }; ms: number };

function checkoutRequest(isPaymentFailing: boolean): Hop {
  return {
    service: 'web-frontend',
    operation: 'GET /checkout',
    ms: 80,
    calls: [
      {
        service: 'api-gateway',
        operation: 'POST /api/checkout',
        ms: 60,
        calls: [
          {
            service: 'checkout',
            operation: 'POST /checkout',
            ms: 45,
            calls: [
              { service: 'inventory', operation: 'POST /reserve', ms: 14, calls: [{ database: { system: 'postgresql', namespace: 'inventory', statement: 'UPDATE stock' }, ms: 6 }] },
              { service: 'payment', operation: 'POST /charge', ms: 18, fails: isPaymentFailing },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * A small fleet on the real OpenTelemetry SDK: one provider (and resource) per service, as separate
 * processes would have, each exporting OTLP/protobuf on its own. Client and server halves of a call
 * therefore arrive in different exports, and the rollup worker has to pair them.
 */
class Fleet extends ServiceTracers {
  constructor(baseURL: string, key: string) {
    super(baseURL, key, 'e2e-map');
  }

  /** Serves `hop` from `start` (epoch ms): its SERVER span, and a CLIENT span for every call it makes; returns when it ended. */
  serve(hop: Extract<Hop, { service: string }>, parent: Context, start: number): number {
    const tracer = this.tracer(hop.service);
    const server = tracer.startSpan(hop.operation, { kind: SpanKind.SERVER, startTime: new Date(start), attributes: { 'http.request.method': 'POST' } }, parent);
    const inServer = trace.setSpan(parent, server);
    let t = start + 1;
    for (const call of hop.calls ?? []) {
      const isDatabase = 'database' in call;
      const client = tracer.startSpan(
        isDatabase ? call.database.statement : call.operation,
        {
          kind: SpanKind.CLIENT,
          startTime: new Date(t),
          attributes: isDatabase ? { 'db.system': call.database.system, 'db.namespace': call.database.namespace } : { 'http.request.method': 'POST' },
        },
        inServer,
      );
      const end = isDatabase ? t + call.ms : this.serve(call, trace.setSpan(inServer, client), t + 1) + 1;
      if (!isDatabase && call.fails) client.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
      client.end(new Date(end));
      t = end + 1;
    }
    if (hop.fails) server.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    const end = Math.max(start + hop.ms, t);
    server.end(new Date(end));
    return end;
  }
}

async function sendTopology(page: Page, baseURL: string): Promise<void> {
  const fleet = new Fleet(baseURL, await createIngestKey(page, baseURL, 'map'));
  const start = Date.now() - 30_000;
  for (let i = 0; i < REQUESTS; i++) {
    const request = checkoutRequest(i === 2);
    if ('service' in request) fleet.serve(request, context.active(), start + i * 2_000);
  }
  await fleet.flush();
  expect(fleet.failures).toEqual([]);
  // Only makes a failure point at ingest or pairing rather than the UI: every node and call is in the graph.
  await expect
    .poll(
      async () => {
        const graph = (await (await page.request.get('/api/graph')).json()) as { nodes: { id: string }[]; edges: { source: string; target: string }[] };
        const nodes = new Set(graph.nodes.map((n) => n.id));
        const edges = new Set(graph.edges.map((e) => `${e.source}>${e.target}`));
        return [...SERVICES, DATABASE].every((n) => nodes.has(n)) && CALLS.every(([s, t]) => edges.has(`${s}>${t}`));
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
}

/** The tables sit in a collapsed <details>; opens it unless a previous step already did. */
async function openTables(page: Page) {
  const summary = page.getByText('Nodes and calls as tables', { exact: true });
  const details = page.locator('details', { has: summary });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();
  await expect(details).toHaveJSProperty('open', true);
}

test.describe('dependency map', () => {
  test('draws a traced fleet, opens a service from it and follows the time range', async ({ page, baseURL }) => {
    // Ingest, pairing (every 2 s) and a few live refreshes (every 5 s) on top of the usual steps.
    test.setTimeout(120_000);
    expect(baseURL).toBeTruthy();
    await signIn(page, E2E_USERS.admin);
    await sendTopology(page, baseURL!);

    await page.goto('/map?range=15m&live=1');
    await expect(page.getByRole('heading', { name: 'Dependency map', level: 1 })).toBeVisible();
    await openTables(page);
    const nodes = page.getByRole('table', { name: 'Nodes' });
    const calls = page.getByRole('table', { name: 'Calls' });
    await expect(async () => {
      for (const name of [...SERVICES, DATABASE]) await expect(nodes.getByRole('rowheader', { name, exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(nodes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: DATABASE, exact: true }) })).toContainText('database');
    for (const [source, target] of CALLS) await expect(calls.getByRole('rowheader', { name: `${source} → ${target}`, exact: true })).toBeVisible();

    // The drawing has the same nodes, each focusable and named with its metrics.
    const map = page.getByTestId('dependency-map');
    for (const name of SERVICES) await expect(map.getByTestId(`rf__node-${name}`)).toBeVisible({ timeout: 15_000 });
    await expect(map.getByTestId(`rf__node-${DATABASE}`)).toHaveAttribute('aria-label', /database/);
    await expect(map.getByTestId('rf__edge-checkout>payment')).toHaveAttribute('aria-label', /^checkout calls payment: .* errors/);

    // A call's details open in the side panel, with the failed payment counted.
    await calls.getByRole('button', { name: 'Details of checkout → payment' }).click();
    const details = page.getByTestId('map-edge-details');
    await expect(details.getByRole('heading', { name: 'checkout → payment' })).toBeVisible();
    await expect(details).toContainText('Error rate');
    await expect(details.getByRole('link', { name: 'payment', exact: true })).toHaveAttribute('href', '/services/payment');
    await details.getByRole('button', { name: 'Close details' }).click();
    await expect(details).toHaveCount(0);

    // Clicking a service node opens its page with RED, its callers and callees, and the failed trace.
    await map.getByTestId('rf__node-checkout').click();
    await expect(page).toHaveURL(/\/services\/checkout$/);
    await expect(page.getByRole('heading', { name: 'checkout', level: 1 })).toBeVisible();
    const red = page.getByRole('region', { name: 'Requests, errors and latency' });
    await expect(red.getByTestId('red-summary')).toContainText(`${REQUESTS} requests`);
    await expect(red.getByText('Error rate (%)')).toBeVisible();
    const edges = page.getByRole('region', { name: 'Callers and dependencies' });
    for (const peer of ['api-gateway', 'payment', 'inventory']) await expect(edges.getByRole('link', { name: peer, exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Recent error traces' }).getByRole('link', { name: /^Trace [0-9a-f]{32}$/ })).toHaveCount(1);

    // Back on the map, a longer range goes into the URL and the graph is fetched for it.
    await page.goBack();
    await expect(page).toHaveURL(/\/map\?range=15m&live=1$/);
    const reloaded = page.waitForResponse((r) => {
      const from = new URL(r.url()).searchParams.get('from');
      return r.url().includes('/api/graph?') && from !== null && Date.now() - Date.parse(from) > 50 * 60_000;
    });
    await page.getByLabel('Time range', { exact: true }).selectOption('1h');
    await expect(page).toHaveURL(/[?&]range=1h(&|$)/);
    expect((await reloaded).status()).toBe(200);
    await openTables(page);
    for (const name of [...SERVICES, DATABASE]) await expect(nodes.getByRole('rowheader', { name, exact: true })).toBeVisible();
    await expect(page.getByTestId('map-status')).toContainText('the last hour');
    await expect(page.getByTestId('map-status')).not.toContainText('loading');
  });
});
