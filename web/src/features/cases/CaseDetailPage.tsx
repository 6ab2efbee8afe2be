// One case as its customer sees it: title, number, status, priority, dates; the description and
// the public conversation (oldest first); the case's files with download through a signed link;
// the history as a timeline; a reply box with files (each uploaded after the reply exists, with a
// progress bar); closing the case, and reopening a resolved one — the two status changes a
// customer may make (docs/domain/tickets.md). A closed case takes no replies.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  List,
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
import { useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatBytes, formatDateTime } from '@/lib/format';
import {
  type Attachment,
  type Comment,
  downloadAttachment,
  type HistoryEntry,
  type Ticket,
  type TicketStatus,
  uploadAttachments,
  type UploadOutcome,
  useAddComment,
  useAttachments,
  useCase,
  useComments,
  useHistory,
  useRefreshCase,
  useSetCaseStatus,
} from './api';
import {
  AttachmentInput,
  PriorityBadge,
  StatusBadge,
  useProblemText,
  useStatusLabel,
} from './parts';
import { normaliseLines, validateReply } from './validation';
import { UploadProgress } from '@/components/UploadProgress';

function Time({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time>;
}

function Loading() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
      {[0, 1].map((i) => (
        <Skeleton key={i} h={48} />
      ))}
    </Stack>
  );
}

// Who wrote a comment: "you", else the author's name as the server gives it (the service team
// when the account no longer exists).
function useAuthorName() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  return (c: Comment) => {
    if (c.author_id && c.author_id === session?.user.id) return t('cases.author.you');
    return c.author_name ?? t('cases.author.team');
  };
}

