// The tenants API at the network edge for the screen tests: an in-memory platform (tenants, their
// users' seat counts, their audit logs) answering as the server does for a platform ADMIN
// (server/src/kontor/api/tenant_routes.cpp, tenancy/tenant_service.cpp), and a record of what it
// was asked.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import { sessionOf } from '@/test/fixtures';
import { server } from '@/test/server';

type Tenant = Schemas['Tenant'];
type Role = Schemas['AuthStatus']['role'];

export const ADMIN_ID = '0190f1a2-0000-7000-8000-0000000000u1';

const SETTINGS: Tenant['settings'] = {
  locale: 'en',
  time_zone: 'UTC',
  case_rate_limit_per_hour: 10,
  self_registration: false,
  registration_domains: [],
  mfa_required_for_staff: false,
  experts_see_all_tickets: false,
  auto_assign: true,
  features: {},
  status_labels: {},
  branding: {
    product_name: 'Kontor',
    primary_color: '#1c7ed6',
    accent_color: '#f59f00',
    logo_url: null,
  },
  uploads: { max_file_bytes: 26_214_400, blocked_types: [] },
};

export function tenantOf(overrides: Partial<Tenant> = {}): Tenant {
  return {
    id: '0190f1a2-0000-7000-8000-000000000100',
    slug: 'demo',
    name: 'Demo Service Desk',
    status: 'active',
    email: null,
    domain: null,
    licence_type: 'standard',
    max_users: null,
    storage_quota_bytes: null,
    settings: SETTINGS,
    created_at: '2026-01-05T09:00:00Z',
    updated_at: '2026-01-05T09:00:00Z',
    ...overrides,
  };
}

export const NORDWIND = tenantOf({
  id: '0190f1a2-0000-7000-8000-000000000200',
  slug: 'nordwind',
  name: 'Nordwind IT',
  status: 'suspended',
  email: 'ops@nordwind.example',
  domain: 'nordwind.example',
  licence_type: 'enterprise',
  max_users: 50,
  storage_quota_bytes: 10 * 1024 ** 3,
  settings: { ...SETTINGS, locale: 'de', time_zone: 'Europe/Berlin', self_registration: true },
  created_at: '2026-03-01T09:00:00Z',
  updated_at: '2026-03-01T09:00:00Z',
});

export interface Platform {
  tenants: Tenant[];
  listQueries: URLSearchParams[];
  created: unknown[];
  updates: { id: string; body: Record<string, unknown> }[];
  auditQueries: URLSearchParams[];
  seats: Record<string, { active: number; invited: number }>;
  audit: Record<string, Schemas['AuditEntry'][]>;
  // The next create or change is refused with this field error (rules the page cannot check).
  reject?: { field: string; message: string };
}

const problem = (status: number, code: string, detail: string, extra: object = {}) =>
  HttpResponse.json(
    {
      type: `https://kontor.dev/problems/${code}`,
      title: code,
      status,
      code,
      detail,
      request_id: 'rid-5',
      ...extra,
    },
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );

const SLUG = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

