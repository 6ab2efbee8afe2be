// Administration journeys against the real server: a manager rebrands the app (live preview,
// then every screen and the customer portal), invites a user, reads SLA policies and the audit
// log, and switches the admin screens to German; a customer admin sees their organisation's
// users. Both projects run on the same server one after the other, so names are per project and
// what a journey changes for everyone (branding, the manager's language) is put back.
import { expect, type Page, test } from '@playwright/test';
import { shoot, signIn, USERS } from './support';

// Per project, so neither run depends on what the other left: the colour typed, the shade the
// app's theme paints filled buttons with (index 6) and the one of the header's product name (7).
const BRAND = {
  // Both colours meet WCAG AA against white, so buttons and the product name wear them as chosen.
  desktop: { color: '#5f3dc4', filled: 'rgb(95, 61, 196)', title: 'rgb(95, 61, 196)' },
  phone: { color: '#c92a2a', filled: 'rgb(201, 42, 42)', title: 'rgb(201, 42, 42)' },
} as const;

async function csrf(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === 'kontor_csrf')?.value ?? '';
}

async function tenantSettingsPath(page: Page) {
  const status = await (await page.request.get('/api/auth/status')).json();
  return `/api/tenants/${status.tenant.id}/settings`;
}

// Opens the navigation drawer on phones; a no-op at desktop width.
async function openNav(page: Page, name: string) {
  const burger = page.getByRole('button', { name });
  if (await burger.isVisible()) await burger.click();
}

test('a manager rebrands the app with a live preview, and the portal wears it', async ({
  page,
  browser,
}, info) => {
  const brand = BRAND[info.project.name as keyof typeof BRAND] ?? BRAND.desktop;
  const product = `Northwind Service (${info.project.name})`;
  await signIn(page, USERS.manager, '/admin/branding');
  await expect(page.getByRole('heading', { name: 'Branding' })).toBeVisible();
  const settingsPath = await tenantSettingsPath(page);
  const saved = (await (await page.request.get(settingsPath)).json()).branding;

  try {
    const header = page.getByRole('banner').getByRole('heading', { level: 1 });
    const previewName = page.getByTestId('preview-name');
    await page.getByRole('textbox', { name: 'Product name' }).fill(product);
    await page.getByRole('textbox', { name: 'Primary colour' }).fill(brand.color);
    await page.getByRole('textbox', { name: 'Primary colour' }).press('Escape');

    // The preview changed before saving; the app around it did not.
    await expect(previewName).toHaveText(product);
    await expect(page.getByTestId('preview-button')).toHaveCSS('background-color', brand.filled);
    await expect(previewName).toHaveCSS('color', brand.title);
    await expect(header).not.toHaveText(product);
    await expect(header).not.toHaveCSS('color', brand.title);
    await expect(page.getByTestId('contrast')).toContainText(/WCAG AA/);
    await shoot(page, 'admin-branding', info.project.name);

    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page.getByText('The branding was saved; the app now wears it.')).toBeVisible();
    // The whole app re-themes at once: header name and colour, and the document title.
    await expect(header).toHaveText(product);
    await expect(header).toHaveCSS('color', brand.title);
    await expect(page).toHaveTitle(product);
    await page.reload();
    await expect(header).toHaveText(product);

    // A customer signing in now sees the new name in the portal's header.
    const customer = await browser.newPage();
    try {
      await signIn(customer, USERS.client, '/portal/cases');
      const portalHeader = customer.getByRole('banner').getByRole('heading', { level: 1 });
      await expect(portalHeader).toHaveText(product);
      await expect(portalHeader).toHaveCSS('color', brand.title);
    } finally {
      await customer.close();
    }
  } finally {
    // Back to the demo's branding for the other journeys and screenshots.
    const reset = await page.request.put(settingsPath, {
      data: { branding: saved },
      headers: { 'X-CSRF-Token': await csrf(page) },
    });
    expect(reset.ok()).toBe(true);
  }
});

