// The users feature's server calls (TanStack Query keys under ['users', …]): the users a manager
// (their tenant's) or a customer admin (their organisation's) may see, invitations, changes and
// an expert's skills. Which users and fields are in reach is the server's decision
// (docs/domain/permissions.md); these hooks only ask.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { allCustomers, api, type Schemas, unwrap } from '@/lib/api';

export type User = Schemas['User'];
export type Role = Schemas['Role'];
export type UserStatus = Schemas['UserStatus'];
export type HourlyRate = Schemas['HourlyRate'];
export type Expertise = Schemas['Expertise'];
export type Invite = Schemas['Invite'];
export type UserUpdate = Schemas['UserUpdate'];
export type UserCreate = Schemas['UserCreate'];

// Whose users a screen manages: a manager their tenant's, a customer admin their organisation's.
export type Scope = 'tenant' | 'org';

// The roles each may give (a manager never ADMIN; a customer admin only the two customer roles).
export const ROLES_FOR: Record<Scope, Role[]> = {
  tenant: ['MANAGER', 'EXPERT', 'CUSTOMER_ADMIN', 'CLIENT'],
  org: ['CUSTOMER_ADMIN', 'CLIENT'],
};
export const STATUSES: UserStatus[] = ['active', 'invited', 'inactive'];
export const PAGE_SIZE = 25;

export const isClientRole = (role: Role) => role === 'CLIENT' || role === 'CUSTOMER_ADMIN';
export const hasRate = (role: Role) => role === 'EXPERT' || role === 'MANAGER';

export interface UserFilter {
  search?: string;
  role?: Role;
  status?: UserStatus;
  page: number;
}

const LIST = ['users', 'list'] as const;

export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: [...LIST, filter],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/users', {
          params: {
            query: {
              page: filter.page,
              limit: PAGE_SIZE,
              ...(filter.search ? { search: filter.search } : {}),
              ...(filter.role ? { role: filter.role } : {}),
              ...(filter.status ? { status: filter.status } : {}),
            },
          },
        }),
      ),
  });
}

// Every customer organisation of the tenant (for the organisation picker and the list's
// organisation column), up to a sane bound.
export function useCustomers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'customers'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: allCustomers,
  });
}

// Creates a user without a password: the answer carries the invitation (shown only once, so it
// never goes into the query cache).
export function useInviteUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST('/api/users', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: LIST }),
  });
}

export function useReinvite() {
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/users/{id}/invite', { params: { path: { id } } })),
  });
}

// A partial change (absent fields stay, null clears). The API has no versions for users: the
// server applies only what differs from the stored user.
export function useUpdateUser(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserUpdate) =>
      unwrap(api.PUT('/api/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: LIST }),
  });
}

const expertiseKey = (id: string) => ['users', 'expertise', id] as const;

export function useExpertise(id: string, enabled: boolean) {
  return useQuery({
    queryKey: expertiseKey(id),
    enabled,
    queryFn: () => unwrap(api.GET('/api/users/{id}/expertise', { params: { path: { id } } })),
  });
}

export function useSetExpertise(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (list: Expertise[]) =>
      unwrap(api.PUT('/api/users/{id}/expertise', { params: { path: { id } }, body: list })),
    onSuccess: (stored) => client.setQueryData(expertiseKey(id), stored),
  });
}

// The address a new user opens to set their password.
export function invitationLink(token: string) {
  return `${window.location.origin}/register?invite=${encodeURIComponent(token)}`;
}
