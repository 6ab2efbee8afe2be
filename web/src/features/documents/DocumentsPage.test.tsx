import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProviders, makeQueryClient } from '@/app/providers';
import { uploadForm } from '@/lib/api';
import i18n from '@/lib/i18n';
import { ACME, documentOf, page, sessionOf } from '@/test/fixtures';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { CustomerDocumentsPanel } from './DocumentsPage';

const invoice = documentOf();
const contract = documentOf({
  id: '0190f1a2-0000-7000-8000-0000000000d2',
  title: 'Service contract 2026',
  filename: 'contract.pdf',
  category: 'contract',
  size: 1_572_864,
  created_at: '2026-01-05T10:00:00Z',
});

// The documents of Acme as the server filters them; the queries it was asked.
function acmeDocuments(role: 'CLIENT' | 'MANAGER' | 'EXPERT' = 'CLIENT', locale?: 'de') {
  const asked: URLSearchParams[] = [];
  server.use(
    http.get('*/api/auth/status', () =>
      HttpResponse.json(sessionOf(role, locale ? { locale } : {})),
    ),
    http.get(`*/api/customers/${ACME}/documents`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      asked.push(q);
      let docs = [invoice, contract];
      if (q.get('category')) docs = docs.filter((d) => d.category === q.get('category'));
      if (q.get('search'))
        docs = docs.filter((d) => d.title.toLowerCase().includes(q.get('search')!.toLowerCase()));
      return HttpResponse.json(page(docs));
    }),
  );
  return asked;
}

afterEach(() => vi.restoreAllMocks());

describe('portal documents', () => {
  it("lists the organisation's documents with category, size and date", async () => {
    acmeDocuments();
    await renderApp('/portal/documents');
    const row = (await screen.findByText('Invoice 2026-10')).closest('tr')!;
    expect(within(row).getByText('Invoice')).toBeInTheDocument();
    expect(within(row).getByText('47 KB')).toBeInTheDocument();
    expect(within(row).getByText('Oct 31, 2026')).toBeInTheDocument();
    const other = screen.getByText('Service contract 2026').closest('tr')!;
    expect(within(other).getByText('1.5 MB')).toBeInTheDocument();
  });

  it('filters by category and searches titles on the server', async () => {
    const asked = acmeDocuments();
    const user = userEvent.setup();
    await renderApp('/portal/documents');
    await screen.findByText('Invoice 2026-10');
    await user.click(screen.getByRole('textbox', { name: 'Category' }));
    await user.click(await screen.findByRole('option', { name: 'Contract' }));
    await waitFor(() => expect(screen.queryByText('Invoice 2026-10')).not.toBeInTheDocument());
    expect(screen.getByText('Service contract 2026')).toBeInTheDocument();
    expect(asked.at(-1)?.get('category')).toBe('contract');
    await user.type(screen.getByRole('textbox', { name: 'Search' }), 'nothing like it');
    expect(await screen.findByText('No document matches the filter.')).toBeInTheDocument();
    expect(asked.at(-1)?.get('search')).toBe('nothing like it');
  });

  it('downloads through a signed link', async () => {
    acmeDocuments();
    const issued: string[] = [];
    server.use(
      http.post('*/api/documents/:id/download-url', ({ params }) => {
        issued.push(String(params.id));
        return HttpResponse.json({
          url: '/api/files/signed-token',
          expires_at: '2026-11-22T10:05:00Z',
        });
      }),
    );
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    const user = userEvent.setup();
    await renderApp('/portal/documents');
    await user.click(await screen.findByRole('button', { name: 'Download Invoice 2026-10' }));
    await waitFor(() => expect(clicked).toEqual(['/api/files/signed-token']));
    expect(issued).toEqual([invoice.id]);
  });

  it('shows an empty state', async () => {
    server.use(
      http.get('*/api/auth/status', () => HttpResponse.json(sessionOf('CLIENT'))),
      http.get('*/api/customers/:id/documents', () => HttpResponse.json(page([]))),
    );
    await renderApp('/portal/documents');
    expect(await screen.findByText('There are no documents yet.')).toBeInTheDocument();
  });

  it('shows the request id when the server fails', async () => {
    server.use(
      http.get('*/api/auth/status', () => HttpResponse.json(sessionOf('CLIENT'))),
      http.get('*/api/customers/:id/documents', () =>
        HttpResponse.json(
          {
            status: 500,
            title: 'Internal',
            code: 'internal',
            detail: 'Boom.',
            request_id: 'rid-42',
          },
          { status: 500 },
        ),
      ),
    );
    await renderApp('/portal/documents');
    expect(await screen.findByRole('alert')).toHaveTextContent('rid-42');
  });

  it('speaks German to a German user', async () => {
    acmeDocuments('CLIENT', 'de');
    await renderApp('/portal/documents', 'de');
    expect(await screen.findByRole('heading', { name: 'Dokumente' })).toBeInTheDocument();
    const row = (await screen.findByText('Invoice 2026-10')).closest('tr')!;
    expect(within(row).getByText('Rechnung')).toBeInTheDocument();
    expect(within(row).getByText('31.10.2026')).toBeInTheDocument();
    expect(
      within(row).getByRole('button', { name: 'Invoice 2026-10 herunterladen' }),
    ).toBeVisible();
  });
});

describe('upload form', () => {
  it('carries the fields and one file part', () => {
    const form = uploadForm(new File(['%PDF'], 'r.pdf'), {
      title: 'Report',
      category: 'report',
      visibility: 'customer',
    });
    expect([...form.keys()]).toEqual(['title', 'category', 'visibility', 'file']);
    expect(form.get('title')).toBe('Report');
    expect((form.get('file') as File).name).toBe('r.pdf');
  });
});

describe('customer documents panel', () => {
  // The panel as the customer page (src/app/pages/CustomerPage.tsx) shows it, on its own here.
  async function renderPanel() {
    const client = makeQueryClient();
    client.setDefaultOptions({ queries: { retry: false } });
    await i18n.changeLanguage('en');
    return render(
      <AppProviders client={client}>
        <CustomerDocumentsPanel customerId={ACME} />
      </AppProviders>,
    );
  }

  // The upload itself (XMLHttpRequest with progress) is driven against the real server by the
  // Playwright journeys: jsdom's XMLHttpRequest never completes a FormData request through MSW.
  it('gives a manager the upload form, which asks for a file first', async () => {
    acmeDocuments('MANAGER');
    const user = userEvent.setup();
    await renderPanel();
    await screen.findByText('Invoice 2026-10');
    const form = await screen.findByRole('region', { name: 'Upload a document' });
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    expect(within(form).getByText('Choose a file first.')).toBeInTheDocument();
    expect(within(form).getByRole('textbox', { name: 'Title' })).toBeInTheDocument();
  });

  it('shows no upload form to a technician, and marks internal documents', async () => {
    acmeDocuments('EXPERT');
    server.use(
      http.get(`*/api/customers/${ACME}/documents`, () =>
        HttpResponse.json(
          page([invoice, documentOf({ id: 'd3', title: 'Network notes', visibility: 'internal' })]),
        ),
      ),
    );
    await renderPanel();
    const row = (await screen.findByText('Network notes')).closest('tr')!;
    expect(within(row).getByText('Internal')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Upload a document' })).not.toBeInTheDocument();
  });
});
