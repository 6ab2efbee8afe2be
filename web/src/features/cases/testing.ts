// The cases API at the network edge for the screen tests: one in-memory service desk (tickets,
// comments, history, attachments) that answers as the server does for a customer, and remembers
// what it was asked.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import { attachmentOf, commentOf, historyOf, ME, page, sessionOf, ticketOf } from '@/test/fixtures';
import { server } from '@/test/server';

type Ticket = Schemas['Ticket'];
type Role = Schemas['AuthStatus']['role'];

export interface Desk {
  tickets: Ticket[];
  comments: Schemas['Comment'][];
  history: Schemas['HistoryEntry'][];
  attachments: Schemas['Attachment'][];
  listQueries: URLSearchParams[];
  posted: { body: unknown; headers: Headers }[];
  patched: unknown[];
  downloads: string[];
}

export function deskOf(
  options: {
    role?: Role;
    session?: Schemas['AuthStatus'];
    tickets?: Ticket[];
    comments?: Schemas['Comment'][];
    history?: Schemas['HistoryEntry'][];
    attachments?: Schemas['Attachment'][];
  } = {},
): Desk {
  const desk: Desk = {
    tickets: options.tickets ?? [ticketOf()],
    comments: options.comments ?? [
      commentOf({
        id: 'c1',
        author_id: ME,
        body: 'It happened again at 10:00.',
        created_at: '2026-11-02T10:05:00Z',
      }),
      commentOf({ id: 'c2', body: 'We are looking into it.', created_at: '2026-11-02T11:00:00Z' }),
    ],
    history: options.history ?? [
      historyOf(),
      historyOf({
        id: 'h2',
        action: 'status',
        field: 'status',
        old_value: 'assigned',
        new_value: 'in_progress',
        at: '2026-11-02T11:00:00Z',
      }),
      historyOf({ id: 'h3', action: 'commented', new_value: 'c2', at: '2026-11-02T11:00:00Z' }),
    ],
    attachments: options.attachments ?? [attachmentOf()],
    listQueries: [],
    posted: [],
    patched: [],
    downloads: [],
  };
  const session = options.session ?? sessionOf(options.role ?? 'CLIENT');
  const find = (id: unknown) => desk.tickets.find((t) => t.id === id);
  const notFound = () =>
    HttpResponse.json(
      { status: 404, title: 'Not Found', code: 'not_found', detail: 'There is no such ticket.' },
      { status: 404 },
    );
  server.use(
    http.get('*/api/auth/status', () => HttpResponse.json(session)),
    http.get('*/api/tickets', ({ request }) => {
      const q = new URL(request.url).searchParams;
      desk.listQueries.push(q);
      let list = desk.tickets;
      const statuses = q.get('status')?.split(',');
      if (statuses) list = list.filter((t) => statuses.includes(t.status));
      const search = q.get('search')?.toLowerCase();
      if (search) list = list.filter((t) => t.title.toLowerCase().includes(search));
      return HttpResponse.json(page(list));
    }),
    http.get('*/api/tickets/:id', ({ params }) => {
      const t = find(params.id);
      return t ? HttpResponse.json(t) : notFound();
    }),
    http.patch('*/api/tickets/:id', async ({ params, request }) => {
      const t = find(params.id);
      if (!t) return notFound();
      const body = (await request.json()) as { status: Ticket['status'] };
      desk.patched.push(body);
      Object.assign(t, { status: body.status, version: t.version + 1 });
      return HttpResponse.json(t);
    }),
    http.get('*/api/tickets/:id/comments', ({ params }) =>
      find(params.id)
        ? HttpResponse.json(page(desk.comments.filter((c) => c.ticket_id === params.id)))
        : notFound(),
    ),
    http.post('*/api/tickets/:id/comments', async ({ params, request }) => {
      const t = find(params.id);
      if (!t) return notFound();
      const body = (await request.json()) as { body: string };
      desk.posted.push({ body, headers: request.headers });
      if (t.status === 'closed')
        return HttpResponse.json(
          { status: 409, title: 'Conflict', code: 'conflict', detail: 'The ticket is closed.' },
          { status: 409 },
        );
      const comment = commentOf({
        id: `c${desk.comments.length + 1}`,
        ticket_id: t.id,
        author_id: ME,
        body: body.body,
        created_at: '2026-11-04T09:00:00Z',
      });
      desk.comments.push(comment);
      return HttpResponse.json(comment, { status: 201 });
    }),
    http.get('*/api/tickets/:id/history', ({ params }) =>
      find(params.id) ? HttpResponse.json(page(desk.history)) : notFound(),
    ),
    http.get('*/api/tickets/:id/attachments', ({ params }) =>
      find(params.id)
        ? HttpResponse.json(page(desk.attachments.filter((a) => a.ticket_id === params.id)))
        : notFound(),
    ),
    http.post('*/api/tickets/:id/attachments/:attachment/download-url', ({ params }) => {
      desk.downloads.push(String(params.attachment));
      return HttpResponse.json({
        url: `/api/files/signed-${String(params.attachment)}`,
        expires_at: '2026-11-22T10:05:00Z',
      });
    }),
    http.post('*/api/tickets', async ({ request }) => {
      const body = (await request.json()) as Partial<Ticket>;
      desk.posted.push({ body, headers: request.headers });
      const t = ticketOf({
        ...body,
        id: '0190f1a2-0000-7000-8000-0000000000t9',
        number: 1009,
        status: 'new',
        assigned_to: null,
      });
      desk.tickets.push(t);
      return HttpResponse.json(t, { status: 201 });
    }),
  );
  return desk;
}
