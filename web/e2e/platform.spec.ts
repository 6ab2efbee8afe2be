// The platform operator creates a tenant, finds it in the list, suspends it and reactivates it.
import { expect, test } from '@playwright/test';
import { shoot, signIn, USERS } from './support';

test('the platform admin creates, finds, suspends and reactivates a tenant', async ({
  page,
}, info) => {
  const name = `Nordlicht Service ${info.project.name}`;
  const slug = `nordlicht-service-${info.project.name}`;

  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/platform\/tenants$/);
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demo Service Desk' })).toBeVisible();

  await page.getByRole('link', { name: 'New tenant' }).click();
  await expect(page.getByRole('heading', { name: 'New tenant' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await expect(page.getByRole('textbox', { name: /Short name/ })).toHaveValue(slug);
  await page.getByRole('textbox', { name: /Contact e-mail/ }).fill('ops@nordlicht.example');
  await page.getByRole('textbox', { name: /Domain/ }).fill('nordlicht.example');
  await page.getByRole('combobox', { name: 'Licence type' }).selectOption({ label: 'Trial' });
  await page.getByRole('textbox', { name: /User limit/ }).fill('25');
  await page.getByRole('textbox', { name: /Storage quota/ }).fill('5');
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Deutsch' });
  const zone = page.getByRole('textbox', { name: 'Time zone' });
  await zone.click();
  await zone.fill('Europe/Ber');
  await page.getByRole('option', { name: 'Europe/Berlin' }).click();
  await expect(zone).toHaveValue('Europe/Berlin');
  await page.getByRole('button', { name: 'Create tenant' }).click();

  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/\/platform\/tenants\/[0-9a-f-]{36}$/);
  const licence = page.getByRole('region', { name: 'Licence and quotas' });
  await expect(licence.getByText('0 of 25')).toBeVisible();
  await expect(licence.getByText('5 GB')).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Recent activity' }).getByText('Tenant created'),
  ).toBeVisible();

  // Found in the list by its short name.
  await page.getByRole('link', { name: '← All tenants' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(slug);
  await expect(page.getByRole('link', { name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demo Service Desk' })).toHaveCount(0);
  await expect(page.getByText('1 tenant', { exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await expect(page.getByRole('link', { name: 'Demo Service Desk' })).toBeVisible();
  await shoot(page, 'platform-tenants', info.project.name);
  await page.getByRole('link', { name }).click();

  // Suspend, after the dialog says what it means; then reactivate.
  const heading = page.getByRole('heading', { name, level: 2 });
  await expect(heading).toBeVisible();
  await page.getByRole('button', { name: 'Suspend tenant' }).click();
  const dialog = page.getByRole('dialog', { name: `Suspend ${name}?` });
  await expect(dialog.getByText('nobody of the tenant can sign in;')).toBeVisible();
  await dialog.getByRole('button', { name: 'Suspend' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/This tenant is suspended/)).toBeVisible();
  await expect(heading.locator('..').getByText('Suspended', { exact: true })).toBeVisible();

  await page.getByRole('link', { name: '← All tenants' }).click();
  await page.getByRole('textbox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Suspended' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.getByRole('link', { name }).click();

  await page.getByRole('button', { name: 'Reactivate tenant' }).click();
  await page
    .getByRole('dialog', { name: `Reactivate ${name}?` })
    .getByRole('button', { name: 'Reactivate' })
    .click();
  await expect(page.getByText(`${name} is active again.`)).toBeVisible();
  await expect(page.getByText(/This tenant is suspended/)).toHaveCount(0);
  await expect(
    page
      .getByRole('heading', { name, level: 2 })
      .locator('..')
      .getByText('Active', { exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Recent activity' }).getByText('Tenant reactivated'),
  ).toBeVisible();
});
