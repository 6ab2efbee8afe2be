import { notifications } from '@mantine/notifications';
import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';
import { carl, directoryOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => act(() => notifications.clean()));

describe('portal users (customer admin)', { timeout: 30_000 }, () => {
  it("lists only the organisation's users, without rates or organisations", async () => {
    const dir = directoryOf({ role: 'CUSTOMER_ADMIN' });
    const user = userEvent.setup();
    await renderApp('/portal/users');
    expect(
      await screen.findByRole('heading', { name: 'Users of your organisation' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Carl Client')).toBeInTheDocument();
    expect(within(screen.getByRole('table')).getByText('Anna Admin')).toBeInTheDocument();
    expect(screen.queryByText('Erik Expert')).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Organisation' })).toBeNull();
    expect(dir.listQueries.at(-1)?.has('customer_id')).toBe(false);
    // The role filter offers the two customer roles only.
    await user.click(screen.getByRole('textbox', { name: 'Role' }));
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['All roles', 'Customer admin', 'Customer']);
  });

  it('invites a colleague with one of the two customer roles', async () => {
    const dir = directoryOf({ role: 'CUSTOMER_ADMIN' });
    const user = userEvent.setup();
    await renderApp('/portal/users');
    await screen.findByText('Carl Client');
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a user' });
    expect(within(dialog).queryByRole('textbox', { name: 'Customer organisation' })).toBeNull();
    expect(within(dialog).queryByRole('textbox', { name: 'Hourly rate' })).toBeNull();
    await user.click(within(dialog).getByRole('textbox', { name: 'Role' }));
    const roles = within(dialog)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(roles).toEqual(['Customer admin', 'Customer']);
    await user.click(within(dialog).getByRole('option', { name: 'Customer admin' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Bea Boss');
    await user.type(within(dialog).getByRole('textbox', { name: 'E-mail' }), 'bea@acme.example');
    await user.click(within(dialog).getByRole('button', { name: 'Create invitation' }));
    const done = await screen.findByRole('dialog', { name: 'Invitation for Bea Boss' });
    expect(dir.created).toEqual([
      { name: 'Bea Boss', email: 'bea@acme.example', role: 'CUSTOMER_ADMIN' },
    ]);
    expect(within(done).getByRole('textbox', { name: 'Invitation link' })).toHaveValue(
      `${window.location.origin}/register?invite=tok-1`,
    );
  });

  it('switches a user between the customer roles and deactivates; no rates, no skills', async () => {
    const dir = directoryOf({ role: 'CUSTOMER_ADMIN' });
    const user = userEvent.setup();
    await renderApp('/portal/users');
    const row = (await screen.findByText('Carl Client')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Edit Carl Client' }));
    const dialog = await screen.findByRole('dialog', { name: 'Carl Client' });
    expect(within(dialog).queryByRole('textbox', { name: 'Hourly rate' })).toBeNull();
    expect(within(dialog).queryByRole('textbox', { name: 'Customer organisation' })).toBeNull();
    expect(within(dialog).queryByRole('heading', { name: 'Skills' })).toBeNull();
    await user.click(within(dialog).getByRole('textbox', { name: 'Role' }));
    await user.click(within(dialog).getByRole('option', { name: 'Customer admin' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(dir.updates).toHaveLength(1));
    expect(dir.updates[0]).toEqual({ id: carl.id, body: { role: 'CUSTOMER_ADMIN' } });

    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    const confirm = await screen.findByRole('dialog', { name: 'Deactivate Carl Client?' });
    await user.click(within(confirm).getByRole('button', { name: 'Yes, deactivate' }));
    await waitFor(() => expect(dir.updates).toHaveLength(2));
    expect(dir.updates[1]!.body).toEqual({ status: 'inactive' });
  });

  it('speaks German', async () => {
    directoryOf({ role: 'CUSTOMER_ADMIN', locale: 'de' });
    await renderApp('/portal/users', 'de');
    expect(
      await screen.findByRole('heading', { name: 'Benutzer Ihrer Organisation' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Carl Client')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Carl Client bearbeiten' })).toBeInTheDocument();
  });

  it('is for customer admins only', async () => {
    directoryOf({ role: 'CLIENT' });
    await renderApp('/portal/users');
    expect(
      await screen.findByText('This page is for the role Customer admin.'),
    ).toBeInTheDocument();
  });
});
