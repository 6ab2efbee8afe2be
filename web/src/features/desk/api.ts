// The desk feature's server calls (TanStack Query keys under ['desk', …]): the queue (GET
// /api/tickets with the saved filters, sort and paging), one ticket with its whole conversation
// (internal notes included), attachments and history, the tenant's customers and staff (to name
// them), and every change to a ticket — always with If-Match, so nobody overwrites a change they
// have not seen (412 when the ticket moved on; docs/domain/tickets.md for the workflow).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '@/api/schema';
import { allCustomers, allUsers, api, ApiError, type Schemas, unwrap } from '@/lib/api';
import { ticketAttachments, ticketComments, ticketHistory } from '@/lib/tickets';

export type Ticket = Schemas['Ticket'];
export type TicketStatus = Schemas['TicketStatus'];
export type TicketPriority = Schemas['TicketPriority'];
export type TicketPatch = Schemas['TicketPatch'];
export type Comment = Schemas['Comment'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type Attachment = Schemas['Attachment'];
export type Customer = Schemas['Customer'];
export type User = Schemas['User'];
export type Visibility = 'public' | 'internal';

export const STATUSES: TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
];
export const OPEN_STATUSES: TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer'];
export const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'critical'];

export const isOpen = (s: TicketStatus) => OPEN_STATUSES.includes(s);

// The workflow as staff may walk it (server/src/kontor/tickets/status.cpp, kTransitions): any open
// status to any other status; a resolved ticket reopens (in_progress) or closes; closed is final.
// `assigned` needs an assignee.
export function staffTransitions(from: TicketStatus, hasAssignee: boolean): TicketStatus[] {
  let to: TicketStatus[];
  if (isOpen(from)) to = STATUSES.filter((s) => s !== from);
  else if (from === 'resolved') to = ['in_progress', 'closed'];
  else to = [];
  return hasAssignee ? to : to.filter((s) => s !== 'assigned');
}

export const etag = (t: Pick<Ticket, 'version'>) => `"${t.version}"`;

// Answers that mean "the ticket is not as you saw it": 412 (If-Match) or 409 (state conflict).
export const isConflict = (e: unknown) =>
  e instanceof ApiError && (e.status === 409 || e.status === 412);

// ---- the queue ----------------------------------------------------------------------------

export type View = 'mine' | 'unassigned' | 'breached' | 'all';
export const VIEWS: View[] = ['mine', 'unassigned', 'breached', 'all'];
// "open" = every open status (the default), "any" = no status filter, else one status.
export type StatusChoice = 'open' | 'any' | TicketStatus;
export const STATUS_CHOICES: StatusChoice[] = ['open', ...STATUSES, 'any'];
export type SortKey = 'number' | 'priority' | 'sla_resolution_due' | 'updated_at';
export const SORT_KEYS: SortKey[] = ['number', 'priority', 'sla_resolution_due', 'updated_at'];
export type Order = 'asc' | 'desc';
// The direction a column sorts in when first chosen: the most urgent or the newest first.
export const FIRST_ORDER: Record<SortKey, Order> = {
  number: 'desc',
  priority: 'desc',
  sla_resolution_due: 'asc',
  updated_at: 'desc',
};
export const DEFAULT_SORT: SortKey = 'sla_resolution_due';

export const PAGE_SIZE = 25;

export interface QueueFilter {
  view: View;
  status: StatusChoice;
  priority?: TicketPriority;
  customer?: string;
  search?: string;
  sort: SortKey;
  order: Order;
  page: number;
}

// The query string of GET /api/tickets for a queue filter.
type TicketQuery = NonNullable<paths['/api/tickets']['get']['parameters']['query']>;
export function queueQuery(f: QueueFilter): TicketQuery {
  const q: TicketQuery = {
    page: f.page,
    limit: PAGE_SIZE,
    sort: f.sort,
    order: f.order,
  };
  if (f.view === 'mine') q.assigned_to = 'me';
  if (f.view === 'unassigned') q.assigned_to = 'none';
  if (f.view === 'breached') q.sla_breached = 'true';
  if (f.status === 'open') q.status = OPEN_STATUSES.join(',');
  else if (f.status !== 'any') q.status = f.status;
  if (f.priority) q.priority = f.priority;
  if (f.customer) q.customer_id = f.customer;
  if (f.search) q.search = f.search;
  return q;
}

export function useQueue(filter: QueueFilter) {
  return useQuery({
    queryKey: ['desk', 'tickets', 'queue', filter],
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/api/tickets', { params: { query: queueQuery(filter) } })),
  });
}

// One customer's tickets (the customer page).
export function useCustomerTickets(customerId: string, status: StatusChoice, page: number) {
  return useQuery({
    queryKey: ['desk', 'tickets', 'customer', customerId, status, page],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/tickets', {
          params: {
            query: {
              customer_id: customerId,
              page,
              limit: PAGE_SIZE,
              sort: 'updated_at',
              order: 'desc',
              ...(status === 'open'
                ? { status: OPEN_STATUSES.join(',') }
                : status === 'any'
                  ? {}
                  : { status }),
            },
          },
        }),
      ),
  });
}

