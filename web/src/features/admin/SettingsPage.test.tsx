import { notifications } from '@mantine/notifications';
import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { INITECH, tenantOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => act(() => notifications.clean()));

const section = (name: string) => screen.getByRole('region', { name });

describe('settings', { timeout: 30_000 }, () => {
  it('shows the saved settings', async () => {
    tenantOf();
    await renderApp('/admin/settings');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Language' })).toHaveValue('English');
    expect(screen.getByRole('textbox', { name: 'Time zone' })).toHaveValue('Europe/Berlin');
    expect(screen.getByRole('textbox', { name: 'New cases per hour' })).toHaveValue('20');
    expect(screen.getByRole('switch', { name: /^Allow self-registration/ })).toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Domain 1' })).toHaveValue('acme.example');
    expect(screen.getByRole('textbox', { name: 'Waiting for you' })).toHaveValue('Your turn');
    expect(screen.getByRole('textbox', { name: 'Largest file' })).toHaveValue('25 MB');
    expect(within(section('Uploads')).getByText('application/x-dosexec')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'beta_reports' })).toBeChecked();
    expect(screen.getByRole('switch', { name: 'time_tracking' })).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  });

  it('sends only what changed, with flags and labels merged, and reloads the session', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/settings');
    const rate = await screen.findByRole('textbox', { name: 'New cases per hour' });
    await user.clear(rate);
    await user.type(rate, '30');
    await user.click(screen.getByRole('switch', { name: /Assign new cases automatically/ }));
    // Flags: remove one, switch one, add one (a bad name first).
    await user.click(screen.getByRole('button', { name: 'Remove flag beta_reports' }));
    await user.click(screen.getByRole('switch', { name: 'time_tracking' }));
    const flag = screen.getByRole('textbox', { name: 'New flag' });
    await user.type(flag, 'New Portal');
    await user.click(screen.getByRole('button', { name: 'Add flag' }));
    expect(screen.getByText(/Use lower-case letters, digits and _/)).toBeInTheDocument();
    await user.clear(flag);
    await user.type(flag, 'new_portal{Enter}');
    expect(screen.getByRole('switch', { name: 'new_portal' })).toBeChecked();
    // Labels: back to the standard name for one, a new name for another.
    await user.clear(screen.getByRole('textbox', { name: 'Waiting for you' }));
    await user.type(screen.getByRole('textbox', { name: 'Resolved' }), 'Done');
    // Uploads.
    const size = screen.getByRole('textbox', { name: 'Largest file' });
    await user.clear(size);
    await user.type(size, '10');
    expect(screen.getByText('You have unsaved changes.')).toBeInTheDocument();

    const fetches = tenant.sessionFetches;
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('The settings were saved.')).toBeInTheDocument();
    expect(tenant.settingsPuts).toEqual([
      {
        case_rate_limit_per_hour: 30,
        auto_assign: true,
        features: { time_tracking: true, new_portal: true, beta_reports: null },
        status_labels: { waiting_customer: null, resolved: 'Done' },
        uploads: { max_file_bytes: 10 * 1024 * 1024 },
      },
    ]);
    await waitFor(() => expect(tenant.sessionFetches).toBeGreaterThan(fetches));
    expect(await screen.findByText('No changes.')).toBeInTheDocument();
    expect(screen.queryByRole('switch', { name: 'beta_reports' })).toBeNull();
  });

  it('replaces the registration domains as a whole and places field errors', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/settings');
    await screen.findByRole('textbox', { name: 'Domain 1' });
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    await user.type(screen.getByRole('textbox', { name: 'Domain 2' }), 'Initech.example');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(
      await screen.findByText('Choose the organisation people from this domain join.'),
    ).toBeInTheDocument();
    expect(tenant.settingsPuts).toHaveLength(0);

    await user.click(screen.getByRole('textbox', { name: 'Joins organisation 2' }));
    await user.click(await screen.findByRole('option', { name: 'Initech' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(tenant.settingsPuts).toHaveLength(1));
    expect(tenant.settingsPuts[0]).toEqual({
      registration_domains: [
        { domain: 'acme.example', customer_id: ACME },
        { domain: 'initech.example', customer_id: INITECH },
      ],
    });

    // The server's answer about an entry appears at that entry.
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    await user.type(screen.getByRole('textbox', { name: 'Domain 3' }), 'taken.example');
    await user.click(screen.getByRole('textbox', { name: 'Joins organisation 3' }));
    await user.click(await screen.findByRole('option', { name: 'Acme Corporation' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('no such customer')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Joins organisation 3' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    const alert = screen.getByRole('alert', { name: 'The settings could not be saved' });
    expect(alert).toHaveTextContent('The settings are invalid.');
    expect(alert).toHaveTextContent('req-validation_failed');
  });

  it('checks values before sending', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/settings');
    const rate = await screen.findByRole('textbox', { name: 'New cases per hour' });
    await user.clear(rate);
    await user.type(
      screen.getByRole('textbox', { name: 'Blocked file types' }),
      'not a type{Enter}',
    );
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Enter a whole number from 1 to 1000.')).toBeInTheDocument();
    expect(screen.getByText(/Not a content type: not/)).toBeInTheDocument();
    expect(tenant.settingsPuts).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getByRole('textbox', { name: 'New cases per hour' })).toHaveValue('20');
  });

  it('speaks German', async () => {
    tenantOf({ locale: 'de' });
    await renderApp('/admin/settings', 'de');
    expect(await screen.findByRole('heading', { name: 'Einstellungen' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Neue Fälle pro Stunde' })).toHaveValue('20');
    expect(screen.getByRole('region', { name: 'Funktionsschalter' })).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: /^Selbstregistrierung erlauben/ })).toBeChecked();
  });

  it('is for managers only', async () => {
    tenantOf({ role: 'EXPERT' });
    await renderApp('/admin/settings');
    expect(
      await screen.findByText('The administration of a service desk is for its managers.'),
    ).toBeInTheDocument();
  });
});
