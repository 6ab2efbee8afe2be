import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { shoot, signIn, USERS } from './support';

test('a customer signs in where they wanted to go and downloads an invoice', async ({
  page,
}, info) => {
  await signIn(page, USERS.client, '/portal/documents');
  await expect(page).toHaveURL(/\/portal\/documents$/);
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  // Acme's four documents; the staff-only note is not among them.
  for (const title of ['Service contract 2026', 'Invoice 2026-10', 'Monthly report October 2026'])
    await expect(page.getByText(title, { exact: true })).toBeVisible();
  await expect(page.getByText('Network notes (internal)')).toHaveCount(0);
  await shoot(page, 'portal-documents', info.project.name);

  await page.getByRole('textbox', { name: 'Category' }).click();
  await page.getByRole('option', { name: 'Invoice' }).click();
  await expect(page.getByText('Service contract 2026', { exact: true })).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download Invoice 2026-10' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Invoice 2026-10.pdf');
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
});

test('a signed-out visitor is sent to sign-in, and signing out ends the session', async ({
  page,
}) => {
  await signIn(page, USERS.customerAdmin, '/portal/documents');
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/portal/documents');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fportal%2Fdocuments/);
});

test('a manager files a document for a customer, and the customer sees it', async ({
  page,
  browser,
}, info) => {
  await signIn(page, USERS.manager, '/customers');
  await page.getByRole('link', { name: 'Acme Corporation' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Corporation' })).toBeVisible();
  await page.getByRole('tab', { name: 'Documents' }).click();
  const form = page.getByRole('region', { name: 'Upload a document' });
  const title = `Offer 2027 (${info.project.name})`;
  await form.locator('input[type="file"]').setInputFiles({
    name: 'offer.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% offer\n'),
  });
  await form.getByRole('textbox', { name: 'Title' }).fill(title);
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('offer.pdf was uploaded.')).toBeVisible();
  await expect(page.getByText(title, { exact: true })).toBeVisible();
  await shoot(page, 'staff-documents', info.project.name);

  const customer = await browser.newPage();
  await signIn(customer, USERS.client, '/portal/documents');
  await expect(customer.getByText(title, { exact: true })).toBeVisible();
  await customer.close();
});
