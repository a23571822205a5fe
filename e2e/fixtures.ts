import { expect, type Page } from '@playwright/test';
import { E2E_USERS } from '../lib/server/e2e-server';

export { E2E_USERS };

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/map$/);
  await expect(page.getByTestId('current-user')).toHaveText(user.email);
}
