// "Prove it under attack" in the real browser against the production build: the headers every
// page, API answer and ingest answer carry (a nonce-only script policy, no framing, no sniffing),
// the policy holding when markup does get in, and stored XSS through the fields runbooks.spec.ts
// does not cover: span, resource, event and link attributes, probe results, breaker events,
// alert and incident notes, webhook, probe-target, API-key and user names, and the audit log.
import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type APIResponse, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { E2E_USERS } from './fixtures';

const XSS_MARK = '__faultlineXss';
/** Sets a window flag when it runs: the same shape runbooks.spec.ts uses, so one detector fits both. */
const xss = (label: string) => `<img src=x onerror="window.${XSS_MARK}='${label}'">`;
const scriptTag = (label: string) => `<script>window.${XSS_MARK}='${label}'</script>`;
/** How the page prints a string inside JSON (the audit log's details): quotes escaped. */
const asJson = (text: string) => JSON.stringify(text).slice(1, -1);

type User = { email: string; password: string };

/** An API client signed in as `user` through the login route, sending the app's Origin on writes. */
async function apiAs(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, user: User): Promise<APIRequestContext> {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await api.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  expect(res.status(), await res.text()).toBe(200);
  return api;
}

async function created<T>(response: Promise<APIResponse>, status = 201): Promise<T> {
  const res = await response;
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

/**
 * Signs the page's browser context in through the login route. Not through the form: filled and
 * sent before the page hydrates, the form submits natively (the known bug tested below), which
 * would make these tests racy.
 */
async function signIn(page: Page, baseURL: string | undefined, user: User): Promise<void> {
  const res = await page.request.post('/api/auth/login', { data: { email: user.email, password: user.password }, headers: { origin: baseURL! } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Collects dialogs (dismissed) so a payload that calls alert() is caught, not left hanging. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

/** Fails the test if any injected script ran or opened a dialog in the page. */
async function expectNoScriptRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate((mark) => (window as unknown as Record<string, unknown>)[mark] ?? null, XSS_MARK)).toBeNull();
  expect(dialogs).toEqual([]);
}

/**
 * Elements a payload turned into: handler attributes carrying the mark, or scripts carrying it
 * without the page's nonce (the app's own inline scripts have it, and may carry payloads as data).
 * The page policy stops such markup from running, so this is how a rendering bug still shows.
 */
function payloadMarkup(page: Page): Promise<string[]> {
  return page.evaluate(
    (mark) =>
      [...document.querySelectorAll('*')]
        .filter(
          (el) =>
            [...el.attributes].some((a) => a.name.startsWith('on') && a.value.includes(mark)) ||
            (el.tagName === 'SCRIPT' && !el.hasAttribute('nonce') && (el.textContent ?? '').includes(mark)),
        )
        .map((el) => el.outerHTML.slice(0, 200)),
    XSS_MARK,
  );
}

/** Stored payloads stayed text: none ran, none opened a dialog, none became an element. */
async function expectInert(page: Page, dialogs: string[]) {
  await expectNoScriptRan(page, dialogs);
  expect(await payloadMarkup(page)).toEqual([]);
}

/** The detectors themselves: the payload placed in a page without the app's policy runs, and is seen as markup. */
async function expectDetectorWorks(page: Page) {
  await page.setContent(xss('self-test'));
  await expect.poll(() => page.evaluate((mark) => (window as unknown as Record<string, unknown>)[mark], XSS_MARK)).toBe('self-test');
  expect(await payloadMarkup(page)).toHaveLength(1);
}

function directivesOf(policy: string | undefined): Map<string, string[]> {
  expect(policy, 'Content-Security-Policy header').toBeTruthy();
  return new Map(
    policy!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** The headers next.config.ts sets on every response, pages, API and ingest alike. */
function expectBaselineHeaders(headers: Record<string, string>, what: string) {
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['referrer-policy'], what).toBe('same-origin');
  expect(headers['strict-transport-security'], what).toMatch(/^max-age=\d{7,}/);
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(headers['permissions-policy'], what).toContain('camera=()');
  expect(headers['x-powered-by'], what).toBeUndefined();
}

/** The page policy of proxy.ts and lib/http/content-security-policy.ts, as a production build sends it; returns the nonce. */
function expectPagePolicy(headers: Record<string, string>, what: string): string {
  const csp = directivesOf(headers['content-security-policy']);
  const scripts = csp.get('script-src') ?? [];
  expect(scripts, what).toEqual(expect.arrayContaining(["'self'", "'strict-dynamic'"]));
  const nonces = scripts.filter((v) => v.startsWith("'nonce-"));
  expect(nonces, what).toHaveLength(1);
  expect(nonces[0], what).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:', 'blob:']) {
    expect(scripts, `${what}: script-src allows ${unsafe}`).not.toContain(unsafe);
  }
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'self'"]);
  expect(csp.get('form-action'), what).toEqual(["'self'"]);
  expect(csp.get('default-src'), what).toEqual(["'self'"]);
  expect(csp.get('connect-src'), `${what}: production connects to its own origin only`).toEqual(["'self'"]);
  return nonces[0]!.slice("'nonce-".length, -1);
}

/** Every <script> of server-rendered HTML carries the response's nonce, or it would not run. */
function expectScriptsCarry(html: string, nonce: string, what: string) {
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length, `${what}: no scripts in the HTML`).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, what).toContain(`nonce="${nonce}"`);
}

