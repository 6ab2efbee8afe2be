import { expect, test } from '@playwright/test';
import { shoot, signIn, USERS } from './support';

test('a customer opens a case with an attachment and finds it in their list', async ({
  page,
}, info) => {
  await signIn(page, USERS.client, '/portal/cases');
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
  await page.getByRole('link', { name: 'New case' }).first().click();
  const title = `Printer on floor 2 jams (${info.project.name})`;
  await page.getByRole('textbox', { name: 'Title' }).fill(title);
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill('Since this morning every second page jams in tray 2.');
  await page.locator('input[type="file"]').setInputFiles({
    name: 'jam.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Error E42 at tray 2\n'),
  });
  await page.getByRole('button', { name: /open case/i }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByText('jam.txt')).toBeVisible();

  await page.goto('/portal/cases');
  await expect(page.getByText(title)).toBeVisible();
  await shoot(page, 'portal-cases', info.project.name);
});
