import { expect, test } from '@playwright/test';
import { signIn, USERS } from './support';

test('a customer switches to German, and the account keeps it', async ({ page }) => {
  await signIn(page, USERS.customerAdmin, '/portal/documents');
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await page.getByText('DE', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dokumente' })).toBeVisible();
  await expect(page.getByText('Rechnung', { exact: true }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  // Saved to the account: a new page load speaks German at once.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dokumente' })).toBeVisible();
  // On a phone the navigation sits behind the menu button.
  const menu = page.getByRole('button', { name: 'Navigation öffnen oder schließen' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('link', { name: 'Fälle' }).click();
  await expect(page.getByRole('heading', { name: 'Fälle' })).toBeVisible();
  // Back to English for the other journeys of this user.
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
});