test.describe('security headers', () => {
  test('pages carry a fresh nonce-only script policy, refuse framing and sniffing, and their scripts carry the nonce', async ({ page, request, baseURL }) => {
    const first = await request.get('/login');
    expect(first.status()).toBe(200);
    expectBaselineHeaders(first.headers(), 'GET /login');
    const nonce = expectPagePolicy(first.headers(), 'GET /login');
    expectScriptsCarry(await first.text(), nonce, 'GET /login');
    const second = await request.get('/login');
    expect(expectPagePolicy(second.headers(), 'GET /login again'), 'the nonce is new on every response').not.toBe(nonce);

    await signIn(page, baseURL, E2E_USERS.viewer);
    for (const path of ['/map', '/incidents', '/settings']) {
      const navigation = await page.goto(path);
      expectBaselineHeaders(navigation!.headers(), `GET ${path} signed in`);
      expectPagePolicy(navigation!.headers(), `GET ${path} signed in`);
      // The same page fetched with the session, to read its HTML as served.
      const served = await page.request.get(path);
      expectScriptsCarry(await served.text(), expectPagePolicy(served.headers(), `GET ${path}`), `GET ${path}`);
    }
  });

  test('JSON API answers and OTLP ingest answers carry the baseline headers', async ({ page, request, baseURL, playwright }) => {
    await signIn(page, baseURL, E2E_USERS.viewer);
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(200);
    expect(me.headers()['content-type']).toMatch(/^application\/json/);
    expectBaselineHeaders(me.headers(), 'GET /api/auth/me');
    // Every JSON answer carries live or private data: no browser or shared cache keeps it.
    expect(me.headers()['cache-control']).toMatch(/no-store/);

    const anonymous = await request.get('/api/auth/me');
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()['content-type']).toMatch(/^application\/json/);
    expectBaselineHeaders(anonymous.headers(), 'GET /api/auth/me without a session');

    const admin = await apiAs(playwright, baseURL!, E2E_USERS.admin);
    const made = await admin.post('/api/api-keys', { data: { name: `e2e-headers-${randomBytes(3).toString('hex')}`, scopes: ['ingest'] } });
    expect(made.status()).toBe(201);
    // The one answer carrying a key in clear must not be kept by a cache.
    expect(made.headers()['cache-control']).toMatch(/no-store/);
    expectBaselineHeaders(made.headers(), 'POST /api/api-keys');
    const { key } = (await made.json()) as { key: string };

    const ingest = await request.post('/v1/traces', { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, data: '{"resourceSpans":[]}' });
    expect(ingest.status(), await ingest.text()).toBe(200);
    expect(ingest.headers()['content-type']).toMatch(/^application\/json/);
    expectBaselineHeaders(ingest.headers(), 'POST /v1/traces');
    const refused = await request.post('/v1/traces', { headers: { 'content-type': 'application/json' }, data: '{"resourceSpans":[]}' });
    expect(refused.status()).toBe(401);
    expectBaselineHeaders(refused.headers(), 'POST /v1/traces without a key');
    await admin.dispose();
  });

  test('another site cannot frame the app', async ({ page, baseURL }) => {
    // The attacker's page on another origin of the same loopback host (so the browser's
    // private-network rules play no part): one frame of the app, and one of its own as a control.
    const attacker = baseURL!.replace('127.0.0.1', 'localhost');
    expect(attacker).not.toBe(baseURL);
    await page.route(`${attacker}/attacker*`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: route.request().url().endsWith('/attacker-own')
          ? '<h1>framed control</h1>'
          : `<!doctype html><title>attacker</title><iframe id="victim" src="${baseURL}/login"></iframe><iframe id="control" src="${attacker}/attacker-own"></iframe>`,
      }),
    );
    await page.goto(`${attacker}/attacker`);
    await expect(page.frameLocator('#control').getByRole('heading', { name: 'framed control' })).toBeVisible();
    // Chromium replaces a frame it refuses to display with its error page.
    const victim = await page.locator('#victim').elementHandle().then((e) => e!.contentFrame());
    await expect.poll(() => victim!.url()).toBe('chrome-error://chromewebdata/');
    await expect(page.frameLocator('#victim').getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
    await expect(page.frameLocator('#victim').getByLabel('Password')).toHaveCount(0);
  });

  test('the login form never sends the password in the URL, even before its script has run', async ({ page }) => {
    // Without its scripts the page is the server-rendered form alone, as it is before hydration.
    await page.route('**/_next/static/**/*.js', (route) => route.abort());
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(E2E_USERS.viewer.email);
    await page.getByLabel('Password').fill(E2E_USERS.viewer.password);
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    // The button stays disabled until the page is interactive; Enter is the browser's own submit.
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    await page.getByLabel('Password').press('Enter');
    await page.waitForLoadState('load');
    expect(new URL(page.url()).search).not.toContain('password');
    expect(urls.filter((u) => u.includes(encodeURIComponent(E2E_USERS.viewer.password)) || u.includes('password='))).toEqual([]);
  });

  test('markup that reaches a page still runs no script: inline handlers and inline scripts are refused by the policy', async ({ page, baseURL }) => {
    const dialogs = watchDialogs(page);
    await expectDetectorWorks(page);
    await signIn(page, baseURL, E2E_USERS.viewer);
    await page.goto('/map');
    // Markup as a rendering bug would let it in: the parser, not this test, creates the handlers and
    // the script (a srcdoc frame inherits the page's policy). Scripts made by DevTools'
    // evaluate are exempt from CSP, so none is built here.
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await page.evaluate(async (mark) => {
      document.body.insertAdjacentHTML('beforeend', `<img src="/no-such-image.png" onerror="window.${mark}='handler'">`);
      const frame = document.createElement('iframe');
      frame.srcdoc = `<script>parent.${mark}='srcdoc-script'</script><img src="/no-such-image.png" onerror="parent.${mark}='srcdoc-handler'">`;
      await new Promise((resolve) => {
        frame.onload = resolve;
        document.body.append(frame);
      });
    }, XSS_MARK);
    await expect.poll(() => refused.filter((r) => /inline event handler/i.test(r)).length, { message: 'both inline handlers refused' }).toBe(2);
    await expect.poll(() => refused.filter((r) => /inline script/i.test(r)).length, { message: 'the inline script refused' }).toBe(1);
    await expectNoScriptRan(page, dialogs);
  });
});