// ---- directories: customers and people, to name ids ----------------------------------------

// Every customer of the tenant (up to 1,000), by id: the queue names them.
export function useCustomerNames() {
  return useQuery({
    queryKey: ['desk', 'customers', 'all'],
    staleTime: 5 * 60_000,
    queryFn: async () => new Map((await allCustomers()).map((c) => [c.id, c])),
  });
}

// The people the caller may list, by id: an EXPERT gets the tenant's staff, a MANAGER every user
// of the tenant (so requesters get names too).
export function usePeople() {
  return useQuery({
    queryKey: ['desk', 'people'],
    staleTime: 5 * 60_000,
    queryFn: async () => new Map((await allUsers()).map((u) => [u.id, u])),
  });
}

// Who may be assigned: the active EXPERT and MANAGER users, by name.
export function staffOf(people: Map<string, User> | undefined): User[] {
  return [...(people?.values() ?? [])]
    .filter((u) => (u.role === 'EXPERT' || u.role === 'MANAGER') && u.status === 'active')
    .sort((a, b) => a.name.localeCompare(b.name));
}

// ---- customers ------------------------------------------------------------------------------

export function useCustomerList(search: string, page: number) {
  return useQuery({
    queryKey: ['desk', 'customers', 'list', search, page],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/customers', {
          params: {
            query: {
              page,
              limit: PAGE_SIZE,
              sort: 'name',
              order: 'asc',
              ...(search ? { search } : {}),
            },
          },
        }),
      ),
  });
}

export function useCustomer(id: string, enabled = true) {
  return useQuery({
    queryKey: ['desk', 'customers', 'one', id],
    enabled: enabled && !!id,
    queryFn: () => unwrap(api.GET('/api/customers/{id}', { params: { path: { id } } })),
  });
}

// ---- one ticket -----------------------------------------------------------------------------

export const ticketKey = (id: string) => ['desk', 'ticket', id] as const;

export function useTicket(id: string) {
  return useQuery({
    queryKey: ticketKey(id),
    queryFn: () => unwrap(api.GET('/api/tickets/{id}', { params: { path: { id } } })),
  });
}

// A ticket's sub-lists are shown whole (oldest first), up to 1,000 entries.
export function useComments(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'comments'],
    queryFn: () => ticketComments(id),
  });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'history'],
    queryFn: () => ticketHistory(id),
  });
}

export function useAttachments(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'attachments'],
    queryFn: () => ticketAttachments(id),
  });
}

// One change to one ticket, applied only to the version the caller saw.
export function patchTicket(ticket: Pick<Ticket, 'id' | 'version'>, change: TicketPatch) {
  return unwrap(
    api.PATCH('/api/tickets/{id}', {
      params: { path: { id: ticket.id }, header: { 'If-Match': etag(ticket) } },
      body: change,
    }),
  );
}

// After any change: the ticket and its sub-lists, and every list that may show it.
export function useRefreshTicket(id: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ticketKey(id) }),
      client.invalidateQueries({ queryKey: ['desk', 'tickets'] }),
    ]);
}

// A change to the ticket as the caller saw it (its version goes along as If-Match).
export function usePatchTicket(id: string) {
  const client = useQueryClient();
  const refresh = useRefreshTicket(id);
  return useMutation({
    mutationFn: ({ version, change }: { version: number; change: TicketPatch }) =>
      patchTicket({ id, version }, change),
    onSuccess: (updated) => {
      client.setQueryData(ticketKey(id), updated);
      return Promise.all([
        client.invalidateQueries({ queryKey: [...ticketKey(id), 'history'] }),
        client.invalidateQueries({ queryKey: ['desk', 'tickets'] }),
      ]);
    },
    // Refused (moved on meanwhile, or not allowed from where it stands): show where it is now.
    onError: () => refresh(),
  });
}

export function useAddComment(id: string) {
  return useMutation({
    mutationFn: ({ body, visibility }: { body: string; visibility: Visibility }) =>
      unwrap(
        api.POST('/api/tickets/{id}/comments', {
          params: { path: { id } },
          body: { body, visibility },
        }),
      ),
  });
}

export { downloadAttachment, type UploadOutcome, uploadAttachments } from '@/lib/tickets';

// ---- bulk changes ---------------------------------------------------------------------------

export interface BulkOutcome {
  updated: Ticket[];
  conflicts: Ticket[]; // changed meanwhile (409/412): left alone
  failed: { ticket: Ticket; error: unknown }[];
}

// One PATCH per ticket, each with its own If-Match; the outcome of each comes back.
export async function bulkPatch(tickets: Ticket[], change: TicketPatch): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { updated: [], conflicts: [], failed: [] };
  for (const t of tickets) {
    try {
      outcome.updated.push(await patchTicket(t, change));
    } catch (error) {
      if (isConflict(error)) outcome.conflicts.push(t);
      else outcome.failed.push({ ticket: t, error });
    }
  }
  return outcome;
}
