import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { page, sessionOf, ticketOf, withStatusLabels } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { deskOf } from './testing';

const vpn = ticketOf();
const printer = ticketOf({
  id: '0190f1a2-0000-7000-8000-0000000000t2',
  number: 1002,
  title: 'Printer on floor 3 is offline',
  status: 'waiting_customer',
  priority: 'low',
  updated_at: '2026-11-05T09:00:00Z',
});
const invoice = ticketOf({
  id: '0190f1a2-0000-7000-8000-0000000000t3',
  number: 1003,
  title: 'Wrong invoice address',
  status: 'resolved',
  priority: 'medium',
});
const OPEN = 'new,assigned,in_progress,waiting_customer';

// Notifications live in a store of their own: none may outlast its test.
afterEach(() => act(() => notifications.clean()));

describe('portal cases list', () => {
  it('lists the open cases with number, title, status, priority and date', async () => {
    const desk = deskOf({ tickets: [vpn, printer, invoice] });
    await renderApp('/portal/cases');
    expect(await screen.findByRole('heading', { name: 'Cases' })).toBeInTheDocument();
    const row = (await screen.findByRole('link', { name: 'VPN drops every hour' })).closest('tr')!;
    expect(within(row).getByText('#1001')).toBeInTheDocument();
    expect(within(row).getByText('In progress')).toBeInTheDocument();
    expect(within(row).getByText('High')).toBeInTheDocument();
    expect(within(row).getByText('Nov 3, 2026')).toBeInTheDocument();
    const other = screen
      .getByRole('link', { name: 'Printer on floor 3 is offline' })
      .closest('tr')!;
    expect(within(other).getByText('Waiting for you')).toBeInTheDocument();
    expect(within(other).getByText('Low')).toBeInTheDocument();
    // Open cases by default: the resolved one stays out, and the server was asked for open ones.
    expect(screen.queryByText('Wrong invoice address')).not.toBeInTheDocument();
    expect(desk.listQueries.at(-1)?.get('status')).toBe(OPEN);
    expect(desk.listQueries.at(-1)?.get('sort')).toBe('updated_at');
    expect(screen.getByRole('link', { name: 'VPN drops every hour' })).toHaveAttribute(
      'href',
      `/portal/cases/${vpn.id}`,
    );
    expect(screen.getByRole('link', { name: 'New case' })).toHaveAttribute(
      'href',
      '/portal/cases/new',
    );
  });

  it("shows the tenant's own status labels", async () => {
    deskOf({
      tickets: [vpn, printer],
      session: withStatusLabels(sessionOf('CUSTOMER_ADMIN'), { waiting_customer: 'Your turn' }),
    });
    await renderApp('/portal/cases');
    const row = (await screen.findByText('Printer on floor 3 is offline')).closest('tr')!;
    expect(within(row).getByText('Your turn')).toBeInTheDocument();
    expect(screen.queryByText('Waiting for you')).not.toBeInTheDocument();
    // Statuses the tenant did not name keep the product's label.
    const vpnRow = screen.getByText('VPN drops every hour').closest('tr')!;
    expect(within(vpnRow).getByText('In progress')).toBeInTheDocument();
  });

  it('filters by status and searches on the server', async () => {
    const desk = deskOf({ tickets: [vpn, printer, invoice] });
    const user = userEvent.setup();
    await renderApp('/portal/cases');
    await screen.findByText('VPN drops every hour');
    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Resolved' }));
    expect(await screen.findByText('Wrong invoice address')).toBeInTheDocument();
    expect(screen.queryByText('VPN drops every hour')).not.toBeInTheDocument();
    expect(desk.listQueries.at(-1)?.get('status')).toBe('resolved');

    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'All' }));
    expect(await screen.findByText('VPN drops every hour')).toBeInTheDocument();
    expect(desk.listQueries.at(-1)?.has('status')).toBe(false);

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'printer');
    await waitFor(() => expect(screen.queryByText('VPN drops every hour')).not.toBeInTheDocument());
    expect(screen.getByText('Printer on floor 3 is offline')).toBeInTheDocument();
    expect(desk.listQueries.at(-1)?.get('search')).toBe('printer');

    await user.clear(screen.getByRole('searchbox', { name: 'Search' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'nothing like it');
    expect(await screen.findByText('No case matches the search.')).toBeInTheDocument();
  });

  it('shows an empty state with a way to open a case', async () => {
    deskOf({ tickets: [] });
    await renderApp('/portal/cases');
    expect(await screen.findByText('You have no open cases.')).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'New case' })).toHaveLength(2);
  });

  it('shows the request id when the server fails', async () => {
    deskOf();
    server.use(
      http.get('*/api/tickets', () =>
        HttpResponse.json(
          {
            status: 500,
            title: 'Internal',
            code: 'internal',
            detail: 'Boom.',
            request_id: 'rid-7',
          },
          { status: 500 },
        ),
      ),
    );
    await renderApp('/portal/cases');
    expect(await screen.findByRole('alert')).toHaveTextContent('rid-7');
  });

  it('pages with translated controls', async () => {
    const desk = deskOf();
    server.use(
      http.get('*/api/tickets', ({ request }) => {
        desk.listQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json(page([vpn], 60));
      }),
    );
    const user = userEvent.setup();
    await renderApp('/portal/cases');
    await screen.findByText('VPN drops every hour');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(desk.listQueries.at(-1)?.get('page')).toBe('2'));
  });

  it('puts Cases first in the navigation and speaks German', async () => {
    deskOf({ tickets: [vpn], session: sessionOf('CLIENT', { locale: 'de' }) });
    await renderApp('/portal/cases', 'de');
    expect(await screen.findByRole('heading', { name: 'Fälle' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Hauptnavigation' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['Fälle', 'Dokumente']);
    const row = (await screen.findByText('VPN drops every hour')).closest('tr')!;
    expect(within(row).getByText('In Bearbeitung')).toBeInTheDocument();
    expect(within(row).getByText('Hoch')).toBeInTheDocument();
    expect(within(row).getByText('03.11.2026')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Neuer Fall' })).toBeInTheDocument();
  });
});
