// The admin API at the network edge for the screen tests: one in-memory tenant (settings with
// branding, the default and customers' SLA policies with versions, the audit log, customers and
// users) answering as the server does for its MANAGER, and remembering what it was asked.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import { ACME, ME, page, sessionOf, TENANT } from '@/test/fixtures';
import { server } from '@/test/server';

type Settings = Schemas['TenantSettings'];
type Policy = Schemas['SlaPolicy'];
type Session = Schemas['AuthStatus'];

export const INITECH = '0190f1a2-0000-7000-8000-000000000002';
export const ERIK = '0190f1a2-0000-7000-8000-0000000000e1';

export function settingsOf(overrides: Partial<Settings> = {}): Settings {
  return {
    locale: 'en',
    time_zone: 'Europe/Berlin',
    case_rate_limit_per_hour: 20,
    self_registration: true,
    // Keys in the server's order (nlohmann::json sorts them).
    registration_domains: [{ customer_id: ACME, domain: 'acme.example' }],
    mfa_required_for_staff: false,
    experts_see_all_tickets: false,
    auto_assign: false,
    features: { beta_reports: true, time_tracking: false },
    status_labels: { waiting_customer: 'Your turn' },
    branding: {
      product_name: 'Demo Desk',
      primary_color: '#2f9e44',
      accent_color: '#f59f00',
      logo_url: null,
    },
    uploads: { max_file_bytes: 25 * 1024 * 1024, blocked_types: ['application/x-dosexec'] },
    ...overrides,
  };
}

