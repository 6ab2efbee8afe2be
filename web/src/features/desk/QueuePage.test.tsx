import { notifications } from '@mantine/notifications';
import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '@/lib/format';
import { ME, page, sessionOf, ticketOf, withStatusLabels } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { COLLEAGUE, deskFake, GLOBEX } from './testing';
// The screens load lazily in the app; loaded here up front so the first test does not wait.
import './QueuePage';
import './TicketPage';

// Screens with many requests: give them time on a busy machine (this file only).
configure({ asyncUtilTimeout: 4000 });

const NOW = new Date('2026-11-04T10:00:00Z');
const OPEN = 'new,assigned,in_progress,waiting_customer';

const vpn = () =>
  ticketOf({
    sla_resolution_due: '2026-11-04T12:15:00Z', // due in 2 h 15 min
  });
const printer = () =>
  ticketOf({
    id: '0190f1a2-0000-7000-8000-0000000000t2',
    number: 1002,
    title: 'Printer on floor 3 is offline',
    status: 'new',
    priority: 'low',
    customer_id: GLOBEX,
    assigned_to: null,
    sla_resolution_due: '2026-11-04T09:25:00Z', // overdue 35 min
    sla_breached: true,
    version: 1,
    updated_at: '2026-11-04T08:00:00Z',
  });
const invoice = () =>
  ticketOf({
    id: '0190f1a2-0000-7000-8000-0000000000t3',
    number: 1003,
    title: 'Wrong invoice address',
    status: 'waiting_customer',
    priority: 'medium',
    assigned_to: ME,
    sla_paused: true,
    sla_resolution_due: '2026-11-05T10:00:00Z',
    version: 5,
  });
const all = () => [vpn(), printer(), invoice()];

const rowOf = (title: string) => screen.getByText(title).closest('tr')!;

beforeEach(() => {
  // Only Date is faked: the countdowns read a fixed clock, timers and promises run as usual.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
  act(() => notifications.clean());
});

