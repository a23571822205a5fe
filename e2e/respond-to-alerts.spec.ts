// Runs after auth.spec.ts (files run in name order), whose first sign-in expects an empty map.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect, test, type Page } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';
import { createIngestKey, exportingProvider } from './telemetry';

const RESPONDER = E2E_USERS.responder;
const FAILED_REQUESTS = 30;
// The live detector evaluates every 5 s and the list polls every 5 s; the rest is ingest and rollup.
const DETECTION_TIMEOUT_MS = 30_000;

/**
 * Sends failing "POST /pay" SERVER spans for `service`, spread over the last 20 seconds, through the
 * real OpenTelemetry SDK and OTLP/protobuf exporter: every request an error, well past the
 * error-rate rule's 5% and its 10-request minimum.
 */
async function sendFailingRequests(baseURL: string, key: string, service: string): Promise<void> {
  const failures: string[] = [];
  const provider = exportingProvider({ baseURL, key, resource: { 'service.name': service }, failures });
  const tracer = provider.getTracer('e2e-alerts');
  const now = Date.now();
  for (let i = 0; i < FAILED_REQUESTS; i++) {
    // Dates, not numbers: the SDK reads a number older than its process start as performance.now().
    const start = new Date(now - 20_000 + i * 600);
    const span = tracer.startSpan('POST /pay', {
      kind: SpanKind.SERVER,
      startTime: start,
      attributes: { 'http.request.method': 'POST', 'url.path': '/pay', 'http.response.status_code': 503 },
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment backend unavailable' });
    span.end(new Date(start.getTime() + 40));
  }
  await provider.forceFlush();
  await provider.shutdown();
  expect(failures).toEqual([]);
}

/** As an admin in a page of its own (only admins make ingest keys), so the test's user stays signed in. */
async function sendAsAdmin(page: Page, baseURL: string | undefined, service: string): Promise<void> {
  expect(baseURL).toBeTruthy();
  await signIn(page, E2E_USERS.admin);
  await sendFailingRequests(baseURL!, await createIngestKey(page, baseURL!, 'alerts'), service);
}

/** The list filtered to the service, once the detector has raised its error-rate alert. */
async function waitForErrorRateRow(page: Page, service: string) {
  await page.goto(`/alerts?service=${encodeURIComponent(service)}`);
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Filter alerts' }).getByLabel('Service')).toHaveValue(service);
  const row = page.getByRole('row').filter({ hasText: 'Error rate' }).filter({ hasText: service });
  await expect(row).toBeVisible({ timeout: DETECTION_TIMEOUT_MS });
  return row;
}

test.describe('alerts', () => {
  test('an error-rate alert fires from real spans, and a responder acknowledges it with a note', async ({ page, browser, baseURL }) => {
    test.setTimeout(90_000);
    const service = `e2e-alerts-${Date.now()}`;
    const admin = await browser.newPage();
    await sendAsAdmin(admin, baseURL, service);
    await admin.close();

    await signIn(page, RESPONDER);
    const row = await waitForErrorRateRow(page, service);
    await expect(row).toContainText('critical');
    await expect(row).toContainText('firing');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByTestId('nav-firing-count')).toBeVisible({ timeout: 15_000 });

    await row.getByRole('link').click();
    await expect(page).toHaveURL(/\/alerts\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1, name: `Error rate · ${service}` })).toBeVisible();
    await expect(page.getByTestId('alert-state')).toHaveText('firing');
    await expect(page.getByRole('link', { name: `Service page: ${service}` })).toHaveAttribute('href', `/services/${service}`);
    // The signal is computed on request, one rule evaluation per step: allow it a moment.
    await expect(page.getByRole('img', { name: /^Error rate from / })).toBeVisible({ timeout: 15_000 });
    const respond = page.getByRole('region', { name: 'Respond' });
    await expect(respond).toContainText('Keyboard: a acknowledge · r resolve · n note · s silence');

    // "n" jumps to the note without typing itself into it.
    const note = respond.getByLabel('Note', { exact: true });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('n');
    await expect(note).toBeFocused();
    await expect(note).toHaveValue('');
    await note.fill('on it — e2e');
    await respond.getByRole('button', { name: 'Acknowledge', exact: true }).click();

    await expect(respond.getByRole('status')).toHaveText('Acknowledged.');
    await expect(page.getByTestId('alert-state')).toHaveText('acknowledged');
    await expect(note).toHaveValue('');
    const history = page.getByRole('list', { name: 'History' });
    await expect(history.getByRole('listitem').first()).toContainText('Fired');
    const entry = history.getByRole('listitem').filter({ hasText: 'on it — e2e' });
    await expect(entry).toContainText('Acknowledged');
    await expect(entry).toContainText(RESPONDER.email);

    // Acknowledging again is an answer, not an error: it says who did it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('a');
    await expect(respond.getByRole('status')).toContainText(`Already acknowledged by ${RESPONDER.email} at`);

    // The list says the same, with who acknowledged it.
    await page.goto(`/alerts?service=${encodeURIComponent(service)}`);
    const acknowledged = page.getByRole('row').filter({ hasText: 'Error rate' }).filter({ hasText: service });
    await expect(acknowledged).toContainText('acknowledged');
    await expect(acknowledged).toContainText(RESPONDER.email);
  });

  test('a viewer sees a firing alert but no way to act on it', async ({ page, browser, baseURL }) => {
    test.setTimeout(90_000);
    const service = `e2e-alerts-viewer-${Date.now()}`;
    const admin = await browser.newPage();
    await sendAsAdmin(admin, baseURL, service);
    await admin.close();

    await signIn(page, E2E_USERS.viewer);
    const row = await waitForErrorRateRow(page, service);
    await expect(row.getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Acknowledge selected' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add silence' })).toHaveCount(0);

    await row.getByRole('link').click();
    await expect(page.getByTestId('alert-state')).toHaveText('firing');
    await expect(page.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Respond' })).toHaveCount(0);
    await page.keyboard.press('a');
    await expect(page.getByTestId('alert-state')).toHaveText('firing');

    // The server refuses it too, not just the missing button.
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const status = await page.evaluate(async (alertId) => {
      const response = await fetch(`/api/alerts/${alertId}/acknowledge`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return response.status;
    }, id);
    expect(status).toBe(403);
  });
});