// ---------------------------------------------------------------------------------------------
// Stored XSS through fields runbooks.spec.ts does not cover. Everything is sent the way a sender or
// a user would (OTLP, /v1/probes, /v1/breaker-events, the JSON API), then viewed in the browser.
// ---------------------------------------------------------------------------------------------

test.describe('stored XSS', () => {
  test.describe.configure({ mode: 'serial' });

  const run = randomBytes(4).toString('hex');
  const SERVICE = `e2e-security-${run}`;
  const traceId = randomBytes(16).toString('hex');
  const rootSpanId = randomBytes(8).toString('hex');
  const childSpanId = randomBytes(8).toString('hex');
  const PROBE_TARGET = `db ${xss('probe-target')}`;
  const NAMES = {
    webhook: `hook ${xss('webhook')}`,
    probeTarget: `probe ${xss('probe-target-name')}`,
    apiKey: xss('api-key').slice(0, 100),
    userName: `Mallory ${xss('user-name')}`,
    userEmail: `o'mallory.${run}@e2e.test`,
  };
  const cleanup: Array<(admin: APIRequestContext) => Promise<APIResponse>> = [];
  let admin: APIRequestContext;

  test.beforeAll(async ({ playwright }, testInfo) => {
    const baseURL = testInfo.project.use.baseURL!;
    admin = await apiAs(playwright, baseURL, E2E_USERS.admin);
    const { key } = await created<{ key: string }>(admin.post('/api/api-keys', { data: { name: `e2e-security-${run}`, scopes: ['ingest'] } }));
    const ingest = { authorization: `Bearer ${key}` };

    // One trace: a server span and a child whose every free-text field is a payload.
    const now = BigInt(Date.now()) * 1_000_000n;
    const str = (k: string, v: string) => ({ key: k, value: { stringValue: v } });
    const trace = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', SERVICE), str('deployment.environment', xss('resource-value')), str(xss('resource-key'), 'value')] },
          scopeSpans: [
            {
              scope: { name: xss('scope-name'), version: '1.0.0' },
              spans: [
                { traceId, spanId: rootSpanId, name: 'GET /xss-root', kind: 2, startTimeUnixNano: String(now - 50_000_000n), endTimeUnixNano: String(now), status: { code: 1 } },
                {
                  traceId,
                  spanId: childSpanId,
                  parentSpanId: rootSpanId,
                  name: 'render xss-child',
                  kind: 1,
                  startTimeUnixNano: String(now - 40_000_000n),
                  endTimeUnixNano: String(now - 10_000_000n),
                  attributes: [
                    str('http.route', xss('span-attribute')),
                    str(xss('span-attribute-key'), 'value'),
                    { key: 'xss.list', value: { arrayValue: { values: [{ stringValue: xss('array-item') }] } } },
                  ],
                  events: [
                    { timeUnixNano: String(now - 30_000_000n), name: xss('event-name'), attributes: [str('event.detail', xss('event-attribute'))] },
                    { timeUnixNano: String(now - 20_000_000n), name: 'exception', attributes: [str('exception.type', xss('exception-type')), str('exception.message', 'boom')] },
                  ],
                  links: [{ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), attributes: [str('link.reason', xss('link-attribute'))] }],
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    };
    const sent = await admin.post('/v1/traces', { headers: { ...ingest, 'content-type': 'application/json' }, data: JSON.stringify(trace) });
    expect(sent.status(), await sent.text()).toBe(200);
    expect(await sent.json()).toEqual({});

    // A dependency probe failing three times in a row (enough for an alert), its message a payload.
    const t = Date.now();
    const results = [3, 2, 1].map((s) => ({
      service: SERVICE,
      target: PROBE_TARGET,
      kind: 'dependency',
      status: 'fail',
      latencyMs: 12,
      checkedAt: t - s * 1000,
      message: `${xss('probe-message')} ${scriptTag('probe-message-script')}`,
      dependency: `pg ${xss('probe-dependency')}`,
    }));
    await created(admin.post('/v1/probes', { headers: ingest, data: { results } }), 200);

    // A breaker opening, with every name and the reason a payload.
    await created(
      admin.post('/v1/breaker-events', {
        headers: ingest,
        data: {
          service: SERVICE,
          instance: `pod ${xss('breaker-instance')}`,
          events: [{ breaker: `cb ${xss('breaker-name')}`, dependency: `dep ${xss('breaker-dependency')}`, from: 'closed', to: 'open', at: new Date(t - 2000).toISOString(), failureRate: 80, reason: xss('breaker-reason') }],
        },
      }),
      200,
    );

    // Settings: a disabled destination and a paused target (nothing is sent or probed), a key and a user.
    const hook = await created<{ id: string }>(admin.post('/api/webhooks', { data: { name: NAMES.webhook, url: 'http://127.0.0.1:9/hook', enabled: false } }));
    cleanup.push((api) => api.delete(`/api/webhooks/${hook.id}`));
    const target = await created<{ id: string }>(
      admin.post('/api/probe-targets', { data: { name: NAMES.probeTarget, service: SERVICE, url: 'http://127.0.0.1:9/health', paused: true, intervalSeconds: 3600 } }),
    );
    cleanup.push((api) => api.delete(`/api/probe-targets/${target.id}`));
    const apiKey = await created<{ apiKey: { id: string } }>(admin.post('/api/api-keys', { data: { name: NAMES.apiKey, scopes: ['read'] } }));
    cleanup.push((api) => api.delete(`/api/api-keys/${apiKey.apiKey.id}`));
    await created(admin.post('/api/users', { data: { email: NAMES.userEmail, name: NAMES.userName, role: 'viewer', password: 'e2e-mallory-password' } }));
  });

  test.afterAll(async () => {
    // Other specs share the server: nothing of this one is left to send or probe.
    for (const undo of cleanup) {
      const res = await undo(admin);
      expect(res.ok(), await res.text()).toBe(true);
    }
    await admin.dispose();
  });

  test('span, resource, event and link attributes and the scope show as text in the waterfall', async ({ page, baseURL }) => {
    const dialogs = watchDialogs(page);
    await expectDetectorWorks(page);
    await signIn(page, baseURL, E2E_USERS.viewer);
    await page.goto(`/traces/${traceId}`);
    const spans = page.getByRole('list', { name: 'Spans' });
    await expect(spans.getByRole('listitem')).toHaveCount(2);
    await spans.getByRole('button', { name: /render xss-child/ }).click();
    const detail = page.getByRole('region', { name: 'Span render xss-child' });
    await expect(detail).toBeVisible();

    const spanAttributes = detail.getByRole('table', { name: 'Span attributes' });
    await expect(spanAttributes).toContainText(xss('span-attribute'));
    await expect(spanAttributes).toContainText(xss('span-attribute-key'));
    await expect(spanAttributes).toContainText(asJson(xss('array-item')));
    const events = detail.getByRole('list', { name: 'Events' });
    await expect(events).toContainText(xss('event-name'));
    await expect(events).toContainText(xss('event-attribute'));
    await expect(events).toContainText(xss('exception-type'));
    await expect(detail.getByRole('list', { name: 'Links' })).toContainText(xss('link-attribute'));
    const resource = detail.getByRole('table', { name: 'Resource attributes' });
    await expect(resource).toContainText(xss('resource-value'));
    await expect(resource).toContainText(xss('resource-key'));
    await expect(detail).toContainText(xss('scope-name'));
    await expectInert(page, dialogs);

    await page.goto(`/traces?service=${encodeURIComponent(SERVICE)}`);
    await expect(page.getByRole('link', { name: `Trace ${traceId}` })).toBeVisible();
    await expectInert(page, dialogs);
  });

  test('probe results and breaker events show as text on the service page and the map', async ({ page, baseURL }) => {
    const dialogs = watchDialogs(page);
    await expectDetectorWorks(page);
    await signIn(page, baseURL, E2E_USERS.viewer);
    await page.goto(`/services/${encodeURIComponent(SERVICE)}?range=15m`);
    await expect(page.getByRole('heading', { level: 1, name: SERVICE })).toBeVisible();

    const check = page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3 }).filter({ hasText: PROBE_TARGET }) });
    await expect(check).toBeVisible({ timeout: 15_000 });
    await expect(check.getByTestId('probe-status')).toHaveText('fail');
    await expect(check.getByRole('heading', { level: 3 })).toContainText(PROBE_TARGET);
    await expect(check.getByRole('heading', { level: 3 })).toContainText(xss('probe-dependency'));
    await expect(check).toContainText(`${xss('probe-message')} ${scriptTag('probe-message-script')}`);

    const breakers = page.getByRole('heading', { name: 'Circuit breakers' }).locator('xpath=..');
    await expect(breakers).toContainText(`${SERVICE} → dep ${xss('breaker-dependency')}`, { timeout: 15_000 });
    await expect(breakers).toContainText(`cb ${xss('breaker-name')} on pod ${xss('breaker-instance')}`);
    await expect(breakers).toContainText(xss('breaker-reason'));
    await expectInert(page, dialogs);

    for (const path of ['/services', '/map']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectInert(page, dialogs);
    }
  });

  test("a responder's alert note and incident notes, and the alert built from the probe, show as text", async ({ page, playwright, baseURL }) => {
    test.setTimeout(90_000);
    const dialogs = watchDialogs(page);
    await expectDetectorWorks(page);
    // The live detector runs every 5 s and correlation right after it.
    interface AlertJson {
      id: string;
      rule: string;
      summary: string;
      incidentId: string | null;
    }
    let alert: AlertJson | undefined;
    await expect
      .poll(
        async () => {
          const list = (await (await admin.get(`/api/alerts?service=${encodeURIComponent(SERVICE)}&rule=probe_failing`)).json()) as { alerts: AlertJson[] };
          alert = list.alerts.find((a) => a.incidentId !== null);
          return alert?.id ?? null;
        },
        { timeout: 45_000, intervals: [1000] },
      )
      .not.toBeNull();
    expect(alert!.summary).toContain(PROBE_TARGET);

    const responder = await apiAs(playwright, baseURL!, E2E_USERS.responder);
    const alertNote = `${xss('alert-note')} ${scriptTag('alert-note-script')}`;
    await created(responder.post(`/api/alerts/${alert!.id}/notes`, { data: { note: alertNote } }));
    const incidentNotes = [`# Postmortem ${xss('incident-notes-heading')}`, '', scriptTag('incident-notes-script'), '', `[click](javascript:window.${XSS_MARK}='link')`].join('\n');
    await created(responder.put(`/api/incidents/${alert!.incidentId}/notes`, { data: { notes: incidentNotes } }), 200);
    await responder.dispose();

    await signIn(page, baseURL, E2E_USERS.responder);
    await page.goto(`/alerts/${alert!.id}`);
    const history = page.getByRole('list', { name: 'History' });
    await expect(history).toContainText(alertNote);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(PROBE_TARGET);
    await expect(page.locator('body')).toContainText(alert!.summary);
    await expectInert(page, dialogs);

    await page.goto(`/incidents/${alert!.incidentId}`);
    const notes = page.getByRole('region', { name: 'Saved notes' });
    await expect(notes).toContainText(`# Postmortem ${xss('incident-notes-heading')}`);
    await expect(notes).toContainText(scriptTag('incident-notes-script'));
    await expect(notes.getByRole('link')).toHaveCount(0);
    await expect(notes.locator('img, script')).toHaveCount(0);
    await expectInert(page, dialogs);

    for (const path of [`/alerts?service=${encodeURIComponent(SERVICE)}`, '/incidents']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectInert(page, dialogs);
    }
  });

  test('webhook, probe-target, API-key and user names, and the audit log that records them, show as text in Settings', async ({ page, baseURL }) => {
    const dialogs = watchDialogs(page);
    await expectDetectorWorks(page);
    await signIn(page, baseURL, E2E_USERS.admin);

    await page.goto('/settings/notifications');
    await expect(page.getByRole('row').filter({ hasText: NAMES.webhook })).toBeVisible();
    await expectInert(page, dialogs);

    await page.goto('/settings/probes');
    await expect(page.getByRole('row').filter({ hasText: NAMES.probeTarget })).toBeVisible();
    await expectInert(page, dialogs);

    await page.goto('/settings/api-keys');
    await expect(page.getByRole('row').filter({ hasText: NAMES.apiKey })).toBeVisible();
    await expectInert(page, dialogs);

    await page.goto('/settings/users');
    const user = page.getByRole('row').filter({ hasText: NAMES.userEmail });
    await expect(user).toContainText(NAMES.userName);
    await expectInert(page, dialogs);

    await page.goto('/settings/audit');
    const log = page.getByRole('table');
    await expect(log).toContainText(asJson(NAMES.webhook));
    await expect(log).toContainText(asJson(NAMES.apiKey));
    await expect(log).toContainText(NAMES.userEmail);
    await expect(log.locator('tbody img, tbody script')).toHaveCount(0);
    await expectInert(page, dialogs);
  });
});