describe('desk queue', { timeout: 20_000 }, () => {
  it('lists open tickets, most urgent first, with names, labels and SLA countdowns', async () => {
    const fake = deskFake({
      tickets: all(),
      session: withStatusLabels(sessionOf('EXPERT', { name: 'Tom Technician' }), {
        waiting_customer: 'Ball with customer',
      }),
    });
    await renderApp('/desk');
    expect(await screen.findByRole('heading', { name: 'Queue' })).toBeInTheDocument();
    await screen.findByText('VPN drops every hour');

    const q = fake.listQueries.at(-1)!;
    expect(q.get('status')).toBe(OPEN);
    expect(q.get('sort')).toBe('sla_resolution_due');
    expect(q.get('order')).toBe('asc');
    expect(q.has('assigned_to')).toBe(false);
    expect(q.get('limit')).toBe('25');

    const vpnRow = rowOf('VPN drops every hour');
    expect(within(vpnRow).getByText('#1001')).toBeInTheDocument();
    expect(await within(vpnRow).findByText('Acme Corporation')).toBeInTheDocument();
    expect(await within(vpnRow).findByText('Erik Expert')).toBeInTheDocument();
    expect(within(vpnRow).getByText('In progress')).toBeInTheDocument();
    expect(within(vpnRow).getByText('High')).toBeInTheDocument();
    const due = within(vpnRow).getByText('due in 2 h 15 min');
    expect(due).toHaveAttribute('title', `Due ${formatDateTime('2026-11-04T12:15:00Z', 'en')}`);

    const printerRow = rowOf('Printer on floor 3 is offline');
    expect(await within(printerRow).findByText('Globex Ltd')).toBeInTheDocument();
    expect(within(printerRow).getByText('Unassigned')).toBeInTheDocument();
    expect(within(printerRow).getByText('overdue 35 min')).toBeInTheDocument();
    // A missed SLA is marked in its row, and only there.
    expect(within(printerRow).getByText('SLA missed')).toBeInTheDocument();
    expect(within(vpnRow).queryByText('SLA missed')).not.toBeInTheDocument();

    const invoiceRow = rowOf('Wrong invoice address');
    expect(within(invoiceRow).getByText('Tom Technician')).toBeInTheDocument();
    expect(within(invoiceRow).getByText('paused')).toBeInTheDocument();
    // The tenant's own word for the status.
    expect(within(invoiceRow).getByText('Ball with customer')).toBeInTheDocument();
    expect(screen.getByText('3 tickets')).toBeInTheDocument();
  });

  it('counts down every 30 seconds', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    deskFake({ tickets: [vpn()] });
    await renderApp('/desk');
    const row = (await screen.findByText('VPN drops every hour')).closest('tr')!;
    expect(within(row).getByText('due in 2 h 15 min')).toBeInTheDocument();
    act(() => {
      vi.setSystemTime(new Date('2026-11-04T12:49:30Z'));
      vi.advanceTimersByTime(30_000);
    });
    expect(within(row).getByText('overdue 35 min')).toBeInTheDocument();
  });

  it('turns the saved filters into queries, keeps them in the address and remembers them', async () => {
    const fake = deskFake({ tickets: all() });
    const user = userEvent.setup();
    const { router, unmount } = await renderApp('/desk');
    await screen.findByText('VPN drops every hour');

    await user.click(screen.getByRole('radio', { name: 'Mine' }));
    await waitFor(() => expect(screen.queryByText('VPN drops every hour')).not.toBeInTheDocument());
    expect(fake.listQueries.at(-1)?.get('assigned_to')).toBe('me');
    expect(screen.getByText('Wrong invoice address')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?view=mine');

    await user.click(screen.getByRole('radio', { name: 'Unassigned' }));
    expect(await screen.findByText('Printer on floor 3 is offline')).toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('assigned_to')).toBe('none');

    await user.click(screen.getByRole('radio', { name: 'Breached' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('sla_breached')).toBe('true'));
    expect(fake.listQueries.at(-1)?.has('assigned_to')).toBe(false);
    expect(fake.listQueries.at(-1)?.get('status')).toBe(OPEN);

    // Back goes to the previous filter.
    await act(() => router.navigate(-1));
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Unassigned' })).toBeChecked());
    expect(fake.listQueries.at(-1)?.get('assigned_to')).toBe('none');

    // A new visit on this device starts with the last choice.
    unmount();
    await renderApp('/desk');
    expect(await screen.findByRole('radio', { name: 'Unassigned' })).toBeChecked();
    await screen.findByText('Printer on floor 3 is offline');
    expect(fake.listQueries.at(-1)?.get('assigned_to')).toBe('none');
  });

  it('filters by status, priority, customer and search on the server', async () => {
    const fake = deskFake({
      tickets: [
        ...all(),
        ticketOf({ id: 'x4', number: 1004, title: 'Old laptop', status: 'closed' }),
      ],
    });
    const user = userEvent.setup();
    const { router } = await renderApp('/desk?view=all');
    await screen.findByText('VPN drops every hour');

    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Closed' }));
    expect(await screen.findByText('Old laptop')).toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('status')).toBe('closed');

    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Any status' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.has('status')).toBe(false));

    await user.click(screen.getByRole('textbox', { name: 'Priority' }));
    await user.click(await screen.findByRole('option', { name: 'Low' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('priority')).toBe('low'));
    expect(await screen.findByText('Printer on floor 3 is offline')).toBeInTheDocument();
    expect(screen.queryByText('VPN drops every hour')).not.toBeInTheDocument();

    await user.click(screen.getByRole('textbox', { name: 'Customer' }));
    await user.click(await screen.findByRole('option', { name: 'Globex Ltd' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('customer_id')).toBe(GLOBEX));

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'nothing like it');
    expect(await screen.findByText('No ticket matches these filters.')).toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('search')).toBe('nothing like it');
    const params = new URLSearchParams(router.state.location.search);
    expect(Object.fromEntries(params)).toEqual({
      view: 'all',
      status: 'any',
      priority: 'low',
      customer: GLOBEX,
      q: 'nothing like it',
    });

    await user.click(screen.getByRole('button', { name: 'Reset filters' }));
    expect(await screen.findByText('VPN drops every hour')).toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('status')).toBe(OPEN);
  });

  it('sorts by a column through the API and says so in aria-sort', async () => {
    const fake = deskFake({ tickets: all() });
    const user = userEvent.setup();
    await renderApp('/desk');
    await screen.findByText('VPN drops every hour');
    const header = (name: string) => screen.getByRole('columnheader', { name });
    expect(header('SLA due')).toHaveAttribute('aria-sort', 'ascending');
    expect(header('Number')).toHaveAttribute('aria-sort', 'none');

    await user.click(screen.getByRole('button', { name: 'Number' }));
    await waitFor(() => expect(header('Number')).toHaveAttribute('aria-sort', 'descending'));
    expect(fake.listQueries.at(-1)?.get('sort')).toBe('number');
    expect(fake.listQueries.at(-1)?.get('order')).toBe('desc');
    expect(header('SLA due')).toHaveAttribute('aria-sort', 'none');
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('row')
          .slice(1)
          .map((r) => within(r).getByText(/^#/).textContent),
      ).toEqual(['#1003', '#1002', '#1001']),
    );

    await user.click(screen.getByRole('button', { name: 'Number' }));
    await waitFor(() => expect(header('Number')).toHaveAttribute('aria-sort', 'ascending'));
    expect(fake.listQueries.at(-1)?.get('order')).toBe('asc');

    await user.click(screen.getByRole('button', { name: 'Priority' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('sort')).toBe('priority'));
    expect(fake.listQueries.at(-1)?.get('order')).toBe('desc');

    await user.click(screen.getByRole('button', { name: 'Updated' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('sort')).toBe('updated_at'));
  });

  it('changes the selected tickets one by one with If-Match and reports what happened', async () => {
    const fake = deskFake({ tickets: all() });
    const user = userEvent.setup();
    await renderApp('/desk');
    await screen.findByText('VPN drops every hour');

    await user.click(screen.getByRole('checkbox', { name: 'Select all tickets on this page' }));
    expect(screen.getByRole('checkbox', { name: 'Select #1002' })).toBeChecked();
    const bar = screen.getByRole('region', { name: 'Change the selected tickets' });
    expect(within(bar).getByText('3 selected')).toBeInTheDocument();

    // Meanwhile someone else's change to #1002 gets there first (409).
    fake.conflictOnce.add(printer().id);
    const asked = fake.listQueries.length;
    await user.click(within(bar).getByRole('button', { name: 'Assign to me' }));

    expect(
      await screen.findByText('2 tickets updated; #1002 changed meanwhile and was left alone.'),
    ).toBeInTheDocument();
    // In the order shown (most urgent first), each with the version it was seen in.
    expect(fake.patches).toEqual([
      { id: printer().id, body: { assigned_to: ME }, ifMatch: '"1"' },
      { id: vpn().id, body: { assigned_to: ME }, ifMatch: '"3"' },
      { id: invoice().id, body: { assigned_to: ME }, ifMatch: '"5"' },
    ]);
    // The queue is asked again, and the selection is gone.
    await waitFor(() => expect(fake.listQueries.length).toBeGreaterThan(asked));
    expect(
      screen.queryByRole('region', { name: 'Change the selected tickets' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Select #1001' })).not.toBeChecked();
  });

  it('reports a stale version (412) and a refused status change, and assigns to a colleague', async () => {
    const fake = deskFake({ tickets: all() });
    const user = userEvent.setup();
    await renderApp('/desk');
    await screen.findByText('VPN drops every hour');
    await user.click(screen.getByRole('checkbox', { name: 'Select #1001' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select #1002' }));
    fake.tickets[0]!.version = 4; // changed behind our back
    await user.click(screen.getByRole('button', { name: 'Assign to…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Ella Engineer' }));
    expect(
      await screen.findByText('1 ticket updated; #1001 changed meanwhile and was left alone.'),
    ).toBeInTheDocument();
    expect(fake.patches.map((p) => [p.ifMatch, p.body])).toEqual([
      ['"1"', { assigned_to: COLLEAGUE }],
      ['"3"', { assigned_to: COLLEAGUE }],
    ]);

    // Status: the workflow refuses what it does not allow (422), and the reason is given.
    fake.tickets[2]!.status = 'closed';
    await user.click(await screen.findByRole('checkbox', { name: 'Select #1001' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select #1003' }));
    fake.patches.length = 0;
    await user.click(screen.getByRole('button', { name: 'Change status…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Waiting for customer' }));
    expect(
      await screen.findByText(
        '1 ticket updated; #1003 could not be changed: cannot change from closed to waiting_customer.',
      ),
    ).toBeInTheDocument();
    expect(fake.patches.map((p) => p.body)).toEqual([
      { status: 'waiting_customer' },
      { status: 'waiting_customer' },
    ]);
  });

  it('opens a ticket from its row by click and by Enter', async () => {
    deskFake({ tickets: all() });
    const user = userEvent.setup();
    const { router } = await renderApp('/desk');
    const printerRow = (await screen.findByText('Printer on floor 3 is offline')).closest('tr')!;
    await user.click(await within(printerRow).findByText('Globex Ltd'));
    await waitFor(() =>
      expect(router.state.location.pathname).toBe(`/desk/tickets/${printer().id}`),
    );
    expect(
      await screen.findByRole('heading', { level: 2, name: /Printer on floor 3 is offline/ }),
    ).toBeInTheDocument();

    await act(() => router.navigate(-1));
    const row = (await screen.findByText('VPN drops every hour')).closest('tr')!;
    row.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/desk/tickets/${vpn().id}`));
  });

  it('has an empty state for each saved filter', async () => {
    deskFake({ tickets: [] });
    const user = userEvent.setup();
    await renderApp('/desk?view=mine');
    expect(await screen.findByText('No open tickets are assigned to you.')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Unassigned' }));
    expect(await screen.findByText('The unassigned queue is empty.')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Breached' }));
    expect(await screen.findByText('No open ticket has missed its SLA.')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'All' }));
    expect(await screen.findByText('There are no open tickets.')).toBeInTheDocument();
  });

  it('shows a skeleton while loading and the request id when the server fails', async () => {
    deskFake();
    let answer: () => void = () => {};
    server.use(
      http.get('*/api/tickets', async () => {
        await new Promise<void>((r) => (answer = r));
        return HttpResponse.json(
          {
            status: 500,
            title: 'Internal',
            code: 'internal',
            detail: 'Boom.',
            request_id: 'rid-9',
          },
          { status: 500 },
        );
      }),
    );
    await renderApp('/desk');
    expect(await screen.findByLabelText('Loading…')).toHaveAttribute('aria-busy', 'true');
    answer();
    expect(await screen.findByRole('alert')).toHaveTextContent('rid-9');
  });

  it('pages through the API', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    server.use(
      http.get('*/api/tickets', ({ request }) => {
        fake.listQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json(page([vpn()], 60));
      }),
    );
    const user = userEvent.setup();
    await renderApp('/desk');
    await screen.findByText('VPN drops every hour');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(fake.listQueries.at(-1)?.get('page')).toBe('2'));
  });

  it('speaks German', async () => {
    deskFake({
      tickets: all(),
      session: sessionOf('EXPERT', { name: 'Tom Technician', locale: 'de' }),
    });
    await renderApp('/desk', 'de');
    expect(await screen.findByRole('heading', { name: 'Warteschlange' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Meine' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Nicht zugewiesen' })).toBeInTheDocument();
    await screen.findByText('VPN drops every hour');
    expect(screen.getByRole('columnheader', { name: 'SLA fällig' })).toBeInTheDocument();
    const vpnRow = (await screen.findByText('VPN drops every hour')).closest('tr')!;
    expect(within(vpnRow).getByText('fällig in 2 Std. 15 Min.')).toBeInTheDocument();
    expect(within(vpnRow).getByText('In Bearbeitung')).toBeInTheDocument();
    expect(within(vpnRow).getByText('Hoch')).toBeInTheDocument();
    const printerRow = screen.getByText('Printer on floor 3 is offline').closest('tr')!;
    expect(within(printerRow).getByText('seit 35 Min. überfällig')).toBeInTheDocument();
    expect(within(printerRow).getByText('Nicht zugewiesen')).toBeInTheDocument();
    expect(screen.getByText('pausiert')).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Alle Tickets dieser Seite auswählen' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Hauptnavigation' })).toBeInTheDocument();
  });
});
