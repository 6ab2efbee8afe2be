import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ACME, documentOf, page, sessionOf, ticketOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { deskFake, GLOBEX } from '@/features/desk/testing';
// The screens load lazily in the app; loaded here up front so the first test does not wait.
import './CustomerPage';
import '@/features/desk/CustomersPage';

// Screens with many requests: give them time on a busy machine (this file only).
configure({ asyncUtilTimeout: 4000 });

const vpn = ticketOf();
const invoiceQuestion = ticketOf({
  id: '0190f1a2-0000-7000-8000-0000000000t3',
  number: 1003,
  title: 'Wrong invoice address',
  status: 'resolved',
  priority: 'medium',
  assigned_to: null,
});
const globexTicket = ticketOf({
  id: '0190f1a2-0000-7000-8000-0000000000t4',
  number: 1004,
  title: 'Globex printer',
  customer_id: GLOBEX,
});

// The documents of Acme (the documents feature's API), and what it was asked.
function acmeDocuments() {
  const asked: string[] = [];
  server.use(
    http.get('*/api/customers/:id/documents', ({ params }) => {
      asked.push(String(params.id));
      return HttpResponse.json(page([documentOf()]));
    }),
  );
  return asked;
}

describe('customer page', { timeout: 20_000 }, () => {
  it("shows the customer's name and contact, and their tickets with a status filter", async () => {
    const fake = deskFake({ tickets: [vpn, invoiceQuestion, globexTicket] });
    const documents = acmeDocuments();
    const user = userEvent.setup();
    await renderApp(`/customers/${ACME}`);
    expect(await screen.findByRole('heading', { name: 'Acme Corporation' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'it@acme.example' })).toHaveAttribute(
      'href',
      'mailto:it@acme.example',
    );
    expect(screen.getByRole('link', { name: '+49 30 1234567' })).toHaveAttribute(
      'href',
      'tel:+49301234567',
    );
    expect(screen.getByRole('tab', { name: 'Tickets' })).toHaveAttribute('aria-selected', 'true');

    const link = await screen.findByRole('link', { name: 'VPN drops every hour' });
    expect(link).toHaveAttribute('href', `/desk/tickets/${vpn.id}`);
    const row = link.closest('tr')!;
    expect(within(row).getByText('#1001')).toBeInTheDocument();
    expect(await within(row).findByText('Erik Expert')).toBeInTheDocument();
    expect(screen.queryByText('Globex printer')).not.toBeInTheDocument();
    expect(screen.queryByText('Wrong invoice address')).not.toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('customer_id')).toBe(ACME);
    expect(fake.listQueries.at(-1)?.get('status')).toBe(
      'new,assigned,in_progress,waiting_customer',
    );

    await user.click(screen.getByRole('textbox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Resolved' }));
    expect(await screen.findByText('Wrong invoice address')).toBeInTheDocument();
    expect(fake.listQueries.at(-1)?.get('status')).toBe('resolved');
    // Documents load only when their tab is opened.
    expect(documents).toEqual([]);
  });

  it("shows the customer's documents, with upload for a manager, in the Documents tab", async () => {
    deskFake({ role: 'MANAGER', tickets: [vpn] });
    const documents = acmeDocuments();
    const user = userEvent.setup();
    const { router } = await renderApp(`/customers/${ACME}`);
    await user.click(await screen.findByRole('tab', { name: 'Documents' }));
    expect(await screen.findByText('Invoice 2026-10')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Upload a document' })).toBeInTheDocument();
    expect(documents).toContain(ACME);
    expect(router.state.location.search).toBe('?tab=documents');
  });

  it('opens on the documents tab from the address, without upload for a technician', async () => {
    deskFake({ tickets: [vpn] });
    acmeDocuments();
    await renderApp(`/customers/${ACME}?tab=documents`);
    expect(await screen.findByText('Invoice 2026-10')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Documents' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('region', { name: 'Upload a document' })).not.toBeInTheDocument();
  });

  it('says when the customer does not exist', async () => {
    deskFake();
    await renderApp('/customers/0190f1a2-0000-7000-8000-000000000099');
    expect(
      await screen.findByText('This customer does not exist, or you may not see it.'),
    ).toBeVisible();
    expect(screen.getByRole('link', { name: '← Customers' })).toHaveAttribute('href', '/customers');
  });

  it('speaks German', async () => {
    deskFake({ tickets: [vpn], session: sessionOf('EXPERT', { locale: 'de' }) });
    acmeDocuments();
    await renderApp(`/customers/${ACME}`, 'de');
    expect(await screen.findByRole('tab', { name: 'Tickets' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Dokumente' })).toBeInTheDocument();
    expect(await screen.findByText('In Bearbeitung')).toBeInTheDocument();
  });

  it('sends the old staff documents address to the customers', async () => {
    deskFake();
    const { router } = await renderApp('/documents');
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.pathname).toBe('/customers'));
  });
});
