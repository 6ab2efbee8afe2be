// The admin feature's server calls (TanStack Query keys under ['admin', …]): the tenant's settings
// (branding included), SLA policies (the default and customers' own, with ETag / If-Match), the
// audit log, and the customers and users those screens name.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SESSION_KEY } from '@/features/auth/session';
import { allCustomers, allUsers, api, type Schemas, unwrap } from '@/lib/api';

export type TenantSettings = Schemas['TenantSettings'];
export type SettingsPatch = Schemas['TenantSettingsPatch'];
export type SlaPolicy = Schemas['SlaPolicy'];
export type SlaPolicyInput = Schemas['SlaPolicyInput'];
export type AuditEntry = Schemas['AuditEntry'];
export type Priority = Schemas['TicketPriority'];
export type TicketStatus = Schemas['TicketStatus'];

export const PRIORITIES: Priority[] = ['critical', 'high', 'medium', 'low'];
export const STATUSES: TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
];

// ---- settings ----

const settingsKey = (tenant: string) => ['admin', 'settings', tenant] as const;

export function useSettings(tenant: string) {
  return useQuery({
    queryKey: settingsKey(tenant),
    queryFn: () =>
      unwrap(api.GET('/api/tenants/{id}/settings', { params: { path: { id: tenant } } })),
  });
}

// A partial change: only the keys given change (branding, features, status_labels and uploads
// merge one level deep). The session carries branding, labels and flags, so it is fetched again:
// the whole app follows at once.
export function useSaveSettings(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) =>
      unwrap(
        api.PUT('/api/tenants/{id}/settings', { params: { path: { id: tenant } }, body: patch }),
      ),
    onSuccess: (settings) => {
      client.setQueryData(settingsKey(tenant), settings);
      return client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
}

// ---- SLA policies ----

export interface Versioned {
  policy: SlaPolicy;
  // The scope's own stored version for If-Match; "0" while it has none of its own.
  etag: string;
}

// The policy and its ETag (openapi-fetch hands back the response for the header).
async function versioned(
  request: Promise<{ data?: SlaPolicy; error?: unknown; response: Response }>,
): Promise<Versioned> {
  let etag = '"0"';
  const policy = await unwrap(
    request.then((r) => {
      etag = r.response.headers.get('ETag') ?? '"0"';
      return r;
    }),
  );
  return { policy, etag };
}

const slaKey = (customer: string | null) => ['admin', 'sla', customer ?? 'default'] as const;

export function useSlaPolicy(customer: string | null) {
  return useQuery({
    queryKey: slaKey(customer),
    queryFn: () =>
      customer
        ? versioned(
            api.GET('/api/customers/{id}/sla-policy', { params: { path: { id: customer } } }),
          )
        : versioned(api.GET('/api/sla-policy')),
  });
}

export function useSaveSlaPolicy(customer: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, etag }: { input: SlaPolicyInput; etag: string }) =>
      customer
        ? versioned(
            api.PUT('/api/customers/{id}/sla-policy', {
              params: { path: { id: customer }, header: { 'If-Match': etag } },
              body: input,
            }),
          )
        : versioned(
            api.PUT('/api/sla-policy', { params: { header: { 'If-Match': etag } }, body: input }),
          ),
    onSuccess: (saved) => {
      client.setQueryData(slaKey(customer), saved);
      // Customers without a policy of their own inherit the default.
      if (!customer) return client.invalidateQueries({ queryKey: ['admin', 'sla'] });
    },
  });
}

export function useDeleteSlaPolicy(customer: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE('/api/customers/{id}/sla-policy', { params: { path: { id: customer } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: slaKey(customer) }),
  });
}

// ---- people and organisations the screens name ----

export function useCustomers() {
  return useQuery({
    queryKey: ['admin', 'customers'],
    staleTime: 5 * 60_000,
    queryFn: allCustomers,
  });
}

export function usePeople() {
  return useQuery({
    queryKey: ['admin', 'people'],
    staleTime: 5 * 60_000,
    queryFn: allUsers,
  });
}

// ---- audit log ----

export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: string; // RFC 3339, inclusive
  to?: string; // RFC 3339, exclusive
  page: number;
}
export const AUDIT_PAGE_SIZE = 50;

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: ['admin', 'audit', filter],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/audit', {
          params: {
            query: {
              page: filter.page,
              limit: AUDIT_PAGE_SIZE,
              ...(filter.action ? { action: filter.action } : {}),
              ...(filter.actor ? { actor_id: filter.actor } : {}),
              ...(filter.from ? { from: filter.from } : {}),
              ...(filter.to ? { to: filter.to } : {}),
            },
          },
        }),
      ),
  });
}
