import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ACME, page, sessionOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { acme, deskFake, globex } from './testing';
// The screens load lazily in the app; loaded here up front so the first test does not wait.
import './CustomersPage';

// Screens with many requests: give them time on a busy machine (this file only).
configure({ asyncUtilTimeout: 4000 });

describe('customers', { timeout: 20_000 }, () => {
  it("lists the tenant's customers with their contact, each linking to its page", async () => {
    deskFake();
    await renderApp('/customers');
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
    const row = (await screen.findByRole('link', { name: 'Acme Corporation' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'Acme Corporation' })).toHaveAttribute(
      'href',
      `/customers/${ACME}`,
    );
    expect(within(row).getByText('acme.example')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'it@acme.example' })).toHaveAttribute(
      'href',
      'mailto:it@acme.example',
    );
    expect(within(row).getByText('+49 30 1234567')).toBeInTheDocument();
    const other = screen.getByRole('link', { name: 'Globex Ltd' }).closest('tr')!;
    expect(within(other).getAllByText('—')).toHaveLength(2);
  });

  it('searches on the server, keeps the search in the address, and says when none match', async () => {
    const asked: URLSearchParams[] = [];
    deskFake();
    server.use(
      http.get('*/api/customers', ({ request }) => {
        const q = new URL(request.url).searchParams;
        asked.push(q);
        const s = q.get('search')?.toLowerCase();
        return HttpResponse.json(
          page([acme, globex].filter((c) => !s || c.name.toLowerCase().includes(s))),
        );
      }),
    );
    const user = userEvent.setup();
    const { router } = await renderApp('/customers');
    await screen.findByText('Globex Ltd');
    expect(asked.at(-1)?.get('sort')).toBe('name');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'glo');
    await waitFor(() => expect(screen.queryByText('Acme Corporation')).not.toBeInTheDocument());
    expect(asked.at(-1)?.get('search')).toBe('glo');
    expect(router.state.location.search).toBe('?q=glo');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'xx');
    expect(await screen.findByText('No customer matches the search.')).toBeInTheDocument();
  });

  it('pages', async () => {
    const asked: URLSearchParams[] = [];
    deskFake();
    server.use(
      http.get('*/api/customers', ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json(page([acme], 60));
      }),
    );
    const user = userEvent.setup();
    await renderApp('/customers');
    await screen.findByText('Acme Corporation');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(asked.at(-1)?.get('page')).toBe('2'));
  });

  it('has an empty state and speaks German', async () => {
    deskFake({ customers: [], session: sessionOf('EXPERT', { locale: 'de' }) });
    await renderApp('/customers', 'de');
    expect(await screen.findByRole('heading', { name: 'Kunden' })).toBeInTheDocument();
    expect(await screen.findByText('Es gibt noch keine Kunden.')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Suche' })).toBeInTheDocument();
  });
});
