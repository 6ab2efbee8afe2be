import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { page } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { suggestSlug } from './parts';
import { ADMIN_ID, NORDWIND, platformOf, tenantOf } from './testing';

const GB = 1024 ** 3;

describe('platform: tenants list', () => {
  it('lists tenants with status, licence, limits and creation date', async () => {
    platformOf();
    await renderApp('/platform/tenants');
    await screen.findByRole('heading', { name: 'Tenants' });
    const row = (await screen.findByRole('link', { name: 'Nordwind IT' })).closest('tr')!;
    expect(within(row).getByText('nordwind')).toBeInTheDocument();
    expect(within(row).getByText('Suspended')).toBeInTheDocument();
    expect(within(row).getByText('Enterprise')).toBeInTheDocument();
    expect(within(row).getByText('50')).toBeInTheDocument();
    expect(within(row).getByText('10 GB')).toBeInTheDocument();
    expect(within(row).getByText('Mar 1, 2026')).toBeInTheDocument();
    const demo = screen.getByRole('link', { name: 'Demo Service Desk' }).closest('tr')!;
    expect(within(demo).getByText('Active')).toBeInTheDocument();
    expect(within(demo).getAllByText('No limit')).toHaveLength(2);
    expect(screen.getByText('2 tenants')).toBeInTheDocument();
  });

  it('searches, filters by status and pages on the server', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      tenantOf({
        id: `0190f1a2-0000-7000-8000-0000000003${String(i).padStart(2, '0')}`,
        slug: `t-${String(i).padStart(2, '0')}`,
        name: `Tenant ${String(i).padStart(2, '0')}`,
      }),
    );
    const platform = platformOf({ tenants: [...many, NORDWIND] });
    const user = userEvent.setup();
    const { router } = await renderApp('/platform/tenants');
    await screen.findByRole('link', { name: 'Tenant 00' });
    expect(platform.listQueries[0]!.get('limit')).toBe('25');
    expect(platform.listQueries[0]!.get('status')).toBeNull();

    await user.click(screen.getByRole('button', { name: '2' }));
    await screen.findByRole('link', { name: 'Tenant 29' });
    expect(platform.listQueries.at(-1)!.get('page')).toBe('2');

    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(screen.getByRole('option', { name: 'Suspended' }));
    await screen.findByRole('link', { name: 'Nordwind IT' });
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Tenant 29' })).toBeNull());
    expect(platform.listQueries.at(-1)!.get('status')).toBe('suspended');
    expect(platform.listQueries.at(-1)!.get('page')).toBe('1');
    expect(router.state.location.search).toBe('?status=suspended');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'zzz');
    expect(await screen.findByText('No tenant matches the search or filter.')).toBeInTheDocument();
    expect(platform.listQueries.at(-1)!.get('search')).toBe('zzz');
  });

  it('is for the platform operator only', async () => {
    platformOf({ role: 'CLIENT' });
    server.use(http.get('*/api/customers/:id/documents', () => HttpResponse.json(page([]))));
    const { router } = await renderApp('/platform/tenants');
    await screen.findByRole('heading', { name: 'Documents' });
    expect(router.state.location.pathname).toBe('/portal/documents');
  });
});

