import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';

test.describe('signing in and out', () => {
  test('a page needs a session and sends the visitor to the login page', async ({ page }) => {
    await page.goto('/incidents');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('an admin signs in, sees the shell, and signs out', async ({ page }) => {
    await signIn(page, E2E_USERS.admin);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of ['Map', 'Incidents', 'Alerts', 'Runbooks', 'Traces', 'Settings']) {
      await expect(nav.getByRole('link', { name: item })).toBeVisible();
    }
    await expect(page.getByRole('heading', { name: 'No services have reported yet' })).toBeVisible();
    await expect(page.getByLabel('OpenTelemetry exporter settings')).toContainText('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    // The session is gone on the server, not just forgotten by the page.
    await page.goto('/map');
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  });

  test('a wrong password and an unknown e-mail get the same refusal', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(E2E_USERS.viewer.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('form', { name: 'Sign in' }).getByRole('alert');
    await expect(alert).toHaveText('Invalid e-mail or password');
    await expect(page).toHaveURL(/\/login$/);

    await page.getByLabel('E-mail').fill('nobody@e2e.test');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(alert).toHaveText('Invalid e-mail or password');
  });

  test('repeated failures lock the account for a while', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(E2E_USERS.lockout.email);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Password').fill(`wrong-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Invalid e-mail or password');
    }
    await page.getByLabel('Password').fill(E2E_USERS.lockout.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toContainText('Too many failed sign-in attempts');
  });

  test('the session cookie is httpOnly and SameSite=Lax', async ({ page, context }) => {
    await signIn(page, E2E_USERS.viewer);
    const cookie = (await context.cookies()).find((c) => c.name === 'faultline_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('faultline_session');
  });
});