function Conversation({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const comments = useComments(ticket.id);
  const authorName = useAuthorName();
  return (
    <Stack component="section" aria-labelledby="case-conversation" gap="sm">
      <Title order={3} id="case-conversation">
        {t('cases.conversation')}
      </Title>
      {comments.isError && <ErrorPanel error={comments.error} />}
      {comments.isPending && <Loading />}
      {comments.data?.length === 0 && <Text c="dimmed">{t('cases.noComments')}</Text>}
      {comments.data && comments.data.length > 0 && (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {comments.data.map((c: Comment) => (
            <Card key={c.id} withBorder padding="md" component="li">
              <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
                <Text fw={600} size="sm">
                  {authorName(c)}
                </Text>
                <Text size="xs" c="dimmed">
                  <Time iso={c.created_at} />
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {c.body}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function Attachments({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const attachments = useAttachments(ticketId);
  const problemText = useProblemText();
  const [downloading, setDownloading] = useState<string | null>(null);

  const download = async (a: Attachment) => {
    setDownloading(a.id);
    try {
      await downloadAttachment(ticketId, a.id);
    } catch (e) {
      notifications.show({
        color: 'red',
        title: t('cases.attachments.downloadFailed'),
        message: problemText(e),
      });
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Stack component="section" aria-labelledby="case-attachments" gap="sm">
      <Title order={3} id="case-attachments">
        {t('cases.attachments.heading')}
      </Title>
      {attachments.isError && <ErrorPanel error={attachments.error} />}
      {attachments.isPending && <Loading />}
      {attachments.data?.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('cases.attachments.none')}
        </Text>
      )}
      {attachments.data && attachments.data.length > 0 && (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {attachments.data.map((a) => (
            <Group key={a.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} truncate="end" title={a.filename}>
                  {a.filename}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(a.size, i18n.language)} · <Time iso={a.created_at} />
                </Text>
              </div>
              <Button
                size="xs"
                variant="light"
                loading={downloading === a.id}
                onClick={() => void download(a)}
                aria-label={t('cases.attachments.downloadNamed', { name: a.filename })}
              >
                {t('cases.attachments.download')}
              </Button>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

// What a history entry says to a customer; null for what the conversation already shows.
function useHistoryText() {
  const { t } = useTranslation();
  const statusLabel = useStatusLabel();
  const status = (v: string | null) => (v ? statusLabel(v as TicketStatus) : '');
  return (h: HistoryEntry): string | null => {
    switch (h.action) {
      case 'created':
        return t('cases.history.created');
      case 'status':
        return h.old_value
          ? t('cases.history.status', { from: status(h.old_value), to: status(h.new_value) })
          : t('cases.history.statusTo', { to: status(h.new_value) });
      case 'priority':
        return t('cases.history.priority', {
          to: h.new_value ? t(`cases.priority.${h.new_value}`) : '',
        });
      case 'assigned':
        return h.new_value ? t('cases.history.assigned') : t('cases.history.unassigned');
      case 'field':
        return t('cases.history.field', {
          field: t(`cases.history.fields.${h.field ?? 'other'}`, {
            defaultValue: t('cases.history.fields.other'),
          }),
        });
      default:
        // commented (the conversation shows it), deleted, sla_breached (the service team's own
        // bookkeeping)
        return null;
    }
  };
}

function History({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const history = useHistory(ticketId);
  const text = useHistoryText();
  const entries = (history.data ?? [])
    .map((h) => ({ h, text: text(h) }))
    .filter((e): e is { h: HistoryEntry; text: string } => e.text !== null);
  return (
    <Stack component="section" aria-labelledby="case-history" gap="sm">
      <Title order={3} id="case-history">
        {t('cases.history.heading')}
      </Title>
      {history.isError && <ErrorPanel error={history.error} />}
      {history.isPending && <Loading />}
      {history.data && entries.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('cases.history.none')}
        </Text>
      )}
      {entries.length > 0 && (
        <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2}>
          {entries.map(({ h, text: line }) => (
            <Timeline.Item key={h.id} title={line}>
              <Text size="xs" c="dimmed">
                <Time iso={h.at} />
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

function failedUploads(outcomes: UploadOutcome[]) {
  return outcomes.filter((o) => o.error !== undefined);
}

function Reply({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const addComment = useAddComment(ticket.id);
  const refresh = useRefreshCase(ticket.id);
  const problemText = useProblemText();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ name: string; reason: string }[]>([]);
  const [progress, setProgress] = useState<{ value: number; file: string } | null>(null);
  const busy = addComment.isPending || progress !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setFailed([]);
    const problem = validateReply(body);
    if (problem) {
      setBodyError(t(problem.key, problem.values));
      return;
    }
    setBodyError(null);
    let comment: Comment;
    try {
      comment = await addComment.mutateAsync(normaliseLines(body));
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldError('/body') : undefined;
      if (field) setBodyError(field);
      else setError(problemText(err));
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
      setFailed(
        failedUploads(outcomes).map((o) => ({ name: o.file.name, reason: problemText(o.error) })),
      );
    }
    setBody('');
    setFiles([]);
    notifications.show({ color: 'green', message: t('cases.reply.sent') });
    await refresh();
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="case-reply">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3} id="case-reply">
            {t('cases.reply.heading')}
          </Title>
          <Textarea
            label={t('cases.reply.body')}
            placeholder={t('cases.reply.placeholder')}
            autosize
            minRows={4}
            maxRows={16}
            required
            value={body}
            error={bodyError}
            onChange={(e) => setBody(e.currentTarget.value)}
            disabled={busy}
          />
          <AttachmentInput files={files} onChange={setFiles} disabled={busy} />
          {progress && <UploadProgress value={progress.value} file={progress.file} />}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {failed.length > 0 && (
            <Alert color="orange" role="alert" title={t('cases.reply.filesFailed')}>
              <List size="sm">
                {failed.map((f) => (
                  <List.Item key={f.name}>
                    {f.name}: {f.reason}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Group justify="end">
            <Button type="submit" loading={busy}>
              {t('cases.reply.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function StatusActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const setStatus = useSetCaseStatus(ticket.id);
  const refresh = useRefreshCase(ticket.id);
  const problemText = useProblemText();
  const [confirming, setConfirming] = useState(false);

  const change = (status: 'closed' | 'in_progress') =>
    setStatus.mutate(status, {
      onSuccess: () => {
        setConfirming(false);
        notifications.show({
          color: 'green',
          message: status === 'closed' ? t('cases.closeDone') : t('cases.reopenDone'),
        });
      },
      onError: (e) => {
        notifications.show({
          color: 'red',
          title: t('cases.statusFailed'),
          message: problemText(e),
        });
        // Refused most likely because the case moved on meanwhile: show where it stands.
        void refresh();
      },
    });

  if (ticket.status === 'closed') return null;
  if (confirming)
    return (
      <Alert color="orange" title={t('cases.closeConfirmTitle')}>
        <Stack gap="sm">
          <Text size="sm">{t('cases.closeConfirm')}</Text>
          <Group gap="sm">
            <Button
              color="red"
              autoFocus
              loading={setStatus.isPending}
              onClick={() => change('closed')}
            >
              {t('cases.closeConfirmYes')}
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('cases.cancel')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  return (
    <Group gap="sm">
      {ticket.status === 'resolved' && (
        <Button
          variant="light"
          loading={setStatus.isPending && setStatus.variables === 'in_progress'}
          onClick={() => change('in_progress')}
        >
          {t('cases.reopen')}
        </Button>
      )}
      <Button variant="default" onClick={() => setConfirming(true)}>
        {t('cases.close')}
      </Button>
    </Group>
  );
}

export function CaseDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const query = useCase(id);
  const ticket = query.data;

  const back = (
    <Anchor component={Link} to="/portal/cases" size="sm">
      {t('cases.back')}
    </Anchor>
  );

  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        {back}
        {notFound ? (
          <Alert color="gray" title={t('cases.notFoundTitle')}>
            {t('cases.notFound')}
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
        <Loading />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        {back}
        <Group justify="space-between" align="start" wrap="wrap" gap="sm">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {ticket.title}
            </Title>
            <Group gap="xs" wrap="wrap">
              <Text c="dimmed" fw={500}>
                #{ticket.number}
              </Text>
              <StatusBadge status={ticket.status} />
              <PriorityBadge priority={ticket.priority} />
              {ticket.category && (
                <Text size="sm" c="dimmed">
                  {ticket.category}
                </Text>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {t('cases.opened', { date: formatDateTime(ticket.created_at, i18n.language) })}
              {' · '}
              {t('cases.lastUpdated', { date: formatDateTime(ticket.updated_at, i18n.language) })}
            </Text>
          </Stack>
          <StatusActions ticket={ticket} />
        </Group>
      </Stack>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <Stack component="section" aria-labelledby="case-description" gap="sm">
              <Title order={3} id="case-description">
                {t('cases.description')}
              </Title>
              <Card withBorder padding="md">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {ticket.description.trim() ? ticket.description : t('cases.noDescription')}
                </Text>
              </Card>
            </Stack>
            <Conversation ticket={ticket} />
            {ticket.status === 'closed' ? (
              <Alert color="gray" title={t('cases.closedTitle')}>
                <Stack gap="sm" align="start">
                  <Text size="sm">{t('cases.closedNote')}</Text>
                  <Button variant="light" component={Link} to="/portal/cases/new">
                    {t('cases.new')}
                  </Button>
                </Stack>
              </Alert>
            ) : (
              <Reply ticket={ticket} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Attachments ticketId={ticket.id} />
            <History ticketId={ticket.id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
