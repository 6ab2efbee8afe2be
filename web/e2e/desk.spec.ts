// The service desk against the real server: a customer opens a case, a technician finds it in the
// queue, takes it, writes an internal note and a public reply and resolves it; the customer sees
// the reply and the new status but never the note. Also: the queue keeps its filter in the address.
import { expect, type Page, test } from '@playwright/test';
import { shoot, signIn, USERS } from './support';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

// A saved filter of the queue (a segmented control: the radio itself is visually hidden).
async function chooseView(page: Page, name: string) {
  await page
    .getByRole('radiogroup', { name: 'Saved filters' })
    .getByText(name, { exact: true })
    .click();
  await expect(page.getByRole('radio', { name })).toBeChecked();
}

test('a technician answers a case from the queue; the customer sees the reply, not the note', async ({
  page,
}, info) => {
  const project = info.project.name;
  const title = `Scanner shows error E17 (${project})`;
  const note = `Firmware 2.1 on this model is known to fail (${project}).`;
  const reply = `Please restart the scanner while holding the power key (${project}).`;

  // The customer opens a case in the portal.
  await signIn(page, USERS.client, '/portal/cases/new');
  await page.getByRole('textbox', { name: 'Title' }).fill(title);
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill('Since this morning the scanner on floor 2 shows E17 after every page.');
  await page.getByRole('button', { name: /open case/i }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await signOut(page);

  // The technician lands on the queue and finds it among the unassigned tickets.
  await signIn(page, USERS.expert);
  await expect(page).toHaveURL(/\/desk$/);
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  await chooseView(page, 'All');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await shoot(page, 'desk-queue', project);
  await chooseView(page, 'Unassigned');
  await expect(page).toHaveURL(/view=unassigned/);
  await page.getByRole('searchbox', { name: 'Search' }).fill(`E17 ${project}`);
  const link = page.getByRole('link', { name: title });
  await expect(link).toBeVisible();
  await expect(page).toHaveURL(/q=E17/);
  await link.click();

  // The ticket: take it, note, reply.
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
  const details = page.getByRole('region', { name: 'Details' });
  await details.getByRole('button', { name: 'Assign to me' }).click();
  await expect(details.getByRole('textbox', { name: 'Assignee' })).toHaveValue('Erik Expert');
  await expect(details.getByRole('textbox', { name: 'Status' })).toHaveValue('Assigned');
  // The tenant's staff can be chosen too (an EXPERT may list them).
  await details.getByRole('textbox', { name: 'Assignee' }).click();
  await expect(page.getByRole('option', { name: 'Mia Manager' })).toBeVisible();
  await page.keyboard.press('Escape');

  const composer = page.getByRole('region', { name: 'Respond' });
  const conversation = page.getByRole('region', { name: 'Conversation' });
  await composer.getByText('Internal note', { exact: true }).click();
  await expect(composer.getByText('Only staff see this.')).toBeVisible();
  await composer.getByRole('textbox', { name: 'Internal note for staff' }).fill(note);
  await composer.getByRole('button', { name: 'Add internal note' }).click();
  const noteItem = conversation.getByRole('listitem').filter({ hasText: note });
  await expect(noteItem).toBeVisible();
  await expect(noteItem.getByText('Internal note')).toBeVisible();

  await composer.getByText('Reply', { exact: true }).click();
  await expect(composer.getByText('The customer will see this.')).toBeVisible();
  await composer.getByRole('textbox', { name: 'Reply to the customer' }).fill(reply);
  await composer.getByRole('button', { name: 'Send reply' }).click();
  const replyItem = conversation.getByRole('listitem').filter({ hasText: reply });
  await expect(replyItem).toBeVisible();
  await expect(replyItem.getByText('Internal note')).toHaveCount(0);
  await expect(replyItem.getByText('Erik Expert')).toBeVisible();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByText('Erik Expert took the ticket')).toBeVisible();
  await expect(history.getByText('Erik Expert added an internal note')).toBeVisible();
  await shoot(page, 'desk-ticket', project);

  // Resolve.
  await details.getByRole('button', { name: 'Resolve' }).click();
  await expect(details.getByRole('textbox', { name: 'Status' })).toHaveValue('Resolved');
  await expect(
    history.getByText('Erik Expert changed the status from Assigned to Resolved'),
  ).toBeVisible();

  // The customer's page of Acme lists the ticket.
  await page.getByRole('link', { name: 'Acme Corporation' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Corporation' })).toBeVisible();
  await expect(page.getByText('it@acme.example')).toBeVisible();
  await page.getByRole('textbox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Any status' }).click();
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await shoot(page, 'customer-view', project);
  await signOut(page);

  // The customer sees the reply, who wrote it and the status — and no note.
  await signIn(page, USERS.client, '/portal/cases');
  await page.getByRole('textbox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'All' }).click();
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const portalConversation = page.getByRole('region', { name: 'Conversation' });
  const seen = portalConversation.getByRole('listitem').filter({ hasText: reply });
  await expect(seen).toBeVisible();
  await expect(seen.getByText('Erik Expert')).toBeVisible();
  await shoot(page, 'portal-case', project);
  await expect(page.getByText(note)).toHaveCount(0);
  await expect(page.getByText('Internal note')).toHaveCount(0);
  await expect(page.getByText('Resolved', { exact: true }).first()).toBeVisible();
});

test('the queue keeps its filter in the address and remembers the last one', async ({ page }) => {
  await signIn(page, USERS.expert, '/desk');
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  await chooseView(page, 'Breached');
  await expect(page).toHaveURL(/view=breached/);
  await chooseView(page, 'Mine');
  await expect(page).toHaveURL(/view=mine/);
  await page.goBack();
  await expect(page.getByRole('radio', { name: 'Breached' })).toBeChecked();
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Breached' })).toBeChecked();
  // A later visit to the bare queue starts with the last choice made on this device.
  await page.goto('/desk');
  await expect(page.getByRole('radio', { name: 'Breached' })).toBeChecked();
});
