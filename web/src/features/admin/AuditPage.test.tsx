import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ME } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { auditOf, tenantOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

const rowWith = (text: string) => within(screen.getByRole('table')).getByText(text).closest('tr')!;
const table = () => screen.findByRole('table');
const inTable = () => within(screen.getByRole('table'));

describe('audit log', { timeout: 30_000 }, () => {
  it('lists entries with time, actor, readable action, target, IP and request id', async () => {
    const tenant = tenantOf();
    await renderApp('/admin/audit');
    expect(await screen.findByRole('heading', { name: 'Audit log' })).toBeInTheDocument();
    await table();
    const row = rowWith('Role changed');
    expect(within(row).getByText('Nov 20, 2026, 9:30 AM')).toBeInTheDocument();
    expect(await within(row).findByText('Mia Manager')).toBeInTheDocument();
    expect(within(row).getByText('user.role_changed')).toBeInTheDocument();
    expect(within(row).getByText('Erik Expert')).toBeInTheDocument();
    expect(within(row).getByText('192.0.2.10')).toBeInTheDocument();
    expect(within(row).getByText('req-777')).toBeInTheDocument();
    const failed = rowWith('Sign-in failed');
    expect(within(failed).getByText('System')).toBeInTheDocument();
    expect(within(failed).getByText('someone@example.com')).toBeInTheDocument();
    expect(rowWith('Settings changed')).toBeInTheDocument();
    expect(screen.getByText('3 entries')).toBeInTheDocument();
    const q = tenant.auditQueries.at(-1)!;
    expect(q.get('page')).toBe('1');
    expect(q.get('limit')).toBe('50');
    expect(q.has('action')).toBe(false);
  });

  it("expands an entry's details as pretty JSON", async () => {
    tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/audit');
    await table();
    const show = screen.getByRole('button', {
      name: 'Show details of Role changed at Nov 20, 2026, 9:30 AM',
    });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await user.click(show);
    const details = screen.getByTestId('audit-details');
    expect(details.textContent).toBe('{\n  "from": "EXPERT",\n  "to": "MANAGER"\n}');
    const hide = screen.getByRole('button', {
      name: 'Hide details of Role changed at Nov 20, 2026, 9:30 AM',
    });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    await user.click(hide);
    expect(screen.queryByTestId('audit-details')).toBeNull();
  });

  it('filters by area, exact action, actor and dates on the server', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/audit');
    await table();

    await user.click(screen.getByRole('textbox', { name: 'Area' }));
    await user.click(await screen.findByRole('option', { name: 'Sign-in and security' }));
    await waitFor(() => expect(tenant.auditQueries.at(-1)?.get('action')).toBe('auth.'));
    await waitFor(() => expect(inTable().queryByText('Role changed')).not.toBeInTheDocument());
    expect(inTable().getByText('Sign-in failed')).toBeInTheDocument();

    // An exact action takes precedence over the area.
    await user.type(screen.getByRole('textbox', { name: 'Action' }), 'user.role_changed');
    await waitFor(() =>
      expect(tenant.auditQueries.at(-1)?.get('action')).toBe('user.role_changed'),
    );
    expect(await inTable().findByText('Role changed')).toBeInTheDocument();
    await user.clear(screen.getByRole('textbox', { name: 'Action' }));
    await user.click(screen.getByRole('textbox', { name: 'Area' }));
    await user.click(await screen.findByRole('option', { name: 'All areas' }));

    await user.click(screen.getByRole('textbox', { name: 'Who' }));
    await user.click(
      await screen.findByRole('option', { name: 'Mia Manager (manager@demo.example)' }),
    );
    await waitFor(() => expect(tenant.auditQueries.at(-1)?.get('actor_id')).toBe(ME));
    await waitFor(() => expect(inTable().queryByText('Sign-in failed')).not.toBeInTheDocument());

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-19' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-19' } });
    await waitFor(() =>
      expect(tenant.auditQueries.at(-1)?.get('to')).toBe('2026-11-20T00:00:00.000Z'),
    );
    const q = tenant.auditQueries.at(-1)!;
    expect(q.get('from')).toBe('2026-11-19T00:00:00.000Z');
    expect(q.get('actor_id')).toBe(ME);
    expect(await screen.findByText('No entry matches the filter.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect((await table()).querySelector('tbody')).toHaveTextContent('Sign-in failed');
    const cleared = tenant.auditQueries.at(-1)!;
    expect([...cleared.keys()].sort()).toEqual(['limit', 'page']);
  });

  it('pages through a long log', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      auditOf({
        id: `e${i}`,
        action: 'auth.login',
        at: `2026-11-20T09:${String(i % 60).padStart(2, '0')}:00Z`,
      }),
    );
    const tenant = tenantOf({ audit: many });
    const user = userEvent.setup();
    await renderApp('/admin/audit');
    await table();
    expect(screen.getByText('60 entries')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(tenant.auditQueries.at(-1)?.get('page')).toBe('2'));
  });

  it('speaks German', async () => {
    tenantOf({ locale: 'de' });
    await renderApp('/admin/audit', 'de');
    expect(await screen.findByRole('heading', { name: 'Audit-Protokoll' })).toBeInTheDocument();
    await table();
    expect(inTable().getByText('Rolle geändert')).toBeInTheDocument();
    expect(inTable().getByText('Anmeldung fehlgeschlagen')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'IP-Adresse' })).toBeInTheDocument();
  });
});
