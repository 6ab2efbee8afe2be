// One ticket at the desk: number, title, customer, requester, dates and the description; the
// whole conversation, where internal notes look unmistakably different from public replies (tint,
// border, padlock badge, and words for screen readers) with each comment's files under it; a
// composer that switches between a reply to the customer and an internal note; the side panel
// with assignee, status (only what the workflow allows), priority, the SLA due times counting down
// and "Resolve"; the ticket's files (download through a signed link, upload, internal if staff
// only); the history as a timeline with names. Every change carries If-Match: when the ticket
// moved on meanwhile the page says so and shows it as it is now. Closed tickets take no comments.
import './i18n';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  List,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession, useUploadLimit } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatBytes, formatDateTime } from '@/lib/format';
import {
  type Attachment,
  type Comment,
  downloadAttachment,
  type HistoryEntry,
  isConflict,
  PRIORITIES,
  staffOf,
  staffTransitions,
  type Ticket,
  type TicketPatch,
  type TicketPriority,
  type TicketStatus,
  uploadAttachments,
  type UploadOutcome,
  type User,
  useAddComment,
  useAttachments,
  useComments,
  useCustomer,
  useHistory,
  usePatchTicket,
  usePeople,
  useRefreshTicket,
  useTicket,
  type Visibility,
} from './api';
import {
  EyeIcon,
  LockIcon,
  PriorityBadge,
  QUEUE_KEY,
  SlaCountdown,
  StatusBadge,
  Time,
  useNow,
  useProblemText,
  useStatusLabel,
} from './parts';
import { checkBody, normaliseLines } from './validation';
import { splitBySize, tooLargeMessage } from '@/lib/upload';
import { UploadProgress } from '@/components/UploadProgress';

const NOTE_BG = 'var(--mantine-color-yellow-light)';
const NOTE_BORDER = 'var(--mantine-color-yellow-6)';
const REPLY_BORDER = 'var(--mantine-color-blue-6)';

function Loading({ rows = 2 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h={48} />
      ))}
    </Stack>
  );
}

// Names for user ids: the session's own, the people the caller may list, the names comments
// carry; null when none of them knows.
function useNames(comments: Comment[] | undefined) {
  const { data: session } = useSession();
  const people = usePeople();
  return {
    people: people.data,
    name: (id: string | null | undefined): string | null => {
      if (!id) return null;
      if (id === session?.user.id) return session.user.name;
      const person = people.data?.get(id);
      if (person) return person.name;
      return comments?.find((c) => c.author_id === id && c.author_name)?.author_name ?? null;
    },
  };
}