const office = () => ({
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

export function policyOf(overrides: Partial<Policy> = {}): Policy {
  return {
    customer_id: null,
    name: 'Standard support',
    business_hours: office(),
    targets: {
      low: { response_minutes: 960, resolution_minutes: 4800 },
      medium: { response_minutes: 480, resolution_minutes: 2400 },
      high: { response_minutes: 240, resolution_minutes: 960 },
      critical: { response_minutes: 60, resolution_minutes: 240 },
    },
    source: 'tenant',
    version: 3,
    updated_at: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

export function customerOf(overrides: Partial<Schemas['Customer']> = {}): Schemas['Customer'] {
  return {
    id: ACME,
    name: 'Acme Corporation',
    domain: 'acme.example',
    contact_email: null,
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

// The contract types `details` as an object without properties (Record<string, never>).
export const details = (d: Record<string, unknown>) =>
  d as unknown as Schemas['AuditEntry']['details'];

export function auditOf(overrides: Partial<Schemas['AuditEntry']> = {}): Schemas['AuditEntry'] {
  return {
    id: 'a1',
    at: '2026-11-20T09:30:00Z',
    actor_id: ME,
    actor_name: 'Mia Manager',
    action: 'user.role_changed',
    subject: ERIK,
    ip: '192.0.2.10',
    request_id: 'req-777',
    details: details({ from: 'EXPERT', to: 'MANAGER' }),
    ...overrides,
  };
}

export interface Tenant {
  settings: Settings;
  session: Session;
  policy: Policy | null; // the stored default; null → the built-in one
  customerPolicies: Record<string, Policy>;
  audit: Schemas['AuditEntry'][];
  settingsPuts: unknown[];
  slaPuts: { customer: string | null; body: unknown; ifMatch: string | null }[];
  slaDeletes: string[];
  auditQueries: URLSearchParams[];
  sessionFetches: number;
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

const etag = (v: number) => `"${v}"`;

export function tenantOf(
  options: {
    settings?: Settings;
    policy?: Policy | null;
    customerPolicies?: Record<string, Policy>;
    audit?: Schemas['AuditEntry'][];
    locale?: 'en' | 'de';
    role?: 'MANAGER' | 'EXPERT';
  } = {},
): Tenant {
  const state: Tenant = {
    settings: options.settings ?? settingsOf(),
    session: sessionOf(options.role ?? 'MANAGER', { locale: options.locale ?? null }),
    policy: options.policy === undefined ? policyOf() : options.policy,
    customerPolicies: options.customerPolicies ?? {},
    audit: options.audit ?? [
      auditOf(),
      auditOf({
        id: 'a2',
        at: '2026-11-19T07:00:00Z',
        actor_id: null,
        actor_name: null,
        action: 'auth.login_failed',
        subject: 'someone@example.com',
        ip: '198.51.100.4',
        request_id: 'req-778',
        details: details({ reason: 'bad_password' }),
      }),
      auditOf({
        id: 'a3',
        at: '2026-11-18T12:00:00Z',
        action: 'tenant.settings_changed',
        subject: TENANT,
        details: details({ keys: ['branding'] }),
      }),
    ],
    settingsPuts: [],
    slaPuts: [],
    slaDeletes: [],
    auditQueries: [],
    sessionFetches: 0,
  };
  const builtIn = (): Policy =>
    policyOf({ name: 'Office hours', source: 'built_in', version: 0, updated_at: null });
  const defaultPolicy = () => state.policy ?? builtIn();
  const customers = [customerOf(), customerOf({ id: INITECH, name: 'Initech', domain: null })];
  const users = [
    { id: ME, name: 'Mia Manager', email: 'manager@demo.example' },
    { id: ERIK, name: 'Erik Expert', email: 'erik@demo.example' },
  ].map((u) => ({
    ...u,
    tenant_id: TENANT,
    role: 'EXPERT' as const,
    status: 'active' as const,
    customer_id: null,
    locale: null,
    last_login_at: null,
    mfa_enabled: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  }));
  const checkPolicy = (body: Schemas['SlaPolicyInput']) => {
    const errors: { field: string; message: string }[] = [];
    if (body.name === 'Taken name') errors.push({ field: '/name', message: 'is not allowed here' });
    if (body.business_hours.time_zone === 'Mars/Olympus')
      errors.push({ field: '/business_hours/time_zone', message: 'is not a known time zone' });
    return errors;
  };

  server.use(
    http.get('*/api/auth/status', () => {
      state.sessionFetches += 1;
      return HttpResponse.json({
        ...state.session,
        tenant: {
          ...state.session.tenant!,
          branding: state.settings.branding,
          status_labels: state.settings.status_labels,
          features: state.settings.features,
        },
      });
    }),
    http.get('*/api/tenants/:id/settings', ({ params }) =>
      params.id === TENANT
        ? HttpResponse.json(state.settings)
        : problem(404, 'not_found', 'There is no such tenant.'),
    ),
    http.put('*/api/tenants/:id/settings', async ({ params, request }) => {
      if (params.id !== TENANT) return problem(404, 'not_found', 'There is no such tenant.');
      const patch = (await request.json()) as Record<string, unknown>;
      state.settingsPuts.push(patch);
      const errors: { field: string; message: string }[] = [];
      const branding = patch.branding as Record<string, unknown> | undefined;
      if (branding?.product_name === 'Forbidden')
        errors.push({ field: '/branding/product_name', message: 'is reserved' });
      if (patch.time_zone === 'Mars/Olympus')
        errors.push({ field: '/time_zone', message: 'is not a known time zone' });
      const domains = patch.registration_domains as { domain: string }[] | undefined;
      domains?.forEach((d, i) => {
        if (d.domain === 'taken.example')
          errors.push({
            field: `/registration_domains/${i}/customer_id`,
            message: 'no such customer',
          });
      });
      if (errors.length)
        return problem(422, 'validation_failed', 'The settings are invalid.', errors);
      const next: Settings = structuredClone(state.settings);
      for (const [key, value] of Object.entries(patch)) {
        if (['branding', 'features', 'status_labels', 'uploads'].includes(key)) {
          const target = next[key as 'features'] as Record<string, unknown>;
          for (const [k, v] of Object.entries(value as object)) {
            if (v === null && (key === 'features' || key === 'status_labels')) delete target[k];
            else target[k] = v;
          }
        } else {
          (next as unknown as Record<string, unknown>)[key] = value;
        }
      }
      state.settings = next;
      return HttpResponse.json(next);
    }),
    http.get('*/api/customers', () => HttpResponse.json(page(customers))),
    http.get('*/api/users', () => HttpResponse.json(page(users))),
    http.get('*/api/sla-policy', () => {
      const p = defaultPolicy();
      return HttpResponse.json(p, { headers: { ETag: etag(state.policy ? p.version : 0) } });
    }),
    http.put('*/api/sla-policy', async ({ request }) => {
      const body = (await request.json()) as Schemas['SlaPolicyInput'];
      const ifMatch = request.headers.get('If-Match');
      state.slaPuts.push({ customer: null, body, ifMatch });
      const current = state.policy?.version ?? 0;
      if (ifMatch && ifMatch !== etag(current))
        return problem(412, 'precondition_failed', 'The policy was changed meanwhile.');
      const errors = checkPolicy(body);
      if (errors.length)
        return problem(422, 'validation_failed', 'The SLA policy is invalid.', errors);
      state.policy = policyOf({
        ...body,
        name: body.name ?? 'Default',
        source: 'tenant',
        version: current + 1,
        updated_at: '2026-11-21T10:00:00Z',
      });
      return HttpResponse.json(state.policy, {
        status: current === 0 ? 201 : 200,
        headers: { ETag: etag(state.policy.version) },
      });
    }),
    http.get('*/api/customers/:id/sla-policy', ({ params }) => {
      const own = state.customerPolicies[String(params.id)];
      if (!customers.some((c) => c.id === params.id))
        return problem(404, 'not_found', 'There is no such customer.');
      const p = own ?? defaultPolicy();
      return HttpResponse.json(p, { headers: { ETag: etag(own ? own.version : 0) } });
    }),
    http.put('*/api/customers/:id/sla-policy', async ({ params, request }) => {
      const id = String(params.id);
      const body = (await request.json()) as Schemas['SlaPolicyInput'];
      const ifMatch = request.headers.get('If-Match');
      state.slaPuts.push({ customer: id, body, ifMatch });
      const current = state.customerPolicies[id]?.version ?? 0;
      if (ifMatch && ifMatch !== etag(current))
        return problem(412, 'precondition_failed', 'The policy was changed meanwhile.');
      const errors = checkPolicy(body);
      if (errors.length)
        return problem(422, 'validation_failed', 'The SLA policy is invalid.', errors);
      const p = policyOf({
        ...body,
        name: body.name ?? 'Customer policy',
        customer_id: id,
        source: 'customer',
        version: current + 1,
        updated_at: '2026-11-21T10:00:00Z',
      });
      state.customerPolicies[id] = p;
      return HttpResponse.json(p, {
        status: current === 0 ? 201 : 200,
        headers: { ETag: etag(p.version) },
      });
    }),
    http.delete('*/api/customers/:id/sla-policy', ({ params }) => {
      const id = String(params.id);
      state.slaDeletes.push(id);
      if (!state.customerPolicies[id])
        return problem(404, 'not_found', 'The customer has no policy of its own.');
      delete state.customerPolicies[id];
      return new HttpResponse(null, { status: 204 });
    }),
    http.get('*/api/audit', ({ request }) => {
      const q = new URL(request.url).searchParams;
      state.auditQueries.push(q);
      let list = state.audit;
      const action = q.get('action');
      if (action)
        list = list.filter((e) =>
          action.endsWith('.') ? e.action.startsWith(action) : e.action === action,
        );
      const actor = q.get('actor_id');
      if (actor) list = list.filter((e) => e.actor_id === actor);
      const from = q.get('from');
      if (from) list = list.filter((e) => e.at >= from);
      const to = q.get('to');
      if (to) list = list.filter((e) => e.at < to);
      return HttpResponse.json(page(list, list.length, Number(q.get('limit') ?? 25)));
    }),
  );
  return state;
}