test('a manager invites a user and sees the invitation link once', async ({ page }, info) => {
  await signIn(page, USERS.manager, '/admin/users');
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  await expect(page.getByText('Erik Expert').first()).toBeVisible();

  const name = `Nina Newcomer ${info.project.name}`;
  const email = `nina.${info.project.name}.${Date.now()}@acme.example`;
  await page.getByRole('button', { name: 'Invite user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a user' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await dialog.getByRole('textbox', { name: 'Customer organisation' }).click();
  await page.getByRole('option', { name: 'Acme Corporation' }).click();
  await dialog.getByRole('button', { name: 'Create invitation' }).click();

  const done = page.getByRole('dialog', { name: `Invitation for ${name}` });
  await expect(done.getByText('Shown only once')).toBeVisible();
  const link = done.getByRole('textbox', { name: 'Invitation link' });
  await expect(link).toHaveValue(/\/register\?invite=[A-Za-z0-9_-]{16,}/);
  const url = new URL(await link.inputValue());
  expect(url.origin).toBe(new URL(page.url()).origin);
  await done.getByRole('button', { name: 'Done' }).click();
  await expect(done).toBeHidden();

  // The new user is listed as invited; the link is not shown anywhere any more.
  await page.getByRole('searchbox', { name: 'Search' }).fill(email);
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row.getByText('Invited')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Invitation link' })).toHaveCount(0);

  // The invitation opens the registration page for this user.
  const invitee = await page.context().browser()!.newPage();
  try {
    await invitee.goto(url.pathname + url.search);
    await expect(invitee).toHaveURL(/\/register\?invite=/);
  } finally {
    await invitee.close();
  }

  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await expect(page.getByText('Erik Expert').first()).toBeVisible();
  await shoot(page, 'admin-users', info.project.name);
});

test('a manager reads the SLA policy and the audit log', async ({ page }, info) => {
  await signIn(page, USERS.manager, '/admin/sla');
  await expect(page.getByRole('heading', { name: 'SLA policies' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name of the policy' })).not.toHaveValue('');
  const high = page.getByRole('group', { name: 'High', exact: true });
  await expect(high.getByRole('group', { name: 'First response' })).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Monday' }).getByRole('switch', { name: 'Open' }),
  ).toBeChecked();
  await shoot(page, 'admin-sla', info.project.name);

  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  // This very sign-in is in the log, in words.
  const table = page.getByRole('table');
  await expect(table.getByText('Signed in').first()).toBeVisible();
  await page.getByRole('textbox', { name: 'Area' }).click();
  await page.getByRole('option', { name: 'Sign-in and security' }).click();
  await expect(page).toHaveURL(/area=auth\./);
  await expect(table.getByText('auth.login', { exact: true }).first()).toBeVisible();
  const show = table.getByRole('button', { name: /^Show details of Signed in/ }).first();
  await show.click();
  await expect(page.getByTestId('audit-details').first()).toContainText('"session"');
  await shoot(page, 'admin-audit', info.project.name);
});

test('the admin screens speak German after switching the language', async ({ page }) => {
  await signIn(page, USERS.manager, '/admin/users');
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  const language = page.getByRole('radiogroup', { name: 'Language' });
  await language.getByText('DE', { exact: true }).click();
  try {
    await expect(page.getByRole('heading', { name: 'Benutzer', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Benutzer einladen' })).toBeVisible();
    for (const [path, heading] of [
      ['/admin/sla', 'SLA-Richtlinien'],
      ['/admin/settings', 'Einstellungen'],
      ['/admin/branding', 'Erscheinungsbild'],
      ['/admin/audit', 'Audit-Protokoll'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('textbox', { name: 'Bereich' })).toBeVisible();
    await openNav(page, 'Navigation öffnen oder schließen');
    await expect(page.getByRole('link', { name: 'SLA-Richtlinien' })).toBeVisible();
  } finally {
    // Back to English for the manager's other journeys.
    await page
      .getByRole('radiogroup', { name: /Language|Sprache/ })
      .getByText('EN', { exact: true })
      .click();
  }
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
});

test("a customer admin sees their organisation's users", async ({ page }, info) => {
  await signIn(page, USERS.customerAdmin, '/portal/users');
  await expect(page.getByRole('heading', { name: 'Users of your organisation' })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table.getByText('Carl Client (Acme)')).toBeVisible();
  await expect(table.getByText('Anna Admin (Acme)')).toBeVisible();
  await expect(table.getByText('Mia Manager')).toHaveCount(0);
  await expect(table.getByText('Erik Expert')).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Organisation' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Edit Carl Client (Acme)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Carl Client (Acme)' });
  await expect(dialog.getByRole('textbox', { name: 'Role' })).toHaveValue('Customer');
  await expect(dialog.getByRole('textbox', { name: 'Hourly rate' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await shoot(page, 'portal-users', info.project.name);
  await openNav(page, 'Open or close the navigation');
  await expect(page.getByRole('link', { name: 'Users' })).toBeVisible();
});
