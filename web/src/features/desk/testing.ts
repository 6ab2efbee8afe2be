// The desk's API at the network edge for the screen tests: one in-memory service desk (tickets
// with versions, comments with visibility, history, attachments, customers, staff) answering as
// the server does for staff (If-Match → 412, the workflow → 422, assignment moving new ↔
// assigned), and remembering what it was asked.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import {
  ACME,
  attachmentOf,
  commentOf,
  historyOf,
  ME,
  page,
  sessionOf,
  STAFF,
  ticketOf,
} from '@/test/fixtures';
import { server } from '@/test/server';

type Ticket = Schemas['Ticket'];
type Role = Schemas['AuthStatus']['role'];
type User = Schemas['User'];
type Customer = Schemas['Customer'];

export const GLOBEX = '0190f1a2-0000-7000-8000-000000000002';
export const COLLEAGUE = '0190f1a2-0000-7000-8000-0000000000s2';
export const MANAGER = '0190f1a2-0000-7000-8000-0000000000s3';
export const CLIENT = '0190f1a2-0000-7000-8000-0000000000u9';

export function customerOf(overrides: Partial<Customer> = {}): Customer {
  return {
    id: ACME,
    name: 'Acme Corporation',
    domain: 'acme.example',
    contact_email: 'it@acme.example',
    phone: '+49 30 1234567',
    address: null,
    notes: null,
    external_ref: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

export function userOf(overrides: Partial<User> = {}): User {
  return {
    id: STAFF,
    tenant_id: '0190f1a2-0000-7000-8000-000000000100',
    email: 'erik@demo.example',
    name: 'Erik Expert',
    role: 'EXPERT',
    status: 'active',
    customer_id: null,
    locale: null,
    last_login_at: null,
    mfa_enabled: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export const acme = customerOf();
export const globex = customerOf({
  id: GLOBEX,
  name: 'Globex Ltd',
  domain: 'globex.example',
  contact_email: null,
  phone: null,
});

// The signed-in staff member (sessionOf's user: Tom), colleagues and a customer user.
export const tom = userOf({ id: ME, name: 'Tom Technician', email: 'tom@demo.example' });
export const mia = userOf({
  id: MANAGER,
  name: 'Mia Manager',
  role: 'MANAGER',
  email: 'mia@demo.example',
});
export const erik = userOf();
export const ella = userOf({ id: COLLEAGUE, name: 'Ella Engineer', email: 'ella@demo.example' });
export const carl = userOf({
  id: CLIENT,
  name: 'Carl Client',
  role: 'CLIENT',
  email: 'carl@acme.example',
  customer_id: ACME,
});

const problem = (status: number, code: string, detail: string, extra: object = {}) =>
  HttpResponse.json({ status, title: code, code, detail, ...extra }, { status });

const OPEN = ['new', 'assigned', 'in_progress', 'waiting_customer'];
function allowed(from: string, to: string) {
  if (from === to) return true;
  if (OPEN.includes(from)) return true;
  if (from === 'resolved') return to === 'in_progress' || to === 'closed';
  return false;
}

export interface DeskFake {
  tickets: Ticket[];
  comments: Schemas['Comment'][];
  history: Schemas['HistoryEntry'][];
  attachments: Schemas['Attachment'][];
  customers: Customer[];
  users: User[];
  listQueries: URLSearchParams[];
  patches: { id: string; body: Record<string, unknown>; ifMatch: string | null }[];
  posted: { id: string; body: { body: string; visibility?: string } }[];
  downloads: string[];
  // Tickets whose next PATCH answers 409 (someone else's change got there first).
  conflictOnce: Set<string>;
}

export function deskFake(
  options: {
    role?: Role;
    session?: Schemas['AuthStatus'];
    tickets?: Ticket[];
    comments?: Schemas['Comment'][];
    history?: Schemas['HistoryEntry'][];
    attachments?: Schemas['Attachment'][];
    customers?: Customer[];
    users?: User[];
  } = {},
): DeskFake {
  const role = options.role ?? 'EXPERT';
  const session =
    options.session ?? sessionOf(role, { name: 'Tom Technician', email: 'tom@demo.example' });
  const fake: DeskFake = {
    tickets: options.tickets ?? [ticketOf({ requester_id: CLIENT })],
    comments: options.comments ?? [
      commentOf({
        id: 'c1',
        author_id: CLIENT,
        author_name: 'Carl Client',
        body: 'It happened again at 10:00.',
        created_at: '2026-11-02T10:05:00Z',
      }),
      commentOf({
        id: 'c2',
        author_id: STAFF,
        author_name: 'Erik Expert',
        body: 'Checked the gateway logs: MTU mismatch.',
        visibility: 'internal',
        created_at: '2026-11-02T10:30:00Z',
      }),
      commentOf({
        id: 'c3',
        author_id: STAFF,
        author_name: 'Erik Expert',
        body: 'We are looking into it.',
        created_at: '2026-11-02T11:00:00Z',
      }),
    ],
    history: options.history ?? [
      historyOf({ actor_id: CLIENT, actor_name: 'Carl Client' }),
      historyOf({
        id: 'h2',
        actor_id: MANAGER,
        actor_name: 'Mia Manager',
        action: 'assigned',
        field: 'assigned_to',
        new_value: STAFF,
        at: '2026-11-02T09:00:00Z',
      }),
      historyOf({
        id: 'h3',
        actor_id: STAFF,
        actor_name: 'Erik Expert',
        action: 'status',
        field: 'status',
        old_value: 'assigned',
        new_value: 'in_progress',
        at: '2026-11-02T09:30:00Z',
      }),
      historyOf({
        id: 'h4',
        actor_id: STAFF,
        actor_name: 'Erik Expert',
        action: 'commented',
        new_value: 'c2',
        visibility: 'internal',
        at: '2026-11-02T10:30:00Z',
      }),
    ],
    attachments: options.attachments ?? [
      attachmentOf({ uploaded_by: CLIENT }),
      attachmentOf({
        id: '0190f1a2-0000-7000-8000-0000000000a2',
        filename: 'gateway.pcap',
        size: 2_048,
        comment_id: 'c2',
        visibility: 'internal',
        uploaded_by: STAFF,
      }),
    ],
    customers: options.customers ?? [acme, globex],
    users: options.users ?? [{ ...tom, role }, mia, erik, ella, carl],
    listQueries: [],
    patches: [],
    posted: [],
    downloads: [],
    conflictOnce: new Set(),
  };
  const me = session.user;
  const find = (id: unknown) => fake.tickets.find((t) => t.id === id);
  const notFound = () => problem(404, 'not_found', 'There is no such ticket.');
  const at = () => '2026-11-04T09:00:00Z';
  // One history for the fake's (one) ticket under test.
  const log = (entry: Partial<Schemas['HistoryEntry']>) =>
    fake.history.push(
      historyOf({
        id: `h${fake.history.length + 1}`,
        actor_id: me.id,
        actor_name: me.name,
        at: at(),
        ...entry,
      }),
    );
  const ofTicket = <T extends { ticket_id: string }>(list: T[], id: unknown) =>
    list.filter((x) => x.ticket_id === id);

  server.use(
    http.get('*/api/auth/status', () => HttpResponse.json(session)),
    http.get('*/api/tickets', ({ request }) => {
      const q = new URL(request.url).searchParams;
      fake.listQueries.push(q);
      let list = fake.tickets;
      const statuses = q.get('status')?.split(',');
      if (statuses) list = list.filter((t) => statuses.includes(t.status));
      const priorities = q.get('priority')?.split(',');
      if (priorities) list = list.filter((t) => priorities.includes(t.priority));
      const customer = q.get('customer_id');
      if (customer) list = list.filter((t) => t.customer_id === customer);
      const assigned = q.get('assigned_to');
      if (assigned === 'me') list = list.filter((t) => t.assigned_to === me.id);
      else if (assigned === 'none') list = list.filter((t) => t.assigned_to === null);
      else if (assigned) list = list.filter((t) => t.assigned_to === assigned);
      if (q.get('sla_breached') === 'true') list = list.filter((t) => t.sla_breached);
      const search = q.get('search')?.toLowerCase();
      if (search) list = list.filter((t) => t.title.toLowerCase().includes(search));
      const sort = q.get('sort') ?? 'created_at';
      const dir = q.get('order') === 'asc' ? 1 : -1;
      const rank = { low: 0, medium: 1, high: 2, critical: 3 };
      const key = (t: Ticket): string | number =>
        sort === 'number'
          ? t.number
          : sort === 'priority'
            ? rank[t.priority]
            : sort === 'sla_resolution_due'
              ? (t.sla_resolution_due ?? '')
              : sort === 'updated_at'
                ? t.updated_at
                : t.created_at;
      list = [...list].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
      return HttpResponse.json(page(list));
    }),
    http.get('*/api/tickets/:id', ({ params }) => {
      const t = find(params.id);
      return t ? HttpResponse.json(t, { headers: { ETag: `"${t.version}"` } }) : notFound();
    }),
    http.patch('*/api/tickets/:id', async ({ params, request }) => {
      const t = find(params.id);
      if (!t) return notFound();
      const body = (await request.json()) as Partial<Ticket>;
      const ifMatch = request.headers.get('If-Match');
      fake.patches.push({ id: t.id, body, ifMatch });
      if (fake.conflictOnce.delete(t.id))
        return problem(409, 'conflict', 'The ticket changed meanwhile; reload and try again.');
      if (ifMatch && ifMatch !== `"${t.version}"`)
        return problem(
          412,
          'precondition_failed',
          `The ticket changed since you read it (version ${t.version}); reload and try again.`,
        );
      const before = { ...t };
      let status = body.status ?? t.status;
      const assignee = 'assigned_to' in body ? (body.assigned_to ?? null) : t.assigned_to;
      if (!body.status && assignee !== t.assigned_to) {
        if (assignee && t.status === 'new') status = 'assigned';
        if (!assignee && t.status === 'assigned') status = 'new';
      }
      if (!allowed(t.status, status))
        return problem(422, 'validation_failed', 'The change is invalid.', {
          errors: [{ field: '/status', message: `cannot change from ${t.status} to ${status}` }],
        });
      Object.assign(t, {
        status,
        assigned_to: assignee,
        priority: body.priority ?? t.priority,
        version: t.version + 1,
        updated_at: at(),
        resolved_at: status === 'resolved' ? at() : t.resolved_at,
      });
      if (before.assigned_to !== t.assigned_to)
        log({
          action: 'assigned',
          field: 'assigned_to',
          old_value: before.assigned_to,
          new_value: t.assigned_to,
        });
      if (before.status !== t.status)
        log({ action: 'status', field: 'status', old_value: before.status, new_value: t.status });
      if (before.priority !== t.priority)
        log({
          action: 'priority',
          field: 'priority',
          old_value: before.priority,
          new_value: t.priority,
        });
      return HttpResponse.json(t, { headers: { ETag: `"${t.version}"` } });
    }),
    http.get('*/api/tickets/:id/comments', ({ params }) =>
      find(params.id) ? HttpResponse.json(page(ofTicket(fake.comments, params.id))) : notFound(),
    ),
    http.post('*/api/tickets/:id/comments', async ({ params, request }) => {
      const t = find(params.id);
      if (!t) return notFound();
      const body = (await request.json()) as { body: string; visibility?: 'public' | 'internal' };
      fake.posted.push({ id: t.id, body });
      if (t.status === 'closed') return problem(409, 'conflict', 'The ticket is closed.');
      const comment = commentOf({
        id: `c${fake.comments.length + 1}`,
        ticket_id: t.id,
        author_id: me.id,
        author_name: me.name,
        body: body.body,
        visibility: body.visibility ?? 'public',
        created_at: at(),
      });
      fake.comments.push(comment);
      t.version += 1;
      log({ action: 'commented', new_value: comment.id, visibility: comment.visibility });
      return HttpResponse.json(comment, { status: 201 });
    }),
    http.get('*/api/tickets/:id/history', ({ params }) =>
      find(params.id) ? HttpResponse.json(page(fake.history)) : notFound(),
    ),
    http.get('*/api/tickets/:id/attachments', ({ params }) =>
      find(params.id) ? HttpResponse.json(page(ofTicket(fake.attachments, params.id))) : notFound(),
    ),
    http.post('*/api/tickets/:id/attachments/:attachment/download-url', ({ params }) => {
      fake.downloads.push(String(params.attachment));
      return HttpResponse.json({
        url: `/api/files/signed-${String(params.attachment)}`,
        expires_at: '2026-11-22T10:05:00Z',
      });
    }),
    http.get('*/api/customers', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const search = q.get('search')?.toLowerCase();
      const list = search
        ? fake.customers.filter((c) => c.name.toLowerCase().includes(search))
        : fake.customers;
      return HttpResponse.json(page(list));
    }),
    http.get('*/api/customers/:id', ({ params }) => {
      const c = fake.customers.find((x) => x.id === params.id);
      return c ? HttpResponse.json(c) : problem(404, 'not_found', 'There is no such customer.');
    }),
    // EXPERTs list the tenant's staff; MANAGERs every user of the tenant.
    http.get('*/api/users', () =>
      HttpResponse.json(
        page(
          session.role === 'EXPERT'
            ? fake.users.filter((u) => u.role === 'EXPERT' || u.role === 'MANAGER')
            : fake.users,
        ),
      ),
    ),
  );
  return fake;
}
