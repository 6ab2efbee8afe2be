import { notifications } from '@mantine/notifications';
import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Schemas } from '@/lib/api';
import { ACME } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { policyOf, tenantOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => act(() => notifications.clean()));

const group = (name: string, inside: HTMLElement = document.body) =>
  within(inside).getByRole('group', { name });
// One duration field: the priority's fieldset, then "First response" or "Resolution".
const duration = (priority: string, which: string) => group(which, group(priority));
const hoursOf = (priority: string, which: string) =>
  within(duration(priority, which)).getByRole('textbox', { name: 'Hours' });
const minutesOf = (priority: string, which: string) =>
  within(duration(priority, which)).getByRole('textbox', { name: 'Minutes' });

type Input = Schemas['SlaPolicyInput'];

describe('SLA policies', { timeout: 40_000 }, () => {
  it('shows the default targets as hours and minutes and saves with If-Match', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    expect(await screen.findByRole('heading', { name: 'SLA policies' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Name of the policy' })).toHaveValue(
      'Standard support',
    );
    expect(hoursOf('High', 'First response')).toHaveValue('4');
    expect(minutesOf('High', 'First response')).toHaveValue('0');
    expect(within(duration('High', 'First response')).getByText('4 h')).toBeInTheDocument();
    expect(within(duration('Low', 'Resolution')).getByText('80 h')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save policy' })).toBeDisabled();

    await user.clear(hoursOf('High', 'First response'));
    await user.type(hoursOf('High', 'First response'), '2');
    await user.clear(minutesOf('High', 'First response'));
    await user.type(minutesOf('High', 'First response'), '30');
    expect(within(duration('High', 'First response')).getByText('2 h 30 min')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText('The SLA policy was saved.')).toBeInTheDocument();
    expect(tenant.slaPuts).toHaveLength(1);
    const put = tenant.slaPuts[0]!;
    expect(put.customer).toBeNull();
    expect(put.ifMatch).toBe('"3"');
    const body = put.body as Input;
    expect(body.name).toBe('Standard support');
    expect(body.targets.high).toEqual({ response_minutes: 150, resolution_minutes: 960 });
    expect(body.targets.critical).toEqual({ response_minutes: 60, resolution_minutes: 240 });
    expect(body.business_hours).toEqual({
      time_zone: 'Europe/Berlin',
      week: {
        monday: [{ from: '08:00', to: '18:00' }],
        tuesday: [{ from: '08:00', to: '18:00' }],
        wednesday: [{ from: '08:00', to: '18:00' }],
        thursday: [{ from: '08:00', to: '18:00' }],
        friday: [{ from: '08:00', to: '18:00' }],
        saturday: [],
        sunday: [],
      },
      holidays: ['2026-12-25'],
    });
    // The next save names the new version.
    await user.clear(screen.getByRole('textbox', { name: 'Name of the policy' }));
    await user.type(screen.getByRole('textbox', { name: 'Name of the policy' }), 'Gold');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(2));
    expect(tenant.slaPuts[1]!.ifMatch).toBe('"4"');
  });

  it('edits business hours per weekday and holidays', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    await screen.findByRole('textbox', { name: 'Name of the policy' });
    // Friday closes; Saturday opens; Monday gets a lunch break (entered out of order).
    await user.click(within(group('Friday')).getByRole('switch', { name: 'Open' }));
    await user.click(within(group('Saturday')).getByRole('switch', { name: 'Open' }));
    const saturdayTo = within(group('Saturday')).getByRole('textbox', { name: 'To' });
    await user.clear(saturdayTo);
    await user.type(saturdayTo, '12:00');
    const monday = group('Monday');
    await user.click(within(monday).getByRole('button', { name: 'Add hours on Monday' }));
    const from2 = within(monday).getByRole('textbox', { name: 'From 2' });
    const to2 = within(monday).getByRole('textbox', { name: 'To 2' });
    await user.clear(from2);
    await user.type(from2, '06:00');
    await user.clear(to2);
    await user.type(to2, '07:30');
    // Holidays.
    fireEvent.change(screen.getByLabelText('Holiday'), { target: { value: '2026-12-24' } });
    await user.click(screen.getByRole('button', { name: 'Add holiday' }));
    await user.click(screen.getByRole('button', { name: 'Remove holiday Dec 25, 2026' }));
    expect(screen.getByText('Dec 24, 2026')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(1));
    const hours = (tenant.slaPuts[0]!.body as Input).business_hours;
    expect(hours.week.monday).toEqual([
      { from: '06:00', to: '07:30' },
      { from: '08:00', to: '18:00' },
    ]);
    expect(hours.week.friday).toEqual([]);
    expect(hours.week.saturday).toEqual([{ from: '08:00', to: '12:00' }]);
    expect(hours.holidays).toEqual(['2026-12-24']);
  });

  it('checks targets and hours before sending', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    await screen.findByRole('textbox', { name: 'Name of the policy' });
    await user.clear(hoursOf('Critical', 'First response'));
    await user.type(hoursOf('Critical', 'First response'), '9');
    const mondayFrom = within(group('Monday')).getByRole('textbox', { name: 'From' });
    await user.clear(mondayFrom);
    await user.type(mondayFrom, '25:00');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].slice(1))
      await user.click(within(group(day)).getByRole('switch', { name: 'Open' }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(
      await within(duration('Critical', 'Resolution')).findByText(
        'Resolution cannot come before the first response.',
      ),
    ).toBeInTheDocument();
    expect(
      within(group('Monday')).getByText('Enter times like 08:00 and 18:00 (up to 24:00).'),
    ).toBeInTheDocument();
    expect(tenant.slaPuts).toHaveLength(0);
  });

  it("shows the server's field errors at their fields", async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    const name = await screen.findByRole('textbox', { name: 'Name of the policy' });
    await user.clear(name);
    await user.type(name, 'Taken name');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText('is not allowed here')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('The SLA policy is invalid.');
    expect(tenant.slaPuts).toHaveLength(1);
  });

  it('reloads a policy someone else changed meanwhile instead of overwriting it', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    const name = await screen.findByRole('textbox', { name: 'Name of the policy' });
    tenant.policy = policyOf({ name: 'Changed elsewhere', version: 4 });
    await user.clear(name);
    await user.type(name, 'Mine');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText(/Someone else changed this policy/)).toBeInTheDocument();
    expect(tenant.slaPuts[0]!.ifMatch).toBe('"3"');
    expect(await screen.findByDisplayValue('Changed elsewhere')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Name of the policy' }), '!');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(2));
    expect(tenant.slaPuts[1]!.ifMatch).toBe('"4"');
  });

  it('creates the default from the built-in one with If-Match "0"', async () => {
    const tenant = tenantOf({ policy: null });
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    expect(await screen.findByText(/No default policy is stored yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(1));
    expect(tenant.slaPuts[0]!.ifMatch).toBe('"0"');
  });

  it('gives a customer its own policy, copies the default into it, and resets it', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/sla');
    await screen.findByRole('textbox', { name: 'Name of the policy' });
    await user.click(screen.getByRole('tab', { name: 'Customer policies' }));
    await user.click(screen.getByRole('textbox', { name: 'Customer' }));
    await user.click(await screen.findByRole('option', { name: 'Acme Corporation' }));
    expect(
      await screen.findByText('Acme Corporation follows the default policy “Standard support”.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('row', { name: 'High 4 h 16 h' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Give Acme Corporation its own policy' }));
    const name = await screen.findByRole('textbox', { name: 'Name of the policy' });
    await user.clear(name);
    await user.type(name, 'Acme Gold');
    await user.clear(hoursOf('Critical', 'First response'));
    await user.type(hoursOf('Critical', 'First response'), '0');
    await user.clear(minutesOf('Critical', 'First response'));
    await user.type(minutesOf('Critical', 'First response'), '30');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(1));
    expect(tenant.slaPuts[0]).toMatchObject({ customer: ACME, ifMatch: '"0"' });
    expect((tenant.slaPuts[0]!.body as Input).targets.critical.response_minutes).toBe(30);
    expect(await screen.findByText('Own policy of Acme Corporation')).toBeInTheDocument();

    // Copy from the default: the form takes the default's values.
    await user.click(screen.getByRole('button', { name: 'Copy from default' }));
    expect(await screen.findByDisplayValue('Standard support')).toBeInTheDocument();
    expect(minutesOf('Critical', 'First response')).toHaveValue('0');
    expect(hoursOf('Critical', 'First response')).toHaveValue('1');
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(tenant.slaPuts).toHaveLength(2));
    expect(tenant.slaPuts[1]).toMatchObject({ customer: ACME, ifMatch: '"1"' });

    await user.click(screen.getByRole('button', { name: 'Reset to default' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Reset Acme Corporation to the default policy?',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, reset' }));
    expect(
      await screen.findByText('Acme Corporation follows the default policy “Standard support”.'),
    ).toBeInTheDocument();
    expect(tenant.slaDeletes).toEqual([ACME]);
  });

  it('speaks German', async () => {
    tenantOf({ locale: 'de' });
    await renderApp('/admin/sla', 'de');
    expect(await screen.findByRole('heading', { name: 'SLA-Richtlinien' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Name der Richtlinie' })).toBeInTheDocument();
    expect(within(group('Hoch')).getByRole('group', { name: 'Erste Antwort' })).toBeInTheDocument();
    expect(within(group('Erste Antwort', group('Hoch'))).getByText('4 Std.')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Montag' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Kundenrichtlinien' })).toBeInTheDocument();
  });
});
