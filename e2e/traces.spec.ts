import { randomBytes } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { expect, test, type Page } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';
import { createIngestKey, exportingProvider } from './telemetry';

const SERVICE = 'e2e-checkout';

/**
 * Sends "POST /checkout" with a failing "charge card" child through the real OpenTelemetry SDK and
 * OTLP/protobuf exporter, exactly as an instrumented service would; returns the trace id.
 */
async function sendCheckoutTrace(baseURL: string, key: string): Promise<string> {
  const failures: string[] = [];
  const provider = exportingProvider({ baseURL, key, resource: { 'service.name': SERVICE }, failures, immediate: true });
  const tracer = provider.getTracer('e2e-traces');

  const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': '/checkout' } });
  const child = tracer.startSpan('charge card', { kind: SpanKind.CLIENT, attributes: { 'payment.provider': 'acme-pay' } }, trace.setSpan(context.active(), root));
  child.recordException(new Error('card declined by bank'));
  child.setStatus({ code: SpanStatusCode.ERROR });
  child.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  expect(failures).toEqual([]);
  return root.spanContext().traceId;
}

async function signInAndSendTrace(page: Page, baseURL: string | undefined): Promise<string> {
  expect(baseURL).toBeTruthy();
  await signIn(page, E2E_USERS.admin);
  const traceId = await sendCheckoutTrace(baseURL!, await createIngestKey(page, baseURL!, 'traces'));
  // Export answers once the spans are committed; this only makes a failure point at ingest, not the UI.
  await expect.poll(async () => (await page.request.get(`/api/traces/${traceId}`)).status()).toBe(200);
  return traceId;
}

test.describe('traces', () => {
  test('a trace sent with the OpenTelemetry SDK is found by service, opened and inspected', async ({ page, baseURL }) => {
    const traceId = await signInAndSendTrace(page, baseURL);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Traces' }).click();
    await expect(page.getByRole('heading', { name: 'Traces', level: 1 })).toBeVisible();
    await page.getByLabel('Service', { exact: true }).selectOption(SERVICE);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/traces\\?service=${SERVICE}$`));

    const link = page.getByRole('link', { name: `Trace ${traceId}` });
    const row = page.getByRole('row').filter({ has: link });
    await expect(row).toContainText('POST /checkout');
    await expect(row).toContainText(SERVICE);
    await expect(row.getByRole('cell', { name: '2', exact: true })).toBeVisible();
    await expect(row.getByText('1 error', { exact: true })).toBeVisible();

    await link.click();
    await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
    await expect(page.getByRole('heading', { name: `Trace ${traceId.slice(0, 8)}`, level: 1 })).toBeVisible();
    const spans = page.getByRole('list', { name: 'Spans' });
    await expect(spans.getByRole('listitem')).toHaveCount(2);
    await expect(spans.getByRole('listitem').first()).toContainText('POST /checkout');

    // Collapsing the root hides its child; expanding brings it back.
    const toggle = spans.getByRole('button', { name: 'Child spans of POST /checkout' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(spans.getByRole('listitem')).toHaveCount(1);
    await toggle.click();
    await expect(spans.getByRole('listitem')).toHaveCount(2);

    // The error span says so in words, not only in red, and opens from the keyboard.
    const charge = spans.getByRole('button', { name: /charge card/ });
    await expect(charge).toContainText('error');
    await charge.focus();
    await page.keyboard.press('Enter');
    await expect(charge).toHaveAttribute('aria-expanded', 'true');
    const detail = page.getByRole('region', { name: 'Span charge card' });
    await expect(detail).toContainText('client');
    await expect(detail).toContainText(SERVICE);
    const events = detail.getByRole('list', { name: 'Events' });
    await expect(events).toContainText('exception');
    await expect(events).toContainText('card declined by bank');
    await expect(events).toContainText('Error');
    await expect(detail.getByRole('table', { name: 'Span attributes' })).toContainText('acme-pay');

    // Back to the results the search left.
    await page.getByRole('link', { name: 'Back to search' }).click();
    await expect(page).toHaveURL(new RegExp(`/traces\\?service=${SERVICE}$`));
    await expect(page.getByRole('link', { name: `Trace ${traceId}` })).toBeVisible();
  });

  test('a trace opens from a deep link and from its id', async ({ page, baseURL }) => {
    const traceId = await signInAndSendTrace(page, baseURL);

    await page.goto(`/traces/${traceId}`);
    await expect(page).toHaveTitle(`Trace ${traceId.slice(0, 8)} · Faultline`);
    await expect(page.getByRole('heading', { name: /POST \/checkout/, level: 2 })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Spans' }).getByRole('listitem')).toHaveCount(2);

    await page.goto('/traces');
    const idInput = page.getByLabel('Trace ID', { exact: true });
    await idInput.fill('not-a-trace');
    await page.getByRole('button', { name: 'Open trace' }).click();
    await expect(page.getByRole('region', { name: 'Find trace by ID' }).getByRole('alert')).toContainText('Not a trace ID');
    await expect(idInput).toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(/\/traces$/);

    await idInput.fill(traceId.toUpperCase());
    await page.getByRole('button', { name: 'Open trace' }).click();
    await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
    await expect(page.getByRole('list', { name: 'Spans' }).getByRole('listitem')).toHaveCount(2);
  });

  test('an unknown trace id and a malformed one each get a clear answer', async ({ page }) => {
    await signIn(page, E2E_USERS.viewer);
    const unknown = randomBytes(16).toString('hex');
    await page.goto(`/traces/${unknown}`);
    const notFound = page.getByRole('region', { name: 'Trace not found' });
    await expect(notFound).toBeVisible();
    await expect(notFound).toContainText(unknown);
    await expect(notFound).toContainText('may not have arrived yet');

    await page.goto('/traces/not-a-trace');
    await expect(page.getByRole('heading', { name: 'Not a trace id' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Spans' })).toHaveCount(0);
  });
});
