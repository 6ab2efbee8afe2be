// What every ticket screen shares, in the portal and at the desk: the colours of statuses and
// priorities, a ticket's sub-lists, and its files — a signed download, and uploads one after the
// other with progress over all of them.
import type { Schemas } from '@/lib/api';
import { allPages, api, PAGE_LIMIT, unwrap, uploadFile } from '@/lib/api';
import { followDownloadLink } from '@/lib/download';

export const STATUS_COLOR: Record<Schemas['TicketStatus'], string> = {
  new: 'blue',
  assigned: 'cyan',
  in_progress: 'indigo',
  waiting_customer: 'orange',
  resolved: 'green',
  closed: 'gray',
};

export const PRIORITY_COLOR: Record<Schemas['TicketPriority'], string> = {
  low: 'gray',
  medium: 'blue',
  high: 'orange',
  critical: 'red',
};

// A ticket's comments, history and files, whole (oldest first, up to 1,000 each).
export const ticketComments = (id: string) =>
  allPages((page) =>
    unwrap(
      api.GET('/api/tickets/{id}/comments', {
        params: { path: { id }, query: { page, limit: PAGE_LIMIT } },
      }),
    ),
  );
export const ticketHistory = (id: string) =>
  allPages((page) =>
    unwrap(
      api.GET('/api/tickets/{id}/history', {
        params: { path: { id }, query: { page, limit: PAGE_LIMIT } },
      }),
    ),
  );
export const ticketAttachments = (id: string) =>
  allPages((page) =>
    unwrap(
      api.GET('/api/tickets/{id}/attachments', {
        params: { path: { id }, query: { page, limit: PAGE_LIMIT } },
      }),
    ),
  );

export async function downloadAttachment(ticketId: string, attachmentId: string) {
  const link = await unwrap(
    api.POST('/api/tickets/{id}/attachments/{attachment_id}/download-url', {
      params: { path: { id: ticketId, attachment_id: attachmentId } },
    }),
  );
  followDownloadLink(link.url);
}

// Files after their ticket or comment exists, one after the other; progress over all of them
// (0..1). A failure does not stop the rest: each file's outcome comes back.
export interface UploadOutcome {
  file: File;
  error?: unknown;
}
export async function uploadAttachments(
  ticketId: string,
  files: File[],
  fields: Record<string, string>,
  onProgress: (fraction: number, current: File) => void,
): Promise<UploadOutcome[]> {
  const total = files.reduce((sum, f) => sum + Math.max(f.size, 1), 0);
  let done = 0;
  const outcomes: UploadOutcome[] = [];
  for (const file of files) {
    const weight = Math.max(file.size, 1);
    try {
      await uploadFile(
        `/api/tickets/${encodeURIComponent(ticketId)}/attachments`,
        file,
        fields,
        (f) => onProgress((done + f * weight) / total, file),
      );
      outcomes.push({ file });
    } catch (error) {
      outcomes.push({ file, error });
    }
    done += weight;
    onProgress(done / total, file);
  }
  return outcomes;
}
