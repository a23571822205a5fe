// Runbooks in the real browser: edit with preview, save, diff, restore, a conflict merged instead
// of overwritten, an alert's runbook link, and script in runbooks and service names staying inert.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect, test, type Page } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';
import { createIngestKey, exportingProvider } from './telemetry';

const EDITOR = E2E_USERS.editor;
const XSS_MARK = '__faultlineXss';
const xss = (label: string) => `<img src=x onerror="window.${XSS_MARK}='${label}'">`;

interface RunbookJson {
  id: string;
  slug: string;
  revision: number;
}

/** Creates a runbook through the API as the signed-in page's user (same-origin, so CSRF passes). */
async function createRunbook(page: Page, baseURL: string, input: Record<string, unknown>): Promise<RunbookJson> {
  const res = await page.request.post('/api/runbooks', { data: input, headers: { origin: baseURL } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as RunbookJson;
}

/** Fails the test if any injected script ran or opened a dialog in the page. */
async function expectNoScriptRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate((mark) => (window as unknown as Record<string, unknown>)[mark] ?? null, XSS_MARK)).toBeNull();
  expect(dialogs).toEqual([]);
}

test.describe('runbooks', () => {
  test('an editor finds a starter runbook, edits it with a live preview, saves with Ctrl+S, compares and restores', async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, EDITOR);
    await page.goto('/runbooks');
    await page.getByRole('search', { name: 'Search runbooks' }).getByLabel('Search').fill('retries');
    await expect(page).toHaveURL(/q=retries/);
    const results = page.getByRole('list', { name: 'Runbooks' });
    await results.getByRole('link', { name: 'Retry storm' }).click();
    await expect(page.getByRole('heading', { name: 'Retry storm', level: 1 })).toBeVisible();
    await expect(page.getByTestId('runbook-revision')).toContainText('Revision 1');
    await expect(page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: 'Immediate mitigation' })).toBeVisible();

    await page.getByRole('navigation', { name: 'Runbook actions' }).getByRole('link', { name: 'Edit' }).click();
    const markdown = page.getByLabel('Markdown');
    const original = await markdown.inputValue();
    await markdown.fill(`${original}\n## Checked in the e2e run\n\n- [x] preview renders task lists\n`);
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('heading', { name: 'Checked in the e2e run' })).toBeVisible();
    await expect(preview.getByRole('checkbox').last()).toBeChecked();
    await expect(page.getByTestId('save-status')).toHaveText('Unsaved changes');
    await page.getByLabel('Change summary').fill('Note from the e2e run');
    await markdown.press('ControlOrMeta+s');

    await expect(page).toHaveURL(/\/runbooks\/retry-storm$/);
    await expect(page.getByTestId('runbook-revision')).toContainText('Revision 2');
    await expect(page.getByTestId('runbook-body').getByRole('heading', { name: 'Checked in the e2e run' })).toBeVisible();

    await page.getByRole('navigation', { name: 'Runbook actions' }).getByRole('link', { name: 'History' }).click();
    await expect(page.getByTestId('revision-2')).toContainText('Note from the e2e run');
    const differences = page.getByRole('region', { name: 'Differences' });
    await expect(differences).toContainText('## Checked in the e2e run');
    await expect(differences).toContainText('added');

    await page.getByRole('button', { name: 'Restore revision 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore revision 1?' });
    await dialog.getByRole('button', { name: 'Confirm restore' }).click();
    await expect(page.getByText(/Revision 1 restored as revision 3\./)).toBeVisible();
    await expect(page.getByTestId('revision-3')).toContainText('Restored revision 1');

    await page.goto('/runbooks/retry-storm');
    await expect(page.getByTestId('runbook-revision')).toContainText('Revision 3');
    await expect(page.getByTestId('runbook-body').getByRole('heading', { name: 'Checked in the e2e run' })).toHaveCount(0);
  });

  test('a stale save shows the other change and saves the merge; leaving unsaved work asks first', async ({ page, browser, baseURL }) => {
    test.setTimeout(60_000);
    await signIn(page, EDITOR);
    const runbook = await createRunbook(page, baseURL!, {
      title: 'Conflict drill',
      slug: `conflict-drill-${Date.now()}`,
      ownerTeam: 'SRE',
      tags: [],
      services: [],
      ruleKinds: [],
      body: 'Intro.\n\n## Steps\n\n1. First.\n2. Middle.\n3. Second.\n',
    });

    const other = await browser.newPage();
    await signIn(other, E2E_USERS.admin);
    await other.goto(`/runbooks/${runbook.slug}/edit`);
    await page.goto(`/runbooks/${runbook.slug}/edit`);

    const theirs = other.getByLabel('Markdown');
    await theirs.fill((await theirs.inputValue()).replace('1. First.', '1. First, from the admin.'));
    await other.getByRole('button', { name: 'Save' }).click();
    await expect(other).toHaveURL(new RegExp(`/runbooks/${runbook.slug}$`));

    const mine = page.getByLabel('Markdown');
    await mine.fill((await mine.inputValue()).replace('3. Second.', '3. Second, from the editor.'));
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByTestId('conflict-panel');
    await expect(conflict.getByRole('heading', { name: 'Someone else saved this runbook' })).toBeVisible();
    await expect(conflict).toContainText('1. First, from the admin.');
    await conflict.getByRole('button', { name: 'Load merged version' }).click();
    await expect(mine).toHaveValue(/1\. First, from the admin\.[\s\S]*3\. Second, from the editor\./);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL(new RegExp(`/runbooks/${runbook.slug}$`));
    const body = page.getByTestId('runbook-body');
    await expect(body).toContainText('First, from the admin.');
    await expect(body).toContainText('Second, from the editor.');
    await expect(page.getByTestId('runbook-revision')).toContainText('Revision 3');

    // Unsaved changes: dismissing the question keeps the editor open with the text.
    await page.goto(`/runbooks/${runbook.slug}/edit`);
    await page.getByLabel('Markdown').fill('half-written thought');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Alerts/ }).click();
    await expect.poll(() => asked).toEqual(['You have unsaved changes. Leave without saving?']);
    await expect(page).toHaveURL(/\/edit$/);
    await expect(page.getByLabel('Markdown')).toHaveValue('half-written thought');

    // Leaving anyway (here: straight to another address) keeps the draft for the next visit.
    page.on('dialog', (d) => void d.accept());
    await page.waitForTimeout(700); // the draft is written 500 ms after the last keystroke
    await page.goto('/runbooks');
    await page.goto(`/runbooks/${runbook.slug}/edit`);
    const banner = page.getByTestId('draft-banner');
    await expect(banner).toContainText('You have an unsaved draft');
    await banner.getByRole('button', { name: 'Restore draft' }).click();
    await expect(page.getByLabel('Markdown')).toHaveValue('half-written thought');
    await other.close();
  });

  test('viewers read runbooks but cannot edit them', async ({ page, baseURL }) => {
    await signIn(page, E2E_USERS.viewer);
    await page.goto('/runbooks/incident-response');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Runbook actions' }).getByRole('link', { name: 'Edit' })).toHaveCount(0);
    const list = await (await page.request.get('/api/runbooks?q=incident')).json();
    const id = (list as RunbookJson[])[0]!.id;
    const res = await page.request.put(`/api/runbooks/${id}`, { data: { baseRevision: 1 }, headers: { origin: baseURL! } });
    expect(res.status()).toBe(403);
  });

  test('an alert links its runbook, opened at the matching section; script in names and bodies stays inert', async ({ page, browser, baseURL }) => {
    test.setTimeout(90_000);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // The detector itself: the same payload placed in a page as HTML does run.
    await page.setContent(xss('self-test'));
    await expect.poll(() => page.evaluate((mark) => (window as unknown as Record<string, unknown>)[mark], XSS_MARK)).toBe('self-test');
    // A service whose very name is an XSS payload, failing loudly enough for an error-rate alert.
    const service = `e2e-${Date.now()}-${xss('service')}`;
    const admin = await browser.newPage();
    await signIn(admin, E2E_USERS.admin);
    const key = await createIngestKey(admin, baseURL!, 'runbooks');
    const failures: string[] = [];
    const provider = exportingProvider({ baseURL: baseURL!, key, resource: { 'service.name': service }, failures });
    const tracer = provider.getTracer('e2e-runbooks');
    const now = Date.now();
    for (let i = 0; i < 30; i++) {
      const start = new Date(now - 20_000 + i * 600);
      const span = tracer.startSpan(`GET ${xss('span')}`, { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.response.status_code': 500 } });
      span.setStatus({ code: SpanStatusCode.ERROR, message: xss('status') });
      span.end(new Date(start.getTime() + 30));
    }
    await provider.forceFlush();
    await provider.shutdown();
    expect(failures).toEqual([]);
    await admin.close();

    await signIn(page, EDITOR);
    const runbook = await createRunbook(page, baseURL!, {
      title: `Payments ${xss('title')}`,
      slug: `xss-drill-${Date.now()}`,
      ownerTeam: xss('owner'),
      tags: [xss('tag').slice(0, 60)],
      services: [service],
      ruleKinds: ['error_rate'],
      body: [
        'Intro.',
        '',
        xss('body'),
        '',
        `<script>window.${XSS_MARK}='script'</script>`,
        '',
        `[click me](javascript:window.${XSS_MARK}='link')`,
        '',
        '## Error rate alert',
        '',
        'Roll back the last deploy.',
        '',
      ].join('\n'),
    });

    await page.goto(`/alerts?service=${encodeURIComponent(service)}`);
    const row = page.getByRole('row').filter({ hasText: 'Error rate' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await row.getByRole('link').first().click();
    const runbooks = page.getByRole('region', { name: 'Runbooks' });
    const best = runbooks.getByRole('list', { name: 'Matching runbooks, best first' }).getByRole('listitem').first();
    await expect(best).toContainText('Best match');
    await expectNoScriptRan(page, dialogs);
    await best.getByRole('link', { name: /^Payments/ }).click();

    await expect(page).toHaveURL(new RegExp(`/runbooks/${runbook.slug}#section-error-rate-alert$`));
    const heading = page.getByRole('heading', { name: 'Error rate alert' });
    await expect(heading).toBeFocused();
    await expect(heading).toBeInViewport();
    // The payloads are shown as text, never run.
    await expect(page.getByRole('heading', { level: 1 })).toContainText(xss('title'));
    await expect(page.getByTestId('runbook-body')).toContainText(`<script>window.${XSS_MARK}='script'</script>`);
    await page.getByTestId('runbook-body').getByText('click me').click();
    await expect(page.getByRole('list', { name: 'Recent alerts' })).toBeVisible();
    await expectNoScriptRan(page, dialogs);

    // Every page carries a nonce-only script policy, and the app's own scripts and styles live with it.
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    for (const path of ['/runbooks', `/services/${encodeURIComponent(service)}`, '/map', `/runbooks/${runbook.slug}/history`, `/runbooks/${runbook.slug}/edit`]) {
      const response = await page.goto(path);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectNoScriptRan(page, dialogs);
    }
    expect(refused).toEqual([]);
  });
});