export function platformOf(
  options: { role?: Role; tenants?: Tenant[]; lang?: 'de' } = {},
): Platform {
  const platform: Platform = {
    tenants: options.tenants ?? [tenantOf(), NORDWIND],
    listQueries: [],
    created: [],
    updates: [],
    auditQueries: [],
    seats: {},
    audit: {},
  };
  const session = {
    ...sessionOf(options.role ?? 'ADMIN', options.lang ? { locale: options.lang } : {}),
    ...(options.role && options.role !== 'ADMIN' ? {} : { tenant: null }),
  };
  const find = (id: unknown) => platform.tenants.find((t) => t.id === id);
  const notFound = () => problem(404, 'not_found', 'There is no such tenant.');
  let next = 0;
  server.use(
    http.get('*/api/auth/status', () => HttpResponse.json(session)),
    http.get('*/api/tenants', ({ request }) => {
      const q = new URL(request.url).searchParams;
      platform.listQueries.push(q);
      let list = [...platform.tenants].sort((a, b) => a.name.localeCompare(b.name));
      const status = q.get('status');
      if (status) list = list.filter((t) => t.status === status);
      const search = q.get('search')?.toLowerCase();
      if (search)
        list = list.filter((t) => t.name.toLowerCase().includes(search) || t.slug.includes(search));
      const limit = Number(q.get('limit') ?? 25);
      const page = Number(q.get('page') ?? 1);
      return HttpResponse.json({
        data: list.slice((page - 1) * limit, page * limit),
        meta: {
          page,
          limit,
          total: list.length,
          total_pages: Math.max(1, Math.ceil(list.length / limit)),
        },
        links: { self: '', next: null, prev: null },
      });
    }),
    http.post('*/api/tenants', async ({ request }) => {
      const body = (await request.json()) as Schemas['TenantCreate'];
      platform.created.push(body);
      if (platform.reject) {
        const errors = [platform.reject];
        platform.reject = undefined;
        return problem(422, 'validation_failed', 'The tenant is invalid.', { errors });
      }
      if (body.slug && !SLUG.test(body.slug))
        return problem(422, 'validation_failed', 'The tenant is invalid.', {
          errors: [{ field: '/slug', message: "must be 2-63 characters of a-z, 0-9 and '-'" }],
        });
      if (platform.tenants.some((t) => t.slug === body.slug))
        return problem(409, 'conflict', `A tenant with slug '${body.slug}' exists.`);
      next += 1;
      const tenant = tenantOf({
        id: `0190f1a2-0000-7000-8000-00000000090${next}`,
        name: body.name,
        slug: body.slug!,
        email: body.email ?? null,
        domain: body.domain ?? null,
        licence_type: body.licence_type ?? 'standard',
        max_users: body.max_users ?? null,
        storage_quota_bytes: body.storage_quota_bytes ?? null,
        settings: { ...SETTINGS, ...(body.settings as object) },
        created_at: '2026-11-20T10:00:00Z',
        updated_at: '2026-11-20T10:00:00Z',
      });
      platform.tenants.push(tenant);
      return HttpResponse.json(tenant, {
        status: 201,
        headers: { Location: `/api/tenants/${tenant.id}` },
      });
    }),
    http.get('*/api/tenants/:id', ({ params }) => {
      const t = find(params.id);
      return t ? HttpResponse.json(t) : notFound();
    }),
    http.put('*/api/tenants/:id', async ({ params, request }) => {
      const t = find(params.id);
      if (!t) return notFound();
      const body = (await request.json()) as Record<string, unknown>;
      platform.updates.push({ id: t.id, body });
      if (
        typeof body.slug === 'string' &&
        platform.tenants.some((o) => o.id !== t.id && o.slug === body.slug)
      )
        return problem(409, 'conflict', `A tenant with slug '${String(body.slug)}' exists.`);
      const before = t.status;
      Object.assign(t, body, {
        updated_at: new Date(Date.parse(t.updated_at) + 60_000).toISOString(),
      });
      const log = (platform.audit[t.id] ??= []);
      log.unshift({
        id: `a${log.length + 1}`,
        at: t.updated_at,
        actor_id: ADMIN_ID,
        actor_name: session.user.name,
        action: 'tenant.updated',
        subject: t.id,
        details: { fields: Object.keys(body) } as unknown as Schemas['AuditEntry']['details'],
      });
      if (before !== t.status)
        log.unshift({
          id: `a${log.length + 1}`,
          at: t.updated_at,
          actor_id: ADMIN_ID,
          actor_name: session.user.name,
          action: t.status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
          subject: t.id,
          details: {},
        });
      return HttpResponse.json(t);
    }),
    http.get('*/api/users', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const id = q.get('tenant_id') ?? '';
      const seats = platform.seats[id] ?? { active: 0, invited: 0 };
      const status = q.get('status') as 'active' | 'invited' | null;
      const total = status ? seats[status] : seats.active + seats.invited;
      const people = status
        ? []
        : [{ ...sessionOf('MANAGER').user, id: 'mia', name: 'Mia Manager', tenant_id: id }];
      return HttpResponse.json({
        data: people,
        meta: { page: 1, limit: Number(q.get('limit') ?? 25), total, total_pages: 1 },
        links: { self: '', next: null, prev: null },
      });
    }),
    http.get('*/api/audit', ({ request }) => {
      const q = new URL(request.url).searchParams;
      platform.auditQueries.push(q);
      const entries = platform.audit[q.get('tenant_id') ?? ''] ?? [];
      return HttpResponse.json({
        data: entries.slice(0, Number(q.get('limit') ?? 25)),
        meta: { page: 1, limit: 10, total: entries.length, total_pages: 1 },
        links: { self: '', next: null, prev: null },
      });
    }),
  );
  return platform;
}
