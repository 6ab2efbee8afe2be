// Pieces the case screens share: status and priority badges (the status in the tenant's words when
// it named it, else ours) and the file picker for attachments.
import { Badge, FileInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useUploadLimit } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import type { TicketPriority, TicketStatus } from './api';
import { PRIORITY_COLOR, STATUS_COLOR } from '@/lib/tickets';
import { splitBySize, tooLargeMessage } from '@/lib/upload';

// The tenant's label for a status (session.tenant.status_labels), else the translated default.
export function useStatusLabel() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const labels = session?.tenant?.status_labels;
  return (status: TicketStatus) => labels?.[status] || t(`cases.status.${status}`);
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const label = useStatusLabel();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none">
      {label(status)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant="outline" tt="none">
      {t(`cases.priority.${priority}`)}
    </Badge>
  );
}

export function AttachmentInput({
  files,
  onChange,
  disabled,
}: {
  files: File[];
  onChange: (files: File[]) => void;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const max = useUploadLimit();
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  return (
    <FileInput
      label={t('cases.attachments.pick')}
      description={t('cases.attachments.pickHint')}
      placeholder={t('cases.attachments.pickPlaceholder')}
      multiple
      clearable
      value={files}
      onChange={(next) => {
        const { accepted, refused } = splitBySize(next, max);
        setTooLarge(tooLargeMessage(refused, max, t, i18n.language));
        onChange(accepted);
      }}
      error={tooLarge}
      disabled={disabled}
    />
  );
}

// The words for a failed request: the server's own when it gave some, ours for the common cases.
export function useProblemText() {
  const { t } = useTranslation();
  return (e: unknown, field?: string): string => {
    if (!(e instanceof ApiError)) return t('cases.errors.network');
    if (field && e.fieldError(field)) return e.fieldError(field)!;
    if (e.status === 0) return t('cases.errors.network');
    if (e.status === 413) return t('cases.attachments.tooLarge');
    if (e.status === 507) return t('cases.attachments.quota');
    if (e.status === 409) return t('cases.errors.closed');
    if (e.status === 422 && e.fieldError('/file')) return e.fieldError('/file')!;
    return e.message;
  };
}
