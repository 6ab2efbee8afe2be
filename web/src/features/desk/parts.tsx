// Pieces the desk screens share: status and priority badges (the status in the tenant's words
// when it named it), the SLA countdown with a shared ticking clock, times, the lock icon of
// internal notes and the words for a failed request.
import { Badge, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { PRIORITY_COLOR, STATUS_COLOR } from '@/lib/tickets';
import type { Ticket, TicketPriority, TicketStatus } from './api';
import { countdown, split } from './sla';

// Where the queue was last (its address), for the ticket page's way back.
export const QUEUE_KEY = 'kontor.desk.queue';

// The tenant's label for a status (session.tenant.status_labels), else the desk's own wording.
export function useStatusLabel() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const labels = session?.tenant?.status_labels;
  return (status: TicketStatus) => labels?.[status] || t(`desk.status.${status}`);
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const label = useStatusLabel();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none" style={{ flexShrink: 0 }}>
      {label(status)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={PRIORITY_COLOR[priority]}
      variant={priority === 'critical' ? 'filled' : 'outline'}
      tt="none"
      style={{ flexShrink: 0 }}
    >
      {t(`desk.priority.${priority}`)}
    </Badge>
  );
}

// The current time, ticking every 30 seconds: one clock per screen, handed to every countdown.
export function useNow(intervalMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

// "2 h 15 min", "3 d 4 h", "35 min" in the user's language.
export function useDuration() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const s = split(minutes);
    if (s.days > 0) return t('desk.sla.days', { d: s.days, h: s.hours });
    if (s.hours > 0) return t('desk.sla.hours', { h: s.hours, m: s.minutes });
    return t('desk.sla.minutes', { m: s.minutes });
  };
}

// "due in 2 h 15 min", "overdue 35 min" (red), "paused"; the due time itself in its title.
export function SlaCountdown({
  ticket,
  due = ticket.sla_resolution_due,
  now,
  size = 'sm',
}: {
  ticket: Pick<Ticket, 'sla_resolution_due' | 'sla_paused' | 'status'>;
  due?: string | null;
  now: number;
  size?: 'xs' | 'sm';
}) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const c = countdown(due, { paused: ticket.sla_paused, status: ticket.status, now });
  if (c.kind === 'none')
    return (
      <Text size={size} c="dimmed">
        —
      </Text>
    );
  if (c.kind === 'paused')
    return (
      <Text size={size} c="dimmed" fs="italic">
        {t('desk.sla.paused')}
      </Text>
    );
  const at = formatDateTime(c.due, i18n.language);
  const text =
    c.kind === 'due'
      ? t('desk.sla.dueIn', { time: duration(c.minutes) })
      : t('desk.sla.overdue', { time: duration(c.minutes) });
  return (
    <Text
      size={size}
      c={c.kind === 'overdue' ? 'red.8' : c.minutes < 60 ? 'orange.9' : undefined}
      fw={c.kind === 'overdue' ? 700 : 500}
      title={t('desk.sla.dueAt', { date: at })}
      style={{ whiteSpace: 'nowrap' }}
    >
      {text}
    </Text>
  );
}

// A missed SLA (first response or resolution) stays visible in the lists even while the other
// target is still running.
export function BreachedBadge({ ticket }: { ticket: Pick<Ticket, 'sla_breached'> }) {
  const { t } = useTranslation();
  if (!ticket.sla_breached) return null;
  return (
    <Badge color="red" variant="filled" size="xs" tt="none" style={{ flexShrink: 0 }}>
      {t('desk.details.breached')}
    </Badge>
  );
}

export function Time({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time>;
}

// A small padlock: internal notes and internal files wear it (decorative; the text says it too).
export function LockIcon({ size = 14 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}

// An eye: what the customer will see (decorative; the text says it too).
export function EyeIcon({ size = 14 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </svg>
  );
}

// The words for a failed request: the server's own when it gave some, ours for the common cases.
export function useProblemText() {
  const { t } = useTranslation();
  return (e: unknown, field?: string): string => {
    if (!(e instanceof ApiError)) return t('desk.errors.network');
    if (field && e.fieldError(field)) return e.fieldError(field)!;
    if (e.status === 0) return t('desk.errors.network');
    if (e.status === 409 || e.status === 412) return t('desk.errors.changed');
    if (e.status === 413) return t('desk.files.tooLarge');
    if (e.status === 507) return t('desk.files.quota');
    if (e.status === 422 && e.problem.errors?.[0]) return e.problem.errors[0].message;
    return e.message;
  };
}