function AttachmentLink({ ticketId, attachment }: { ticketId: string; attachment: Attachment }) {
  const { t, i18n } = useTranslation();
  const problemText = useProblemText();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadAttachment(ticketId, attachment.id);
    } catch (e) {
      notifications.show({
        color: 'red',
        title: t('desk.files.downloadFailed'),
        message: problemText(e),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <div style={{ minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500} truncate="end" title={attachment.filename}>
            {attachment.filename}
          </Text>
          {attachment.visibility === 'internal' && (
            <Badge
              size="xs"
              color="yellow"
              variant="light"
              leftSection={<LockIcon size={10} />}
              tt="none"
              style={{ flexShrink: 0 }}
            >
              {t('desk.files.internal')}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {formatBytes(attachment.size, i18n.language)} · <Time iso={attachment.created_at} />
        </Text>
      </div>
      <Button
        size="xs"
        variant="light"
        loading={busy}
        onClick={() => void download()}
        aria-label={t('desk.files.downloadNamed', { name: attachment.filename })}
        style={{ flexShrink: 0 }}
      >
        {t('desk.files.download')}
      </Button>
    </Group>
  );
}

function CommentCard({
  ticket,
  comment,
  files,
  customerAuthor,
}: {
  ticket: Ticket;
  comment: Comment;
  files: Attachment[];
  customerAuthor: boolean;
}) {
  const { t } = useTranslation();
  const internal = comment.visibility === 'internal';
  return (
    <Card
      component="li"
      withBorder
      padding="md"
      data-visibility={comment.visibility}
      style={{
        background: internal ? NOTE_BG : undefined,
        borderLeft: `4px ${internal ? 'dashed' : 'solid'} ${internal ? NOTE_BORDER : customerAuthor ? 'var(--mantine-color-gray-5)' : REPLY_BORDER}`,
      }}
    >
      <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Text fw={600} size="sm">
            {comment.author_name ?? t('desk.ticket.system')}
          </Text>
          {customerAuthor && (
            <Badge size="xs" variant="default" tt="none">
              {t('desk.ticket.customerBadge')}
            </Badge>
          )}
          {internal ? (
            <Badge
              size="sm"
              color="yellow"
              variant="filled"
              autoContrast
              leftSection={<LockIcon size={12} />}
              tt="none"
            >
              {t('desk.conversation.internalBadge')}
              <span className="visually-hidden">{t('desk.conversation.internalSr')}</span>
            </Badge>
          ) : (
            <Badge size="sm" color="blue" variant="light" tt="none">
              {t('desk.conversation.publicBadge')}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          <Time iso={comment.created_at} />
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {comment.body}
      </Text>
      {files.length > 0 && (
        <Stack
          gap={6}
          mt="sm"
          pt="xs"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
          aria-label={t('desk.conversation.files')}
        >
          {files.map((a) => (
            <AttachmentLink key={a.id} ticketId={ticket.id} attachment={a} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Conversation({ ticket, people }: { ticket: Ticket; people?: Map<string, User> }) {
  const { t } = useTranslation();
  const comments = useComments(ticket.id);
  const attachments = useAttachments(ticket.id);
  const isCustomerAuthor = (c: Comment) => {
    if (!c.author_id) return false;
    if (c.author_id === ticket.requester_id) return true;
    const role = people?.get(c.author_id)?.role;
    if (role) return role === 'CLIENT' || role === 'CUSTOMER_ADMIN';
    // An EXPERT lists staff only: someone who is not staff wrote for the customer.
    return people !== undefined;
  };
  return (
    <Stack component="section" aria-labelledby="desk-conversation" gap="sm">
      <Title order={3} id="desk-conversation">
        {t('desk.conversation.heading')}
      </Title>
      {comments.isError && <ErrorPanel error={comments.error} />}
      {comments.isPending && <Loading />}
      {comments.data?.length === 0 && <Text c="dimmed">{t('desk.conversation.none')}</Text>}
      {comments.data && comments.data.length > 0 && (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {comments.data.map((c) => (
            <CommentCard
              key={c.id}
              ticket={ticket}
              comment={c}
              customerAuthor={isCustomerAuthor(c)}
              files={(attachments.data ?? []).filter((a) => a.comment_id === c.id)}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function failed(outcomes: UploadOutcome[]) {
  return outcomes.filter((o) => o.error !== undefined);
}

function Composer({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const maxUpload = useUploadLimit();
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const addComment = useAddComment(ticket.id);
  const refresh = useRefreshTicket(ticket.id);
  const problemText = useProblemText();
  const [mode, setMode] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failedFiles, setFailedFiles] = useState<{ name: string; reason: string }[]>([]);
  const [progress, setProgress] = useState<{ value: number; file: string } | null>(null);
  const busy = addComment.isPending || progress !== null;
  const internal = mode === 'internal';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setFailedFiles([]);
    const problem = checkBody(body);
    if (problem) {
      setBodyError(t(problem.key, problem.values));
      return;
    }
    setBodyError(null);
    let comment: Comment;
    try {
      comment = await addComment.mutateAsync({ body: normaliseLines(body), visibility: mode });
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldError('/body') : undefined;
      if (field) setBodyError(field);
      else
        setError(
          err instanceof ApiError && err.status === 409
            ? t('desk.composer.closedMeanwhile')
            : problemText(err),
        );
      if (err instanceof ApiError && err.status === 409) void refresh();
      return;
    }
    if (files.length > 0) {
      setProgress({ value: 0, file: files[0]!.name });
      const outcomes = await uploadAttachments(
        ticket.id,
        files,
        { comment_id: comment.id },
        (v, f) => setProgress({ value: v, file: f.name }),
      );
      setProgress(null);
      setFailedFiles(
        failed(outcomes).map((o) => ({ name: o.file.name, reason: problemText(o.error) })),
      );
    }
    setBody('');
    setFiles([]);
    notifications.show({
      color: 'green',
      message: internal ? t('desk.composer.noteAdded') : t('desk.composer.replySent'),
    });
    await refresh();
  };

  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="desk-composer"
      style={{
        borderWidth: 2,
        borderColor: internal ? NOTE_BORDER : REPLY_BORDER,
        borderStyle: internal ? 'dashed' : 'solid',
        background: internal ? NOTE_BG : undefined,
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} id="desk-composer">
              {t('desk.composer.heading')}
            </Title>
            <SegmentedControl
              aria-label={t('desk.composer.kind')}
              value={mode}
              onChange={(v) => setMode(v === 'internal' ? 'internal' : 'public')}
              color={internal ? 'yellow' : 'blue'}
              autoContrast
              disabled={busy}
              data={[
                { value: 'public', label: t('desk.composer.reply') },
                { value: 'internal', label: t('desk.composer.note') },
              ]}
            />
          </Group>
          <Textarea
            label={internal ? t('desk.composer.noteLabel') : t('desk.composer.replyLabel')}
            description={
              <Text
                span
                size="sm"
                fw={600}
                c={internal ? 'yellow.9' : 'blue.8'}
                style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}
              >
                {internal ? <LockIcon /> : <EyeIcon />}
                {internal ? t('desk.composer.noteHint') : t('desk.composer.replyHint')}
              </Text>
            }
            inputWrapperOrder={['label', 'description', 'input', 'error']}
            autosize
            minRows={4}
            maxRows={16}
            required
            value={body}
            error={bodyError}
            onChange={(e) => setBody(e.currentTarget.value)}
            disabled={busy}
          />
          <FileInput
            label={t('desk.composer.files')}
            description={
              internal ? t('desk.composer.filesNoteHint') : t('desk.composer.filesReplyHint')
            }
            placeholder={t('desk.files.pickPlaceholder')}
            multiple
            clearable
            value={files}
            onChange={(next) => {
              const { accepted, refused } = splitBySize(next, maxUpload);
              setTooLarge(tooLargeMessage(refused, maxUpload, t, i18n.language));
              setFiles(accepted);
            }}
            error={tooLarge}
            disabled={busy}
          />
          {progress && <UploadProgress value={progress.value} file={progress.file} />}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {failedFiles.length > 0 && (
            <Alert color="orange" role="alert" title={t('desk.composer.filesFailed')}>
              <List size="sm">
                {failedFiles.map((f) => (
                  <List.Item key={f.name}>
                    {f.name}: {f.reason}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Group justify="end">
            <Button
              type="submit"
              loading={busy}
              color={internal ? 'yellow' : 'blue'}
              autoContrast
              leftSection={internal ? <LockIcon /> : undefined}
            >
              {internal ? t('desk.composer.submitNote') : t('desk.composer.submitReply')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

// Assignee, status, priority, SLA and "Resolve": each change at once, with If-Match.
function Details({ ticket, staff, now }: { ticket: Ticket; staff: User[]; now: number }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const patch = usePatchTicket(ticket.id);
  const statusLabel = useStatusLabel();
  const problemText = useProblemText();
  const [problem, setProblem] = useState<{ conflict: boolean; text: string } | null>(null);
  const busy = patch.isPending;

  const change = (c: TicketPatch, done: string) => {
    setProblem(null);
    patch.mutate(
      { version: ticket.version, change: c },
      {
        onSuccess: () => notifications.show({ color: 'green', message: done }),
        onError: (e) =>
          setProblem(
            isConflict(e)
              ? { conflict: true, text: t('desk.details.conflict') }
              : { conflict: false, text: problemText(e) },
          ),
      },
    );
  };

  const me = session?.user.id;
  const assigneeOptions = staff.map((u) => ({ value: u.id, label: u.name }));
  if (ticket.assigned_to && !staff.some((u) => u.id === ticket.assigned_to))
    assigneeOptions.push({ value: ticket.assigned_to, label: t('desk.details.someone') });
  const transitions = staffTransitions(ticket.status, !!ticket.assigned_to);
  const closed = ticket.status === 'closed';
  const nameOf = (id: string) =>
    id === me ? session!.user.name : (staff.find((u) => u.id === id)?.name ?? '');

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="desk-details">
      <Stack gap="sm">
        <Title order={3} id="desk-details">
          {t('desk.details.heading')}
        </Title>
        {problem && (
          <Alert
            color={problem.conflict ? 'orange' : 'red'}
            role="alert"
            title={problem.conflict ? t('desk.details.conflictTitle') : t('desk.details.failed')}
            withCloseButton
            closeButtonLabel={t('desk.close')}
            onClose={() => setProblem(null)}
          >
            {problem.text}
          </Alert>
        )}
        <Select
          label={t('desk.details.assignee')}
          value={ticket.assigned_to ?? 'none'}
          allowDeselect={false}
          searchable
          disabled={busy || closed}
          onChange={(v) => {
            const to = !v || v === 'none' ? null : v;
            if (to === ticket.assigned_to) return;
            change(
              { assigned_to: to },
              to ? t('desk.details.assigned', { name: nameOf(to) }) : t('desk.details.unassigned'),
            );
          }}
          data={[{ value: 'none', label: t('desk.unassigned') }, ...assigneeOptions]}
        />
        {me && ticket.assigned_to !== me && !closed && (
          <Button
            variant="light"
            size="xs"
            disabled={busy}
            onClick={() =>
              change({ assigned_to: me }, t('desk.details.assigned', { name: session.user.name }))
            }
            style={{ alignSelf: 'flex-start' }}
          >
            {t('desk.details.assignToMe')}
          </Button>
        )}
        <Select
          label={t('desk.details.status')}
          value={ticket.status}
          allowDeselect={false}
          disabled={busy || transitions.length === 0}
          description={closed ? t('desk.details.closedFinal') : undefined}
          onChange={(v) => {
            if (!v || v === ticket.status) return;
            change(
              { status: v as TicketStatus },
              t('desk.details.statusChanged', { status: statusLabel(v as TicketStatus) }),
            );
          }}
          data={[ticket.status, ...transitions].map((s) => ({ value: s, label: statusLabel(s) }))}
        />
        <Select
          label={t('desk.details.priority')}
          value={ticket.priority}
          allowDeselect={false}
          disabled={busy || closed}
          onChange={(v) => {
            if (!v || v === ticket.priority) return;
            change(
              { priority: v as TicketPriority },
              t('desk.details.priorityChanged', {
                priority: t(`desk.priority.${v as TicketPriority}`),
              }),
            );
          }}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`desk.priority.${p}`) }))}
        />
        <Box>
          <Text size="sm" fw={500}>
            {t('desk.details.firstResponse')}
          </Text>
          {ticket.first_response_at ? (
            <Text size="sm" c="dimmed">
              {t('desk.details.answered', {
                date: formatDateTime(ticket.first_response_at, i18n.language),
              })}
            </Text>
          ) : (
            <SlaCountdown ticket={ticket} due={ticket.sla_response_due} now={now} />
          )}
        </Box>
        <Box>
          <Text size="sm" fw={500}>
            {t('desk.details.resolution')}
          </Text>
          {(ticket.status === 'resolved' || ticket.status === 'closed') && ticket.resolved_at ? (
            <Text size="sm" c="dimmed">
              {t('desk.details.resolvedAt', {
                date: formatDateTime(ticket.resolved_at, i18n.language),
              })}
            </Text>
          ) : (
            <SlaCountdown ticket={ticket} now={now} />
          )}
        </Box>
        {ticket.sla_breached && (
          <Badge color="red" variant="light" tt="none" style={{ alignSelf: 'flex-start' }}>
            {t('desk.details.breached')}
          </Badge>
        )}
        {transitions.includes('resolved') && (
          <Button
            color="green"
            loading={busy && patch.variables?.change.status === 'resolved'}
            disabled={busy}
            onClick={() =>
              change(
                { status: 'resolved' },
                t('desk.details.statusChanged', {
                  status: statusLabel('resolved'),
                }),
              )
            }
          >
            {t('desk.details.resolve')}
          </Button>
        )}
      </Stack>
    </Card>
  );
}

function Files({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const maxUpload = useUploadLimit();
  const attachments = useAttachments(ticket.id);
  const refresh = useRefreshTicket(ticket.id);
  const problemText = useProblemText();
  const [files, setFiles] = useState<File[]>([]);
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [progress, setProgress] = useState<{ value: number; file: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closed = ticket.status === 'closed';

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (files.length === 0) {
      setError(t('desk.files.chooseFirst'));
      return;
    }
    setError(null);
    setProgress({ value: 0, file: files[0]!.name });
    const outcomes = await uploadAttachments(ticket.id, files, { visibility }, (v, f) =>
      setProgress({ value: v, file: f.name }),
    );
    setProgress(null);
    const bad = failed(outcomes);
    if (bad.length > 0)
      setError(bad.map((o) => `${o.file.name}: ${problemText(o.error)}`).join(' · '));
    const good = outcomes.length - bad.length;
    if (good > 0) {
      notifications.show({ color: 'green', message: t('desk.files.uploaded', { count: good }) });
      setFiles([]);
    }
    await refresh();
  };

  return (
    <Stack component="section" aria-labelledby="desk-files" gap="sm">
      <Title order={3} id="desk-files">
        {t('desk.files.heading')}
      </Title>
      {attachments.isError && <ErrorPanel error={attachments.error} />}
      {attachments.isPending && <Loading />}
      {attachments.data?.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('desk.files.none')}
        </Text>
      )}
      {attachments.data && attachments.data.length > 0 && (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {attachments.data.map((a) => (
            <li key={a.id}>
              <AttachmentLink ticketId={ticket.id} attachment={a} />
            </li>
          ))}
        </Stack>
      )}
      {!closed && (
        <form onSubmit={(e) => void upload(e)} noValidate aria-label={t('desk.files.upload')}>
          <Stack gap="xs">
            <FileInput
              label={t('desk.files.add')}
              placeholder={t('desk.files.pickPlaceholder')}
              multiple
              clearable
              value={files}
              onChange={(next) => {
                const { accepted, refused } = splitBySize(next, maxUpload);
                setError(tooLargeMessage(refused, maxUpload, t, i18n.language));
                setFiles(accepted);
              }}
              error={error}
              disabled={progress !== null}
            />
            <Select
              label={t('desk.files.visibleTo')}
              value={visibility}
              allowDeselect={false}
              onChange={(v) => setVisibility(v === 'internal' ? 'internal' : 'public')}
              data={[
                { value: 'public', label: t('desk.files.visiblePublic') },
                { value: 'internal', label: t('desk.files.visibleInternal') },
              ]}
              disabled={progress !== null}
            />
            {progress && <UploadProgress value={progress.value} file={progress.file} />}
            <Button type="submit" variant="light" loading={progress !== null}>
              {t('desk.files.upload')}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

// What one history entry says, with names.
function useHistoryText(name: (id: string | null | undefined) => string | null) {
  const { t } = useTranslation();
  const statusLabel = useStatusLabel();
  const status = (v: string | null) => (v ? statusLabel(v as TicketStatus) : '—');
  const priority = (v: string | null) => (v ? t(`desk.priority.${v}`) : '—');
  return (h: HistoryEntry): string => {
    const actor =
      h.actor_name ?? (h.actor_id ? name(h.actor_id) : null) ?? t('desk.history.system');
    switch (h.action) {
      case 'created':
        return t('desk.history.created', { actor });
      case 'status':
        return h.old_value
          ? t('desk.history.status', { actor, from: status(h.old_value), to: status(h.new_value) })
          : t('desk.history.statusTo', { actor, to: status(h.new_value) });
      case 'priority':
        return t('desk.history.priority', {
          actor,
          from: priority(h.old_value),
          to: priority(h.new_value),
        });
      case 'assigned':
        if (!h.new_value)
          return h.old_value && name(h.old_value)
            ? t('desk.history.unassignedFrom', { actor, name: name(h.old_value) })
            : t('desk.history.unassigned', { actor });
        return h.new_value === h.actor_id
          ? t('desk.history.took', { actor })
          : t('desk.history.assigned', {
              actor,
              name: name(h.new_value) ?? t('desk.history.colleague'),
            });
      case 'field':
        return t('desk.history.field', {
          actor,
          field: t(`desk.history.fields.${h.field ?? 'other'}`, {
            defaultValue: t('desk.history.fields.other'),
          }),
        });
      case 'commented':
        return h.visibility === 'internal'
          ? t('desk.history.noted', { actor })
          : t('desk.history.replied', { actor });
      case 'deleted':
        return t('desk.history.deleted', { actor });
      case 'sla_breached':
        return h.new_value === 'response'
          ? t('desk.history.breachedResponse')
          : t('desk.history.breachedResolution');
      default:
        return t('desk.history.other', { actor });
    }
  };
}

function History({
  ticketId,
  name,
}: {
  ticketId: string;
  name: (id: string | null | undefined) => string | null;
}) {
  const { t } = useTranslation();
  const history = useHistory(ticketId);
  const text = useHistoryText(name);
  const entries = history.data ?? [];
  return (
    <Stack component="section" aria-labelledby="desk-history" gap="sm">
      <Title order={3} id="desk-history">
        {t('desk.history.heading')}
      </Title>
      {history.isError && <ErrorPanel error={history.error} />}
      {history.isPending && <Loading />}
      {history.data && entries.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('desk.history.none')}
        </Text>
      )}
      {entries.length > 0 && (
        <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2}>
          {entries.map((h) => (
            <Timeline.Item
              key={h.id}
              title={text(h)}
              color={
                h.action === 'sla_breached'
                  ? 'red'
                  : h.visibility === 'internal'
                    ? 'yellow'
                    : undefined
              }
            >
              <Group gap={6}>
                <Text size="xs" c="dimmed">
                  <Time iso={h.at} />
                </Text>
                {h.visibility === 'internal' && (
                  <Badge size="xs" color="yellow" variant="light" tt="none">
                    {t('desk.history.internal')}
                  </Badge>
                )}
              </Group>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

export function TicketPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const query = useTicket(id);
  const comments = useComments(id);
  const { people, name } = useNames(comments.data);
  const now = useNow();
  const ticket = query.data;
  const customer = useCustomer(ticket?.customer_id ?? '', !!ticket);
  const queueSearch =
    typeof sessionStorage !== 'undefined' ? sessionStorage.getItem(QUEUE_KEY) : null;

  const back = (
    <Anchor component={Link} to={`/desk${queueSearch ?? ''}`} size="sm">
      {t('desk.ticket.back')}
    </Anchor>
  );

  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        {back}
        {notFound ? (
          <Alert color="gray" title={t('desk.ticket.notFoundTitle')}>
            {t('desk.ticket.notFound')}
          </Alert>
        ) : (
          <ErrorPanel error={query.error} />
        )}
      </Stack>
    );
  }
  if (!ticket) {
    return (
      <Stack>
        {back}
        <Loading rows={4} />
      </Stack>
    );
  }

  const requester = ticket.requester_name ?? name(ticket.requester_id);
  const staff = staffOf(people);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        {back}
        <Title order={2} style={{ overflowWrap: 'anywhere' }}>
          <Text span c="dimmed" inherit fw={500}>
            #{ticket.number}
          </Text>{' '}
          {ticket.title}
        </Title>
        <Group gap="xs" wrap="wrap">
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
          {ticket.category && (
            <Badge variant="default" tt="none">
              {ticket.category}
            </Badge>
          )}
          {ticket.tags.map((tag) => (
            <Badge key={tag} variant="dot" tt="none" color="gray">
              {tag}
            </Badge>
          ))}
        </Group>
        <Group gap="lg" wrap="wrap" component="dl" style={{ margin: 0 }}>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t('desk.ticket.customer')}
            </Text>
            <Text component="dd" size="sm" m={0}>
              <Anchor component={Link} to={`/customers/${ticket.customer_id}`}>
                {customer.data?.name ?? (customer.isPending ? '…' : '—')}
              </Anchor>
            </Text>
          </div>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t('desk.ticket.requester')}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {requester ?? '—'}
            </Text>
          </div>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t('desk.ticket.created')}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {formatDateTime(ticket.created_at, i18n.language)}
            </Text>
          </div>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t('desk.ticket.updated')}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {formatDateTime(ticket.updated_at, i18n.language)}
            </Text>
          </div>
        </Group>
      </Stack>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <Stack component="section" aria-labelledby="desk-description" gap="sm">
              <Title order={3} id="desk-description">
                {t('desk.ticket.description')}
              </Title>
              <Card withBorder padding="md">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {ticket.description.trim() ? ticket.description : t('desk.ticket.noDescription')}
                </Text>
              </Card>
            </Stack>
            <Conversation ticket={ticket} people={people} />
            {ticket.status === 'closed' ? (
              <Alert color="gray" title={t('desk.composer.closedTitle')}>
                {t('desk.composer.closedText')}
              </Alert>
            ) : (
              <Composer ticket={ticket} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Details ticket={ticket} staff={staff} now={now} />
            <Files ticket={ticket} />
            <History ticketId={ticket.id} name={name} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
