// Runs after auth.spec.ts (files run in name order), whose first sign-in expects an empty map.
import { SpanKind, SpanStatusCode, context, trace, type Context, type Tracer } from '@opentelemetry/api';
import { expect, test, type Page } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';
import { createIngestKey, ServiceTracers } from './telemetry';

// Names no other spec uses: the incident this spec finds is the cascade it sent.
const FRONTEND = 'e2e-frontend';
const GATEWAY = 'e2e-gateway';
const LEDGER = 'e2e-ledger';
const REQUESTS = 40;
// Detection runs every 5 s and correlation right after it; the list polls every 5 s; the rest is ingest and rollup.
const INCIDENT_TIMEOUT_MS = 45_000;
const NOTE = 'ledger answers 500 — e2e';

/**
 * One request through the cascade: frontend SERVER → CLIENT → gateway SERVER → CLIENT → ledger
 * SERVER, which fails with a 500 and takes every caller down with it. Each span is started in
 * its parent's context, so the trace is connected and the ledger is where the failure starts.
 */
function sendRequest(fleet: ServiceTracers, start: number): void {
  const failed = (span: ReturnType<Tracer['startSpan']>, message: string, end: number) => {
    span.setAttribute('http.response.status_code', 500);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    // Dates, not numbers: the SDK reads a number older than its process start as performance.now().
    span.end(new Date(end));
  };
  const server = (service: string, operation: string, parent: Context, at: number) =>
    fleet.tracer(service).startSpan(operation, { kind: SpanKind.SERVER, startTime: new Date(at), attributes: { 'http.request.method': 'GET', 'url.path': operation.split(' ')[1] } }, parent);
  const client = (service: string, operation: string, peer: string, parent: Context, at: number) =>
    fleet.tracer(service).startSpan(operation, { kind: SpanKind.CLIENT, startTime: new Date(at), attributes: { 'http.request.method': 'GET', 'peer.service': peer } }, parent);

  const frontend = server(FRONTEND, 'GET /statement', context.active(), start);
  const inFrontend = trace.setSpan(context.active(), frontend);
  const toGateway = client(FRONTEND, 'GET /api/statement', GATEWAY, inFrontend, start + 2);
  const gateway = server(GATEWAY, 'GET /api/statement', trace.setSpan(inFrontend, toGateway), start + 4);
  const inGateway = trace.setSpan(trace.setSpan(inFrontend, toGateway), gateway);
  const toLedger = client(GATEWAY, 'GET /balance', LEDGER, inGateway, start + 6);
  const ledger = server(LEDGER, 'GET /balance', trace.setSpan(inGateway, toLedger), start + 8);

  failed(ledger, 'ledger database unavailable', start + 28);
  failed(toLedger, 'HTTP 500', start + 30);
  failed(gateway, 'upstream ledger failed', start + 32);
  failed(toGateway, 'HTTP 500', start + 34);
  failed(frontend, 'upstream gateway failed', start + 36);
}

/** Requests spread over the last 20 seconds, every one failing: well past the error-rate rule's 5% and its 10-request minimum on each service. */
async function sendCascade(baseURL: string, key: string): Promise<void> {
  // Three services, each exporting on its own as separate processes would.
  const fleet = new ServiceTracers(baseURL, key, 'e2e-incidents');
  const now = Date.now();
  for (let i = 0; i < REQUESTS; i++) sendRequest(fleet, now - 20_000 + i * 450);
  await fleet.flush();
  expect(fleet.failures).toEqual([]);
}

/** As an admin in a page of its own (only admins make ingest keys), so the test's user stays signed in. */
async function sendAsAdmin(page: Page, baseURL: string | undefined): Promise<void> {
  expect(baseURL).toBeTruthy();
  await signIn(page, E2E_USERS.admin);
  await sendCascade(baseURL!, await createIngestKey(page, baseURL!, 'incidents'));
}

/** The list's row whose root cause is exactly the ledger (the list refreshes itself every 5 s). */
function ledgerRow(page: Page) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: LEDGER, exact: true }) });
}

test.describe('incidents', () => {
  test('a failing cascade becomes one incident rooted at the ledger, and a responder acknowledges it', async ({ page, browser, baseURL }) => {
    test.setTimeout(120_000);
    const admin = await browser.newPage();
    await sendAsAdmin(admin, baseURL);
    await admin.close();

    await signIn(page, E2E_USERS.responder);
    await page.goto('/incidents');
    await expect(page.getByRole('heading', { name: 'Incidents', level: 1 })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Filter incidents' }).getByLabel('Status')).toHaveValue('all');
    await expect(ledgerRow(page).first()).toBeVisible({ timeout: INCIDENT_TIMEOUT_MS });
    // Alerts raised a tick apart can open two incidents for a moment; the next alert that connects them merges them.
    await expect(ledgerRow(page)).toHaveCount(1, { timeout: 15_000 });
    const row = ledgerRow(page);
    await expect(row).toContainText('open');
    await expect(row).toContainText('critical');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByTestId('nav-open-incidents')).toBeVisible({ timeout: 15_000 });

    await row.getByRole('link').click();
    await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('incident-status')).toHaveText('open');
    const rootCause = page.getByRole('region', { name: 'Root cause' });
    await expect(rootCause.getByText(LEDGER, { exact: true })).toBeVisible();
    await expect(rootCause.getByRole('list', { name: 'Evidence for the root cause' }).getByRole('listitem').first()).toBeVisible();
    const traces = rootCause.getByRole('link', { name: /^Failing traces/ });
    await expect(traces).toHaveAttribute('href', new RegExp(`^/traces\\?service=${LEDGER}&status=error&from=`));

    // The timeline's table lists what the drawing shows: the alerts that fired, in time order.
    const timeline = page.getByRole('region', { name: 'Timeline entries, oldest first' });
    await expect(timeline.getByRole('row').filter({ hasText: 'Alert fired' }).first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Alerts of this incident' }).getByRole('link').first()).toBeVisible();

    const respond = page.getByRole('region', { name: 'Respond' });
    await expect(respond).toContainText('Keyboard: a acknowledge · r resolve · n notes');
    await respond.getByLabel('Note', { exact: true }).fill(NOTE);
    await respond.getByRole('button', { name: 'Acknowledge all' }).click();
    await expect(respond.getByRole('status')).toHaveText('Acknowledged the incident and its firing alerts.');
    await expect(page.getByTestId('incident-status')).toHaveText('acknowledged');
    await expect(respond.getByRole('button', { name: 'Acknowledge all' })).toBeDisabled();
    await expect(timeline).toContainText(`incident acknowledged by ${E2E_USERS.responder.email}: ${NOTE}`);

    // Acknowledging again by key is an answer, not an error: it says who did it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('a');
    await expect(respond.getByRole('status')).toContainText(`Already acknowledged by ${E2E_USERS.responder.email} at`);

    // The list says the same.
    await page.goto('/incidents?status=acknowledged');
    await expect(ledgerRow(page)).toContainText('acknowledged');

    // A viewer reads the incident but has no way to act on it.
    const viewer = await browser.newPage();
    await signIn(viewer, E2E_USERS.viewer);
    await viewer.goto('/incidents');
    await ledgerRow(viewer).getByRole('link').click();
    await expect(viewer.getByTestId('incident-status')).toHaveText('acknowledged');
    await expect(viewer.getByRole('region', { name: 'Respond' })).toHaveCount(0);
    await expect(viewer.getByRole('button', { name: 'Save notes' })).toHaveCount(0);
    await viewer.close();
  });
});
