// The cases feature's server calls (TanStack Query keys under ['cases', …]): a customer's tickets
// (GET /api/tickets, scoped by the server: CLIENT their own, CUSTOMER_ADMIN their organisation's),
// one ticket with its public conversation, attachments and history, replies, opening a case and
// the two status changes a customer may make (close; reopen a resolved one).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '@/lib/api';
import { ticketAttachments, ticketComments, ticketHistory } from '@/lib/tickets';

export type Ticket = Schemas['Ticket'];
export type TicketStatus = Schemas['TicketStatus'];
export type TicketPriority = Schemas['TicketPriority'];
export type Comment = Schemas['Comment'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type Attachment = Schemas['Attachment'];

export const STATUSES: TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
];
export const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'critical'];

// The list's status filter and the `status` query parameter it becomes (comma-separated, any of).
export type StatusFilter = 'open' | 'resolved' | 'closed' | 'all';
export const STATUS_FILTERS: StatusFilter[] = ['open', 'resolved', 'closed', 'all'];
export const STATUS_QUERY: Record<StatusFilter, string | undefined> = {
  open: 'new,assigned,in_progress,waiting_customer',
  resolved: 'resolved',
  closed: 'closed',
  all: undefined,
};

export const PAGE_SIZE = 25;

export interface CaseFilter {
  status: StatusFilter;
  search?: string;
  page: number;
}

const caseKey = (id: string) => ['cases', 'one', id] as const;

export function useCases(filter: CaseFilter) {
  const status = STATUS_QUERY[filter.status];
  return useQuery({
    queryKey: ['cases', 'list', filter],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/tickets', {
          params: {
            query: {
              page: filter.page,
              limit: PAGE_SIZE,
              sort: 'updated_at',
              order: 'desc',
              ...(status ? { status } : {}),
              ...(filter.search ? { search: filter.search } : {}),
            },
          },
        }),
      ),
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: () => unwrap(api.GET('/api/tickets/{id}', { params: { path: { id } } })),
  });
}

// Every page of a ticket's sub-list (oldest first), up to a sane bound: a conversation reads top to
// bottom, so it is shown whole rather than paged.
export function useComments(id: string) {
  return useQuery({
    queryKey: [...caseKey(id), 'comments'],
    queryFn: () => ticketComments(id),
  });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: [...caseKey(id), 'history'],
    queryFn: () => ticketHistory(id),
  });
}

export function useAttachments(id: string) {
  return useQuery({
    queryKey: [...caseKey(id), 'attachments'],
    queryFn: () => ticketAttachments(id),
  });
}

export { downloadAttachment, type UploadOutcome, uploadAttachments } from '@/lib/tickets';

export interface NewCase {
  title: string;
  description?: string;
  priority: TicketPriority;
  category?: string;
}

// Opens a case. The Idempotency-Key makes a repeated submit (a double click, a retry after a lost
// answer) return the first case instead of opening a second one.
export function useCreateCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: NewCase; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/tickets', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: input,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['cases', 'list'] }),
  });
}

export function useAddComment(id: string) {
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST('/api/tickets/{id}/comments', {
          params: { path: { id } },
          body: { body, visibility: 'public' },
        }),
      ),
  });
}

// What a customer may set (docs/domain/tickets.md): `closed` from any open status, `in_progress`
// from `resolved` (reopen).
export function useSetCaseStatus(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (status: 'closed' | 'in_progress') =>
      unwrap(api.PATCH('/api/tickets/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: (ticket) => {
      client.setQueryData(caseKey(id), ticket);
      return Promise.all([
        client.invalidateQueries({ queryKey: [...caseKey(id), 'history'] }),
        client.invalidateQueries({ queryKey: ['cases', 'list'] }),
      ]);
    },
  });
}

// After a reply (and its files): the ticket (its status may move), its sub-lists and the list.
export function useRefreshCase(id: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: caseKey(id) }),
      client.invalidateQueries({ queryKey: ['cases', 'list'] }),
    ]);
}
