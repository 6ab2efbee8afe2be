// The platform feature's server calls (TanStack Query keys under ['platform', …]): the tenants
// (GET/POST /api/tenants, GET/PUT /api/tenants/{id}), a tenant's seats in use (active and invited
// users, counted with GET /api/users?tenant_id=…&status=…) and its recent audit log
// (GET /api/audit?tenant_id=…), with the names of its users for the log's actors.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '@/lib/api';

export type Tenant = Schemas['Tenant'];
export type TenantCreate = Schemas['TenantCreate'];
export type TenantUpdate = Schemas['TenantUpdate'];
export type LicenceType = Tenant['licence_type'];
export type TenantStatus = Tenant['status'];

export const LICENCE_TYPES: LicenceType[] = ['trial', 'standard', 'enterprise'];
export const PAGE_SIZE = 25;

export type StatusFilter = 'all' | TenantStatus;
export const STATUS_FILTERS: StatusFilter[] = ['all', 'active', 'suspended'];

export interface TenantFilter {
  status: StatusFilter;
  search?: string;
  page: number;
}

const tenantKey = (id: string) => ['platform', 'tenant', id] as const;

export function useTenants(filter: TenantFilter) {
  return useQuery({
    queryKey: ['platform', 'tenants', filter],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants', {
          params: {
            query: {
              page: filter.page,
              limit: PAGE_SIZE,
              ...(filter.status !== 'all' ? { status: filter.status } : {}),
              ...(filter.search ? { search: filter.search } : {}),
            },
          },
        }),
      ),
  });
}

export function useTenant(id: string) {
  return useQuery({
    queryKey: tenantKey(id),
    queryFn: () => unwrap(api.GET('/api/tenants/{id}', { params: { path: { id } } })),
  });
}

export function useCreateTenant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TenantCreate) => unwrap(api.POST('/api/tenants', { body })),
    onSuccess: (tenant) => {
      client.setQueryData(tenantKey(tenant.id), tenant);
      return client.invalidateQueries({ queryKey: ['platform', 'tenants'] });
    },
  });
}

export function useUpdateTenant(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TenantUpdate) =>
      unwrap(api.PUT('/api/tenants/{id}', { params: { path: { id } }, body })),
    onSuccess: (tenant) => {
      client.setQueryData(tenantKey(id), tenant);
      return Promise.all([
        client.invalidateQueries({ queryKey: ['platform', 'tenants'] }),
        client.invalidateQueries({ queryKey: [...tenantKey(id), 'audit'] }),
      ]);
    },
  });
}

// Seats as the licence counts them (max_users): active and invited users.
export function useSeats(id: string) {
  return useQuery({
    queryKey: [...tenantKey(id), 'seats'],
    queryFn: async () => {
      const count = async (status: 'active' | 'invited') =>
        (
          await unwrap(
            api.GET('/api/users', { params: { query: { tenant_id: id, status, limit: 1 } } }),
          )
        ).meta.total;
      const [active, invited] = await Promise.all([count('active'), count('invited')]);
      return { active, invited, total: active + invited };
    },
  });
}

export const RECENT_ACTIVITY = 10;

export function useTenantActivity(id: string) {
  return useQuery({
    queryKey: [...tenantKey(id), 'audit'],
    queryFn: () =>
      unwrap(
        api.GET('/api/audit', {
          params: { query: { tenant_id: id, limit: RECENT_ACTIVITY, page: 1 } },
        }),
      ),
  });
}

// The names of the tenant's users (the first hundred, by name), for the activity's actors.
export function useTenantPeople(id: string) {
  return useQuery({
    queryKey: [...tenantKey(id), 'people'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const users = await unwrap(
        api.GET('/api/users', { params: { query: { tenant_id: id, limit: 100 } } }),
      );
      return new Map(users.data.map((u) => [u.id, u.name]));
    },
  });
}
