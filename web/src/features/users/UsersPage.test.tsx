import { notifications } from '@mantine/notifications';
import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { anna, carl, directoryOf, erik, ida, INITECH, mia, userOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => act(() => notifications.clean()));

const rowOf = async (name: string) =>
  within(await screen.findByRole('table'))
    .getByText(name)
    .closest('tr')!;

async function choose(label: string, option: string, within_: HTMLElement = document.body) {
  const user = userEvent.setup();
  await user.click(within(within_).getByRole('textbox', { name: label }));
  await user.click(await within(within_).findByRole('option', { name: option }));
}

describe('users (manager)', { timeout: 30_000 }, () => {
  it("lists the tenant's users with role, organisation, status, last sign-in and two-factor", async () => {
    const dir = directoryOf();
    await renderApp('/admin/users');
    expect(await screen.findByRole('heading', { name: 'Users' })).toBeInTheDocument();
    const erikRow = await rowOf('Erik Expert');
    expect(within(erikRow).getByText('erik@demo.example')).toBeInTheDocument();
    expect(within(erikRow).getByText('Technician')).toBeInTheDocument();
    expect(within(erikRow).getByText('Active')).toBeInTheDocument();
    expect(within(erikRow).getByText('Nov 20, 2026, 8:15 AM')).toBeInTheDocument();
    expect(within(erikRow).getByText('On')).toBeInTheDocument();
    const idaRow = await rowOf('Ida Invited');
    expect(within(idaRow).getByText('Invited')).toBeInTheDocument();
    expect(within(idaRow).getByText('Initech')).toBeInTheDocument();
    expect(within(idaRow).getByText('Never')).toBeInTheDocument();
    expect(within(await rowOf('Carl Client')).getByText('Acme Corporation')).toBeInTheDocument();
    expect(within(await rowOf('Mia Manager')).getByText('(you)')).toBeInTheDocument();
    expect(screen.getByText('5 users')).toBeInTheDocument();
    const q = dir.listQueries.at(-1)!;
    expect(q.get('page')).toBe('1');
    expect(q.get('limit')).toBe('25');
    expect(q.has('role')).toBe(false);
  });

  it('pages through many users, keeping the page in the address', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      userOf({
        id: `u${i}`,
        name: `User ${String(i).padStart(2, '0')}`,
        email: `u${i}@demo.example`,
      }),
    );
    const dir = directoryOf({ users: [mia, ...many] });
    const user = userEvent.setup();
    const { router } = await renderApp('/admin/users');
    expect(await screen.findByText('User 00')).toBeInTheDocument();
    expect(screen.getByText('31 users')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('User 29')).toBeInTheDocument();
    expect(dir.listQueries.at(-1)?.get('page')).toBe('2');
    expect(router.state.location.search).toBe('?page=2');
  });

  it('filters by role, status and search on the server', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await screen.findByText('Erik Expert');
    await choose('Role', 'Customer');
    await waitFor(() => expect(screen.queryByText('Erik Expert')).not.toBeInTheDocument());
    expect(dir.listQueries.at(-1)?.get('role')).toBe('CLIENT');
    expect(screen.getByText('Carl Client')).toBeInTheDocument();

    await choose('Status', 'Invited');
    await waitFor(() => expect(screen.queryByText('Carl Client')).not.toBeInTheDocument());
    expect(dir.listQueries.at(-1)?.get('status')).toBe('invited');
    expect(dir.listQueries.at(-1)?.get('role')).toBe('CLIENT');

    await choose('Role', 'All roles');
    await choose('Status', 'All statuses');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'acme');
    await waitFor(() => expect(dir.listQueries.at(-1)?.get('search')).toBe('acme'));
    await waitFor(() => expect(screen.queryByText('Erik Expert')).not.toBeInTheDocument());
    expect(screen.getByText('Anna Admin')).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Search' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'nobody');
    expect(await screen.findByText('No user matches the filter.')).toBeInTheDocument();
  });

  it('invites a customer user into an organisation and shows the link once', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await screen.findByText('Erik Expert');
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a user' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Nora New');
    await user.type(within(dialog).getByRole('textbox', { name: 'E-mail' }), 'nora@acme.example');
    // A customer user needs an organisation: checked before anything is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));
    expect(
      await within(dialog).findByText('Choose the organisation this user belongs to.'),
    ).toBeInTheDocument();
    expect(dir.created).toHaveLength(0);
    await choose('Customer organisation', 'Acme Corporation', dialog);
    await choose('Language', 'German', dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));

    const done = await screen.findByRole('dialog', { name: 'Invitation for Nora New' });
    expect(dir.created).toEqual([
      {
        name: 'Nora New',
        email: 'nora@acme.example',
        role: 'CLIENT',
        customer_id: ACME,
        locale: 'de',
      },
    ]);
    const link = within(done).getByRole('textbox', { name: 'Invitation link' });
    expect(link).toHaveValue(`${window.location.origin}/register?invite=tok-1`);
    expect(within(done).getByText('Shown only once')).toBeInTheDocument();
    expect(within(done).getByText(/It will not be shown again/)).toBeInTheDocument();
    expect(within(done).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    await user.click(within(done).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    // The list shows the new user; the link is nowhere any more, not even when inviting again.
    expect(await screen.findByText('Nora New')).toBeInTheDocument();
    expect(screen.queryByDisplayValue(/register\?invite=/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    const again = await screen.findByRole('dialog', { name: 'Invite a user' });
    expect(within(again).getByRole('textbox', { name: 'Name' })).toHaveValue('');
    expect(screen.queryByDisplayValue(/register\?invite=/)).not.toBeInTheDocument();
  });

  it('invites a technician with an hourly rate and no organisation', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await screen.findByText('Erik Expert');
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a user' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Tom Tech');
    await user.type(within(dialog).getByRole('textbox', { name: 'E-mail' }), 'tom@demo.example');
    await choose('Role', 'Technician', dialog);
    expect(within(dialog).queryByRole('textbox', { name: 'Customer organisation' })).toBeNull();
    await user.type(within(dialog).getByRole('textbox', { name: 'Hourly rate' }), '95.5');
    const currency = within(dialog).getByRole('textbox', { name: 'Currency' });
    await user.clear(currency);
    await user.type(currency, 'chf');
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));
    await screen.findByRole('dialog', { name: 'Invitation for Tom Tech' });
    expect(dir.created).toEqual([
      {
        name: 'Tom Tech',
        email: 'tom@demo.example',
        role: 'EXPERT',
        hourly_rate: { amount_cents: 9550, currency: 'CHF' },
      },
    ]);
  });

  it('explains a full licence and a taken e-mail address', async () => {
    directoryOf({ maxUsers: 5 });
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await screen.findByText('Erik Expert');
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a user' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Carl Again');
    await user.type(within(dialog).getByRole('textbox', { name: 'E-mail' }), 'carl@acme.example');
    await choose('Customer organisation', 'Acme Corporation', dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));
    expect(
      await within(dialog).findByText('This e-mail address already has an account.'),
    ).toBeInTheDocument();

    const email = within(dialog).getByRole('textbox', { name: 'E-mail' });
    await user.clear(email);
    await user.type(email, 'new@acme.example');
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));
    const alert = await within(dialog).findByRole('alert');
    expect(within(alert).getByText('No seat left on the licence')).toBeInTheDocument();
    expect(
      within(alert).getByText(/Deactivate a user who no longer needs access/),
    ).toBeInTheDocument();
    expect(within(alert).getByText('req-quota_exceeded')).toBeInTheDocument();
  });

  it('shows the server’s field errors at their fields', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await screen.findByText('Erik Expert');
    // The server's rule (a customer user needs an organisation) met through a role change.
    await user.click(
      within(await rowOf('Erik Expert')).getByRole('button', { name: 'Edit Erik Expert' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Erik Expert' });
    dir.customers = [];
    await choose('Role', 'Customer', dialog);
    expect(
      within(dialog).getByText(/belongs to an organisation and has no hourly rate/),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(
      await within(dialog).findByText('Choose the organisation this user belongs to.'),
    ).toBeInTheDocument();
    expect(dir.updates).toHaveLength(0);
  });

  it('moves a technician to a customer organisation: role, organisation and no rate at once', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Erik Expert')).getByRole('button', { name: 'Edit Erik Expert' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Erik Expert' });
    expect(within(dialog).getByRole('textbox', { name: 'Hourly rate' })).toHaveValue('95');
    expect(within(dialog).getByRole('textbox', { name: 'Currency' })).toHaveValue('EUR');
    await choose('Role', 'Customer', dialog);
    await choose('Customer organisation', 'Initech', dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(dir.updates).toHaveLength(1));
    expect(dir.updates[0]).toEqual({
      id: erik.id,
      body: { role: 'CLIENT', customer_id: INITECH, hourly_rate: null },
    });
    expect(await screen.findByText('The changes to Erik Expert were saved.')).toBeInTheDocument();
    // A customer user has no skills.
    expect(within(dialog).queryByRole('heading', { name: 'Skills' })).toBeNull();
  });

  it('changes only the hourly rate', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Erik Expert')).getByRole('button', { name: 'Edit Erik Expert' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Erik Expert' });
    const save = within(dialog).getByRole('button', { name: 'Save changes' });
    expect(save).toBeDisabled();
    const rate = within(dialog).getByRole('textbox', { name: 'Hourly rate' });
    await user.clear(rate);
    await user.type(rate, '110');
    await user.click(save);
    await waitFor(() => expect(dir.updates).toHaveLength(1));
    expect(dir.updates[0]!.body).toEqual({ hourly_rate: { amount_cents: 11000, currency: 'EUR' } });
  });

  it('deactivates a user after a confirmation that all sign-ins end, and reactivates', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Carl Client')).getByRole('button', { name: 'Edit Carl Client' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Carl Client' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    const confirm = await screen.findByRole('dialog', { name: 'Deactivate Carl Client?' });
    expect(
      within(confirm).getByText(/Every sign-in of Carl Client ends at once, on every device/),
    ).toBeInTheDocument();
    expect(dir.updates).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Yes, deactivate' }));
    await waitFor(() => expect(dir.updates).toHaveLength(1));
    expect(dir.updates[0]).toEqual({ id: carl.id, body: { status: 'inactive' } });
    const back = await screen.findByRole('dialog', { name: 'Carl Client' });
    expect(within(back).getByText('Deactivated')).toBeInTheDocument();
    await user.click(within(back).getByRole('button', { name: 'Reactivate' }));
    await waitFor(() => expect(dir.updates).toHaveLength(2));
    expect(dir.updates[1]!.body).toEqual({ status: 'active' });
    expect(await within(back).findByText('Active')).toBeInTheDocument();
  });

  it('says when reactivating finds no seat left', async () => {
    directoryOf({ maxUsers: 4, users: [anna, { ...carl, status: 'inactive' }, erik, ida, mia] });
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Carl Client')).getByRole('button', { name: 'Edit Carl Client' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Carl Client' });
    await user.click(within(dialog).getByRole('button', { name: 'Reactivate' }));
    expect(await within(dialog).findByText('No seat left on the licence')).toBeInTheDocument();
  });

  it('issues a new invitation for an invited user and shows it once', async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Ida Invited')).getByRole('button', { name: 'Edit Ida Invited' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Ida Invited' });
    await user.click(within(dialog).getByRole('button', { name: 'New invitation link' }));
    const confirm = await screen.findByRole('dialog', { name: 'New invitation for Ida Invited' });
    expect(within(confirm).getByText(/stops working at once/)).toBeInTheDocument();
    await user.click(within(confirm).getByRole('button', { name: 'Issue new link' }));
    const done = await screen.findByRole('dialog', { name: 'Invitation for Ida Invited' });
    expect(dir.invites).toEqual([ida.id]);
    expect(within(done).getByRole('textbox', { name: 'Invitation link' })).toHaveValue(
      `${window.location.origin}/register?invite=tok-1`,
    );
    expect(within(done).getByText('Shown only once')).toBeInTheDocument();
  });

  it("edits a technician's skills: add, remove, levels, and the server's field errors", async () => {
    const dir = directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Erik Expert')).getByRole('button', { name: 'Edit Erik Expert' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Erik Expert' });
    expect(await within(dialog).findByRole('textbox', { name: 'Skill 1' })).toHaveValue('network');
    expect(within(dialog).getByRole('textbox', { name: 'Level 1' })).toHaveValue('4 · Advanced');
    await user.click(within(dialog).getByRole('button', { name: 'Remove skill windows' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add skill' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Skill 2' }), 'Linux');
    await choose('Level 2', '5 · Expert', dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Add skill' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Skill 3' }), 'linux');
    await user.click(within(dialog).getByRole('button', { name: 'Save skills' }));
    expect(await within(dialog).findByText('This skill is listed twice.')).toBeInTheDocument();
    expect(dir.expertisePuts).toHaveLength(0);

    const third = within(dialog).getByRole('textbox', { name: 'Skill 3' });
    await user.clear(third);
    await user.type(third, 'bad skill');
    await user.click(within(dialog).getByRole('button', { name: 'Save skills' }));
    expect(
      await within(dialog).findByText('must be 1-60 bytes without control characters'),
    ).toBeInTheDocument();
    await user.clear(third);
    await user.type(third, 'Printers');
    await user.click(within(dialog).getByRole('button', { name: 'Save skills' }));
    expect(await screen.findByText('The skills were saved.')).toBeInTheDocument();
    expect(dir.expertisePuts.at(-1)).toEqual({
      id: erik.id,
      body: [
        { skill: 'network', level: 4 },
        { skill: 'Linux', level: 5 },
        { skill: 'Printers', level: 3 },
      ],
    });
  });

  it('keeps a manager from changing their own role or status', async () => {
    directoryOf();
    const user = userEvent.setup();
    await renderApp('/admin/users');
    await user.click(
      within(await rowOf('Mia Manager')).getByRole('button', { name: 'Edit Mia Manager' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Mia Manager' });
    expect(within(dialog).getByRole('textbox', { name: 'Role' })).toBeDisabled();
    expect(within(dialog).getByText('You cannot deactivate yourself.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Deactivate' })).toBeNull();
  });

  it('speaks German', async () => {
    directoryOf({ locale: 'de' });
    await renderApp('/admin/users', 'de');
    expect(await screen.findByRole('heading', { name: 'Benutzer' })).toBeInTheDocument();
    const row = await rowOf('Ida Invited');
    expect(within(row).getByText('Eingeladen')).toBeInTheDocument();
    expect(within(row).getByText('Nie')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Benutzer einladen' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Letzte Anmeldung' })).toBeInTheDocument();
  });

  it('is for managers only', async () => {
    directoryOf({ role: 'CUSTOMER_ADMIN' });
    await renderApp('/admin/users');
    expect(await screen.findByText('This page is for the role Manager.')).toBeInTheDocument();
  });
});
