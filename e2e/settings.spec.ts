import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './fixtures';

test.describe('settings', () => {
  test('an admin creates an API key, sees it once, and the key works', async ({ page, request }) => {
    await signIn(page, E2E_USERS.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'API keys' }).click();
    await expect(page.getByRole('heading', { name: 'Create an API key' })).toBeVisible();

    await page.getByLabel('Name').fill('e2e-reader');
    await page.getByLabel('ingest').uncheck();
    await page.getByLabel('read').check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByTestId('new-api-key');
    await expect(shown).toHaveText(/^flk_/);
    const key = (await shown.textContent())!;
    const row = page.getByRole('row', { name: /e2e-reader/ });
    await expect(row).toContainText('read');
    // The list shows only a prefix, never the key itself.
    await expect(row).not.toContainText(key);

    const me = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'api_key', label: 'e2e-reader', scopes: ['read'] });

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('revoked');
    expect((await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(401);
  });

  test('an admin adds a user, who can then sign in', async ({ page, browser }) => {
    await signIn(page, E2E_USERS.admin);
    await page.goto('/settings/users');
    await page.getByLabel('E-mail').fill('new.responder@e2e.test');
    await page.getByLabel('Role', { exact: true }).selectOption('responder');
    await page.getByLabel('Initial password (12+ characters)').fill('responder-password-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toContainText('Created new.responder@e2e.test (responder)');
    await expect(page.getByRole('row', { name: /new.responder@e2e.test/ })).toBeVisible();

    const other = await browser.newPage();
    await signIn(other, { email: 'new.responder@e2e.test', password: 'responder-password-1' });
    await other.close();
  });

  test('a viewer is refused admin actions by the server, not just by a hidden button', async ({ page }) => {
    await signIn(page, E2E_USERS.viewer);
    await page.goto('/settings/api-keys');
    await expect(page.getByText('needs the admin role')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create key' })).toHaveCount(0);

    // The same request the admin page would send, from the viewer's signed-in browser.
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/api-keys', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'sneaky', scopes: ['admin'] }),
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string } } };
    });
    expect(status.status).toBe(403);
    expect(status.body.error.code).toBe('forbidden');

    const users = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(users).toBe(403);
  });
});