describe('platform: new tenant', () => {
  it('suggests the short name from the name', () => {
    expect(suggestSlug('Müller & Söhne GmbH')).toBe('mueller-soehne-gmbh');
    expect(suggestSlug('  Café Crème — Support  ')).toBe('cafe-creme-support');
    expect(suggestSlug('x'.repeat(70))).toHaveLength(63);
  });

  it('checks the fields, creates the tenant with its licence, quotas and settings, and opens it', async () => {
    const platform = platformOf();
    const user = userEvent.setup();
    const { router } = await renderApp('/platform/tenants');
    await user.click(await screen.findByRole('link', { name: 'New tenant' }));
    await screen.findByRole('heading', { name: 'New tenant' });

    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(screen.getAllByText('This is required.')).toHaveLength(2);

    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Müller & Söhne GmbH');
    expect(screen.getByRole('textbox', { name: /Short name/ })).toHaveValue('mueller-soehne-gmbh');
    await user.type(screen.getByRole('textbox', { name: /Contact e-mail/ }), 'it@mueller');
    await user.type(screen.getByRole('textbox', { name: /Domain/ }), 'mueller');
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(
      screen.getByText('Enter a valid e-mail address, or leave it empty.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Enter a domain name such as acme.example/)).toBeInTheDocument();
    expect(platform.created).toHaveLength(0);

    await user.type(screen.getByRole('textbox', { name: /Contact e-mail/ }), '.example');
    await user.type(screen.getByRole('textbox', { name: /Domain/ }), '.example');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Licence type' }), 'Trial');
    await user.type(screen.getByRole('textbox', { name: /User limit/ }), '25');
    await user.type(screen.getByRole('textbox', { name: /Storage quota/ }), '2.5');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Deutsch');
    const zone = screen.getByRole('textbox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'Europe/Berl');
    await user.click(screen.getByRole('option', { name: 'Europe/Berlin' }));
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));

    await screen.findByRole('heading', { name: 'Müller & Söhne GmbH' });
    expect(platform.created).toEqual([
      {
        name: 'Müller & Söhne GmbH',
        slug: 'mueller-soehne-gmbh',
        email: 'it@mueller.example',
        domain: 'mueller.example',
        licence_type: 'trial',
        max_users: 25,
        storage_quota_bytes: Math.round(2.5 * GB),
        settings: { locale: 'de', time_zone: 'Europe/Berlin' },
      },
    ]);
    expect(router.state.location.pathname).toBe(
      '/platform/tenants/0190f1a2-0000-7000-8000-000000000901',
    );
    expect(screen.getByText('The tenant Müller & Söhne GmbH was created.')).toBeInTheDocument();
  }, 30_000);

  it('shows a taken short name (409) and the server’s field errors (422) at their fields', async () => {
    const platform = platformOf();
    const user = userEvent.setup();
    await renderApp('/platform/tenants/new');
    await user.type(await screen.findByRole('textbox', { name: 'Name' }), 'Nordwind');
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(
      await screen.findByText('A tenant with the short name "nordwind" exists already.'),
    ).toBeInTheDocument();

    const slug = screen.getByRole('textbox', { name: /Short name/ });
    await user.clear(slug);
    await user.type(slug, 'nordwind-2');
    platform.reject = {
      field: '/settings/time_zone',
      message: 'is not a time zone known to the server',
    };
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    const error = await screen.findByText('is not a time zone known to the server');
    expect(screen.getByRole('textbox', { name: 'Time zone' })).toHaveAttribute(
      'aria-describedby',
      expect.stringContaining(error.id),
    );
    expect(platform.created).toHaveLength(2);
  });
});

describe('platform: one tenant', () => {
  it('shows details, seats against the limit and recent activity', async () => {
    const platform = platformOf();
    platform.seats[NORDWIND.id] = { active: 47, invited: 3 };
    platform.audit[NORDWIND.id] = [
      {
        id: 'x2',
        at: '2026-03-02T10:00:00Z',
        actor_id: 'mia',
        actor_name: 'Mia Manager',
        action: 'auth.login',
        details: {},
      },
      {
        id: 'x1',
        at: '2026-03-01T09:00:00Z',
        actor_id: ADMIN_ID,
        actor_name: 'Mia Manager',
        action: 'tenant.created',
        details: {},
      },
    ];
    await renderApp(`/platform/tenants/${NORDWIND.id}`);
    await screen.findByRole('heading', { name: 'Nordwind IT' });
    expect(screen.getByText('Short name nordwind · created Mar 1, 2026')).toBeInTheDocument();
    expect(screen.getByText(/This tenant is suspended/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Contact e-mail/ })).toHaveValue(
      'ops@nordwind.example',
    );
    expect(await screen.findByText('50 of 50')).toBeInTheDocument();
    expect(screen.getByText('47 active, 3 invited')).toBeInTheDocument();
    expect(screen.getByText(/Every seat is taken/)).toBeInTheDocument();
    const activity = screen.getByRole('region', { name: 'Recent activity' });
    expect(await within(activity).findByText('Signed in')).toBeInTheDocument();
    expect(within(activity).getByText('— Mia Manager')).toBeInTheDocument();
    expect(within(activity).getByText('Tenant created')).toBeInTheDocument();
    expect(within(activity).getByText('— you')).toBeInTheDocument();
    expect(platform.auditQueries[0]!.get('tenant_id')).toBe(NORDWIND.id);
    const settings = screen.getByRole('region', { name: 'Settings' });
    expect(within(settings).getByText('Europe/Berlin')).toBeInTheDocument();
    expect(within(settings).getByText('Deutsch')).toBeInTheDocument();
  });

  it('suspends after explaining what it does, and reactivates', async () => {
    const platform = platformOf();
    const demo = tenantOf();
    const user = userEvent.setup();
    await renderApp(`/platform/tenants/${demo.id}`);
    await screen.findByRole('heading', { name: 'Demo Service Desk' });
    await user.click(screen.getByRole('button', { name: 'Suspend tenant' }));
    const dialog = await screen.findByRole('dialog', { name: 'Suspend Demo Service Desk?' });
    expect(dialog).toHaveTextContent('nobody of the tenant can sign in');
    expect(dialog).toHaveTextContent('nothing is deleted');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(platform.updates).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Suspend tenant' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Suspend Demo Service Desk?' })).getByRole(
        'button',
        { name: 'Suspend' },
      ),
    );
    await screen.findByText('Demo Service Desk is suspended.');
    expect(platform.updates).toEqual([{ id: demo.id, body: { status: 'suspended' } }]);
    const heading = screen.getByRole('heading', { name: 'Demo Service Desk', level: 2 });
    expect(within(heading.parentElement!).getByText('Suspended')).toBeInTheDocument();
    const activity = screen.getByRole('region', { name: 'Recent activity' });
    expect(await within(activity).findByText('Tenant suspended')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Reactivate tenant' }));
    const again = await screen.findByRole('dialog', { name: 'Reactivate Demo Service Desk?' });
    await user.click(within(again).getByRole('button', { name: 'Reactivate' }));
    await screen.findByText('Demo Service Desk is active again.');
    expect(platform.updates.at(-1)).toEqual({ id: demo.id, body: { status: 'active' } });
    expect(within(heading.parentElement!).getByText('Active')).toBeInTheDocument();
  });

  it('sends only the changed fields, with null for a cleared one', async () => {
    const platform = platformOf();
    const user = userEvent.setup();
    await renderApp(`/platform/tenants/${NORDWIND.id}`);
    await screen.findByRole('heading', { name: 'Nordwind IT' });
    const details = screen.getByRole('region', { name: 'Details' });
    const saveDetails = within(details).getByRole('button', { name: 'Save changes' });
    expect(saveDetails).toBeDisabled();
    await user.clear(within(details).getByRole('textbox', { name: /Contact e-mail/ }));
    await user.click(saveDetails);
    await screen.findByText('The changes were saved.');
    expect(platform.updates).toEqual([{ id: NORDWIND.id, body: { email: null } }]);

    const licence = screen.getByRole('region', { name: 'Licence and quotas' });
    await user.selectOptions(
      within(licence).getByRole('combobox', { name: 'Licence type' }),
      'Standard',
    );
    await user.clear(within(licence).getByRole('textbox', { name: /User limit/ }));
    const quota = within(licence).getByRole('textbox', { name: /Storage quota/ });
    await user.clear(quota);
    await user.type(quota, '20');
    await user.click(within(licence).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(platform.updates).toHaveLength(2));
    expect(platform.updates[1]).toEqual({
      id: NORDWIND.id,
      body: { licence_type: 'standard', max_users: null, storage_quota_bytes: 20 * GB },
    });
  });

  it('shows a taken short name at the field when renaming', async () => {
    const platform = platformOf();
    const user = userEvent.setup();
    await renderApp(`/platform/tenants/${NORDWIND.id}`);
    const details = await screen.findByRole('region', { name: 'Details' });
    const slug = within(details).getByRole('textbox', { name: /Short name/ });
    await user.clear(slug);
    await user.type(slug, 'demo');
    await user.click(within(details).getByRole('button', { name: 'Save changes' }));
    expect(
      await within(details).findByText('A tenant with the short name "demo" exists already.'),
    ).toBeInTheDocument();
    expect(platform.updates).toEqual([{ id: NORDWIND.id, body: { slug: 'demo' } }]);
  });
});

describe('platform in German', () => {
  it('speaks German', async () => {
    platformOf({ lang: 'de' });
    const user = userEvent.setup();
    await renderApp('/platform/tenants', 'de');
    await screen.findByRole('heading', { name: 'Mandanten' });
    const row = (await screen.findByRole('link', { name: 'Nordwind IT' })).closest('tr')!;
    expect(within(row).getByText('Gesperrt')).toBeInTheDocument();
    expect(within(row).getByText('01.03.2026')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Speicherkontingent' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Demo Service Desk' }));
    await user.click(await screen.findByRole('button', { name: 'Mandant sperren' }));
    const dialog = await screen.findByRole('dialog', { name: 'Demo Service Desk sperren?' });
    expect(dialog).toHaveTextContent('wird nichts gelöscht');
  });
});
