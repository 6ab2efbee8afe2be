// Server answers shaped like api/openapi.yaml's schemas.
import type { Schemas } from '@/lib/api';

type Status = Schemas['AuthStatus'];
type Role = Status['role'];

export const ACME = '0190f1a2-0000-7000-8000-000000000001';
export const TENANT = '0190f1a2-0000-7000-8000-000000000100';

export function sessionOf(role: Role, overrides: Partial<Status['user']> = {}): Status {
  const customer = role === 'CLIENT' || role === 'CUSTOMER_ADMIN';
  const permissions: Record<Role, string[]> = {
    ADMIN: ['documents.write', 'customers.read'],
    MANAGER: ['documents.write', 'customers.read', 'tickets.read.all'],
    EXPERT: ['customers.read', 'tickets.write'],
    CUSTOMER_ADMIN: ['documents.read.org', 'tickets.write'],
    CLIENT: ['documents.read.org', 'tickets.write'],
  };
  return {
    authenticated: true,
    role,
    permissions: permissions[role],
    mfa_enrolment_required: false,
    user: {
      id: '0190f1a2-0000-7000-8000-0000000000u1',
      tenant_id: TENANT,
      email: 'carl@acme.example',
      name: customer ? 'Carl Client' : 'Mia Manager',
      role,
      status: 'active',
      customer_id: customer ? ACME : null,
      locale: null,
      last_login_at: null,
      mfa_enabled: false,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      ...overrides,
    },
    tenant: {
      id: TENANT,
      slug: 'demo',
      name: 'Demo Service Desk',
      status: 'active',
      locale: 'en',
      branding: {
        product_name: 'Demo Desk',
        primary_color: '#2f9e44',
        accent_color: '#f59f00',
        logo_url: null,
      },
    },
  };
}

export function documentOf(overrides: Partial<Schemas['Document']> = {}): Schemas['Document'] {
  return {
    id: '0190f1a2-0000-7000-8000-0000000000d1',
    customer_id: ACME,
    user_id: null,
    title: 'Invoice 2026-10',
    filename: 'Invoice 2026-10.pdf',
    content_type: 'application/pdf',
    size: 48_200,
    sha256: 'a'.repeat(64),
    category: 'invoice',
    visibility: 'customer',
    uploaded_by: null,
    created_at: '2026-10-31T09:00:00Z',
    external_ref: null,
    ...overrides,
  };
}

export function page<T>(data: T[], total = data.length, limit = 25) {
  return {
    data,
    meta: { page: 1, limit, total, total_pages: Math.max(1, Math.ceil(total / limit)) },
    links: { self: '', next: null, prev: null },
  };
}

// The signed-in user of sessionOf (the author of "your" comments).
export const ME = '0190f1a2-0000-7000-8000-0000000000u1';
export const STAFF = '0190f1a2-0000-7000-8000-0000000000s1';

// A session whose tenant names some ticket statuses itself (tenant.status_labels).
export function withStatusLabels(session: Status, labels: Schemas['StatusLabels']): Status {
  return { ...session, tenant: { ...session.tenant!, status_labels: labels } };
}

export function ticketOf(overrides: Partial<Schemas['Ticket']> = {}): Schemas['Ticket'] {
  return {
    id: '0190f1a2-0000-7000-8000-0000000000t1',
    number: 1001,
    title: 'VPN drops every hour',
    description: 'Since Monday the VPN disconnects about once an hour.',
    status: 'in_progress',
    priority: 'high',
    category: null,
    tags: [],
    customer_id: ACME,
    requester_id: ME,
    requester_name: 'Carl Client',
    assigned_to: STAFF,
    assignee_name: 'Erik Expert',
    source: 'portal',
    sla_response_due: null,
    sla_resolution_due: null,
    sla_paused: false,
    sla_breached: false,
    first_response_at: null,
    resolved_at: null,
    closed_at: null,
    created_at: '2026-11-02T08:30:00Z',
    updated_at: '2026-11-03T14:00:00Z',
    deleted_at: null,
    version: 3,
    external_ref: null,
    ...overrides,
  };
}

export function commentOf(overrides: Partial<Schemas['Comment']> = {}): Schemas['Comment'] {
  return {
    id: '0190f1a2-0000-7000-8000-0000000000c1',
    ticket_id: '0190f1a2-0000-7000-8000-0000000000t1',
    author_id: STAFF,
    author_name: 'Erik Expert',
    body: 'We are looking into it.',
    visibility: 'public',
    created_at: '2026-11-02T09:00:00Z',
    ...overrides,
  };
}

export function historyOf(
  overrides: Partial<Schemas['HistoryEntry']> = {},
): Schemas['HistoryEntry'] {
  return {
    id: '0190f1a2-0000-7000-8000-0000000000h1',
    at: '2026-11-02T08:30:00Z',
    actor_id: ME,
    actor_name: 'Carl Client',
    action: 'created',
    field: null,
    old_value: null,
    new_value: 'new',
    visibility: 'public',
    ...overrides,
  };
}

export function attachmentOf(
  overrides: Partial<Schemas['Attachment']> = {},
): Schemas['Attachment'] {
  return {
    id: '0190f1a2-0000-7000-8000-0000000000a1',
    ticket_id: '0190f1a2-0000-7000-8000-0000000000t1',
    comment_id: null,
    filename: 'vpn-log.txt',
    content_type: 'text/plain',
    size: 12_288,
    sha256: 'b'.repeat(64),
    visibility: 'public',
    uploaded_by: ME,
    created_at: '2026-11-02T08:31:00Z',
    ...overrides,
  };
}
