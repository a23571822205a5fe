import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';

const SERVICE = 'faultline-e2e';

test.describe('probes', () => {
  test('an admin adds a probe target, sees it pass, then pauses and deletes it', async ({ page, baseURL }) => {
    // The prober's first run lands anywhere in the first 5 s interval and the panel polls every 5 s.
    test.setTimeout(90_000);
    expect(baseURL).toBeTruthy();
    const name = `self-live-${randomBytes(4).toString('hex')}`;

    await signIn(page, E2E_USERS.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Probes' }).click();
    await expect(page).toHaveURL(/\/settings\/probes$/);

    const form = page.getByRole('form', { name: 'Add a probe target' });
    await expect(form.getByLabel('Interval (seconds)')).toHaveValue('30');
    await expect(form.getByLabel('Timeout (ms)')).toHaveValue('5000');
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Service', { exact: true }).fill(SERVICE);
    await form.getByLabel('URL').fill('not-a-url');
    await form.getByLabel('Interval (seconds)').fill('5');
    await form.getByLabel('Timeout (ms)').fill('2000');
    await form.getByRole('button', { name: 'Add target' }).click();
    await expect(form.getByText('must be an absolute http:// or https:// URL')).toBeVisible();
    await expect(form.getByLabel('URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('URL')).toBeFocused();

    await form.getByLabel('URL').fill(`${baseURL}/api/health/live`);
    await form.getByLabel('Timeout (ms)').fill('5000');
    await form.getByRole('button', { name: 'Add target' }).click();
    await expect(form.getByText('must be shorter than the interval')).toBeVisible();
    await expect(form.getByLabel('Timeout (ms)')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByText('must be an absolute http:// or https:// URL')).toHaveCount(0);

    await form.getByLabel('Timeout (ms)').fill('2000');
    await form.getByRole('button', { name: 'Add target' }).click();
    await expect(page.getByRole('status')).toContainText(`Added “${name}”`);
    await expect(form.getByText('must be shorter than the interval')).toHaveCount(0);

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText(`${baseURL}/api/health/live`);
    await expect(row).toContainText('5 s');
    await expect(row.getByTestId('probe-last-status')).toHaveText('pass', { timeout: 30_000 });

    // The service list picks the new service up from its probe results.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
    const serviceRow = page.getByRole('row', { name: new RegExp(SERVICE) });
    await expect(serviceRow).toContainText('pass');
    await expect(serviceRow.getByRole('link', { name: SERVICE })).toHaveAttribute('href', `/services/${SERVICE}`);

    // A deep link works on its own, range included.
    await page.goto(`/services/${SERVICE}?range=15m`);
    await expect(page.getByRole('heading', { level: 1, name: SERVICE })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: 'Last 15m' })).toHaveAttribute('aria-current', 'true');
    const check = page.getByRole('article', { name });
    await expect(check.getByTestId('probe-status')).toHaveText('pass');
    await expect(check.getByRole('img', { name: /History over the last 15 minutes: \d+ results?: \d+ pass/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Circuit breakers' })).toBeVisible();

    await page.goto('/settings/probes');
    await row.getByRole('button', { name: `Pause ${name}` }).click();
    await expect(row.getByRole('button', { name: `Resume ${name}` })).toBeVisible();
    await expect(row).toContainText('paused');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    await expect(row).toHaveCount(0);
  });

  test('a viewer sees no probe settings form', async ({ page }) => {
    await signIn(page, E2E_USERS.viewer);
    await page.goto('/settings/probes');
    await expect(page.getByText('needs the admin role')).toBeVisible();
    await expect(page.getByRole('form', { name: 'Add a probe target' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add target' })).toHaveCount(0);
  });
});
