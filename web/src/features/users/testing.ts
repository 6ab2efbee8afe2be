// The users API at the network edge for the screen tests: an in-memory tenant (users, customer
// organisations, skills, invitations) answering as the server does for a MANAGER (the tenant's
// users) or a CUSTOMER_ADMIN (their organisation's), and remembering what it was asked.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import { ACME, ME, page, sessionOf, TENANT } from '@/test/fixtures';
import { server } from '@/test/server';

type User = Schemas['User'];
type Role = Schemas['Role'];
type Customer = Schemas['Customer'];

export const INITECH = '0190f1a2-0000-7000-8000-000000000002';

export function customerOf(overrides: Partial<Customer> = {}): Customer {
  return {
    id: ACME,
    name: 'Acme Corporation',
    domain: 'acme.example',
    contact_email: 'it@acme.example',
    phone: null,
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
    id: '0190f1a2-0000-7000-8000-0000000000e1',
    tenant_id: TENANT,
    email: 'erik@demo.example',
    name: 'Erik Expert',
    role: 'EXPERT',
    status: 'active',
    customer_id: null,
    locale: null,
    hourly_rate: { amount_cents: 9500, currency: 'EUR' },
    last_login_at: '2026-11-20T08:15:00Z',
    mfa_enabled: true,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export const mia = userOf({
  id: ME,
  email: 'manager@demo.example',
  name: 'Mia Manager',
  role: 'MANAGER',
  hourly_rate: null,
});
export const erik = userOf();
export const anna = userOf({
  id: '0190f1a2-0000-7000-8000-0000000000a2',
  email: 'anna@acme.example',
  name: 'Anna Admin',
  role: 'CUSTOMER_ADMIN',
  customer_id: ACME,
  hourly_rate: undefined,
  mfa_enabled: false,
});
export const carl = userOf({
  id: '0190f1a2-0000-7000-8000-0000000000c2',
  email: 'carl@acme.example',
  name: 'Carl Client',
  role: 'CLIENT',
  customer_id: ACME,
  hourly_rate: undefined,
  last_login_at: null,
  mfa_enabled: false,
});
export const ida = userOf({
  id: '0190f1a2-0000-7000-8000-0000000000i2',
  email: 'ida@initech.example',
  name: 'Ida Invited',
  role: 'CLIENT',
  status: 'invited',
  customer_id: INITECH,
  hourly_rate: undefined,
  last_login_at: null,
  mfa_enabled: false,
});

export interface Directory {
  users: User[];
  customers: Customer[];
  expertise: Record<string, Schemas['Expertise'][]>;
  listQueries: URLSearchParams[];
  created: unknown[];
  updates: { id: string; body: Record<string, unknown> }[];
  invites: string[];
  expertisePuts: { id: string; body: unknown }[];
  tokens: number;
}

const problem = (
  status: number,
  code: string,
  detail: string,
  errors?: { field: string; message: string }[],
) =>
  HttpResponse.json(
    {
      type: `https://kontor.dev/problems/${code}`,
      title: code,
      status,
      code,
      detail,
      request_id: `req-${code}`,
      ...(errors ? { errors } : {}),
    },
    { status },
  );

const isClient = (r: Role) => r === 'CLIENT' || r === 'CUSTOMER_ADMIN';

export function directoryOf(
  options: {
    role?: 'MANAGER' | 'CUSTOMER_ADMIN' | 'CLIENT';
    users?: User[];
    maxUsers?: number;
    locale?: 'en' | 'de';
  } = {},
): Directory {
  const role = options.role ?? 'MANAGER';
  const locale = options.locale ?? null;
  const session =
    role === 'MANAGER'
      ? sessionOf('MANAGER', { email: mia.email, name: mia.name, locale })
      : sessionOf(role, { id: anna.id, email: anna.email, name: anna.name, locale });
  const dir: Directory = {
    // Copies: a test's changes stay in its own directory.
    users: (options.users ?? [anna, carl, erik, ida, mia]).map((u) => ({ ...u })),
    customers: [customerOf(), customerOf({ id: INITECH, name: 'Initech', domain: null })],
    expertise: {
      [erik.id]: [
        { skill: 'network', level: 4 },
        { skill: 'windows', level: 3 },
      ],
    },
    listQueries: [],
    created: [],
    updates: [],
    invites: [],
    expertisePuts: [],
    tokens: 0,
  };
  const inScope = (u: User) =>
    role === 'MANAGER' ? true : role === 'CUSTOMER_ADMIN' ? u.customer_id === ACME : u.id === ME;
  const find = (id: unknown) => dir.users.find((u) => u.id === id && inScope(u));
  const notFound = () => problem(404, 'not_found', 'There is no such user.');
  const seats = () => dir.users.filter((u) => u.status !== 'inactive').length;
  const invite = () => {
    dir.tokens += 1;
    return { token: `tok-${dir.tokens}`, expires_at: '2026-12-01T09:00:00Z' };
  };
  // Rates are shown to staff looking at staff.
  const view = (u: User): User => {
    if (isClient(u.role)) {
      const { hourly_rate: _, ...rest } = u;
      return rest;
    }
    return { ...u, hourly_rate: u.hourly_rate ?? null };
  };

  server.use(
    http.get('*/api/auth/status', () => HttpResponse.json(session)),
    http.get('*/api/customers', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const list = role === 'MANAGER' ? dir.customers : dir.customers.filter((c) => c.id === ACME);
      return HttpResponse.json(page(list, list.length, Number(q.get('limit') ?? 25)));
    }),
    http.get('*/api/users', ({ request }) => {
      const q = new URL(request.url).searchParams;
      dir.listQueries.push(q);
      let list = dir.users.filter(inScope);
      const r = q.get('role');
      if (r) list = list.filter((u) => u.role === r);
      const s = q.get('status');
      if (s) list = list.filter((u) => u.status === s);
      const search = q.get('search')?.toLowerCase();
      if (search)
        list = list.filter(
          (u) => u.name.toLowerCase().includes(search) || u.email.toLowerCase().includes(search),
        );
      list = [...list].sort((a, b) => a.name.localeCompare(b.name));
      const limit = Number(q.get('limit') ?? 25);
      const p = Number(q.get('page') ?? 1);
      const body = page(list.slice((p - 1) * limit, p * limit).map(view), list.length, limit);
      body.meta.page = p;
      return HttpResponse.json(body);
    }),
    http.post('*/api/users', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown> & { role: Role };
      dir.created.push(body);
      if (role === 'CUSTOMER_ADMIN' && !isClient(body.role))
        return problem(403, 'forbidden', 'You can create CLIENT and CUSTOMER_ADMIN users only.');
      if (dir.users.some((u) => u.email === body.email))
        return problem(409, 'conflict', 'The e-mail address is taken.');
      if (options.maxUsers !== undefined && seats() >= options.maxUsers)
        return problem(
          409,
          'quota_exceeded',
          `The tenant's licence allows ${options.maxUsers} users (active and invited) and all seats are taken.`,
        );
      const customer = role === 'CUSTOMER_ADMIN' ? ACME : (body.customer_id as string | undefined);
      if (isClient(body.role) && !customer)
        return problem(422, 'validation_failed', 'The user is invalid.', [
          { field: '/customer_id', message: 'is required for CLIENT and CUSTOMER_ADMIN users' },
        ]);
      const user = userOf({
        id: `0190f1a2-0000-7000-8000-00000000n${dir.users.length}`,
        email: String(body.email),
        name: String(body.name),
        role: body.role,
        status: 'invited',
        customer_id: isClient(body.role) ? (customer ?? null) : null,
        hourly_rate: (body.hourly_rate as User['hourly_rate']) ?? null,
        last_login_at: null,
        mfa_enabled: false,
      });
      dir.users.push(user);
      return HttpResponse.json({ ...view(user), invite: invite() }, { status: 201 });
    }),
    http.put('*/api/users/:id', async ({ params, request }) => {
      const u = find(params.id);
      if (!u) return notFound();
      const body = (await request.json()) as Record<string, unknown>;
      dir.updates.push({ id: String(params.id), body });
      if (body.status === 'active' && u.status === 'inactive' && options.maxUsers !== undefined)
        if (seats() >= options.maxUsers)
          return problem(409, 'quota_exceeded', 'The licence is full.');
      const next: User = { ...u };
      if (typeof body.name === 'string') next.name = body.name;
      if (body.role) next.role = body.role as Role;
      if ('customer_id' in body) next.customer_id = body.customer_id as string | null;
      if ('hourly_rate' in body) next.hourly_rate = body.hourly_rate as User['hourly_rate'];
      if (body.status === 'inactive') next.status = 'inactive';
      if (body.status === 'active' && u.status === 'inactive') next.status = 'active';
      if (isClient(next.role) && !next.customer_id)
        return problem(422, 'validation_failed', 'The user is invalid.', [
          { field: '/customer_id', message: 'is required for CLIENT and CUSTOMER_ADMIN users' },
        ]);
      Object.assign(u, next);
      return HttpResponse.json(view(u));
    }),
    http.post('*/api/users/:id/invite', ({ params }) => {
      const u = find(params.id);
      if (!u) return notFound();
      dir.invites.push(String(params.id));
      if (u.status !== 'invited')
        return problem(409, 'conflict', 'The user is not waiting for an invitation.');
      return HttpResponse.json(invite(), { status: 201 });
    }),
    http.get('*/api/users/:id/expertise', ({ params }) =>
      find(params.id) ? HttpResponse.json(dir.expertise[String(params.id)] ?? []) : notFound(),
    ),
    http.put('*/api/users/:id/expertise', async ({ params, request }) => {
      if (!find(params.id)) return notFound();
      const body = (await request.json()) as Schemas['Expertise'][];
      dir.expertisePuts.push({ id: String(params.id), body });
      const bad = body.findIndex((e) => e.skill === 'bad skill');
      if (bad >= 0)
        return problem(422, 'validation_failed', 'The skills are invalid.', [
          { field: `/${bad}/skill`, message: 'must be 1-60 bytes without control characters' },
        ]);
      const stored = [...body].sort((a, b) => a.skill.localeCompare(b.skill));
      dir.expertise[String(params.id)] = stored;
      return HttpResponse.json(stored);
    }),
  );
  return dir;
}
