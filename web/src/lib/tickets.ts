// What every ticket screen shares, in the portal and at the desk: the colours of statuses and
// priorities, and a ticket's files — a signed download, and uploads one after the other with
// progress over all of them.
import type { Schemas } from '@/lib/api';
import { api, unwrap, uploadFile } from '@/lib/api';
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
