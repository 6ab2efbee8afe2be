// Opening a case: title, description, priority, an optional category and files. Checked here as
// the server checks it (validation.ts); sent with an Idempotency-Key, the same one for the same
// content, so a double submit or a retry after a lost answer opens one case, not two. The files
// are uploaded once the case exists, one after the other with a progress bar; then the case's page.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '@/lib/api';
import {
  type NewCase,
  PRIORITIES,
  type TicketPriority,
  uploadAttachments,
  useCreateCase,
} from './api';
import { AttachmentInput, useProblemText } from './parts';
import { type CaseFields, normaliseLines, validateCase } from './validation';
import { UploadProgress } from '@/components/UploadProgress';

type Field = keyof CaseFields | 'priority';
const FIELDS: Field[] = ['title', 'description', 'priority', 'category'];

export function NewCasePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCase();
  const problemText = useProblemText();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('medium');
  const [category, setCategory] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ value: number; file: string } | null>(null);
  // The key of the last content sent: the same content keeps it, changed content gets a new one
  // (the server answers 409 to a key repeated with a different body).
  const attempt = useRef<{ key: string; content: string } | null>(null);
  const busy = create.isPending || progress !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const problems = validateCase({ title: title.trim(), description, category });
    const found: Partial<Record<Field, string>> = {};
    for (const [field, p] of Object.entries(problems)) found[field as Field] = t(p.key, p.values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const input: NewCase = {
      title: title.trim(),
      priority,
      ...(description.trim() ? { description: normaliseLines(description) } : {}),
      ...(category.trim() ? { category: category.trim() } : {}),
    };
    const content = JSON.stringify(input);
    if (attempt.current?.content !== content)
      attempt.current = { key: crypto.randomUUID(), content };

    let ticket;
    try {
      ticket = await create.mutateAsync({ input, idempotencyKey: attempt.current.key });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const minutes = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : undefined;
        setError(
          minutes
            ? t('cases.newCase.rateLimited', { count: minutes })
            : t('cases.newCase.rateLimitedLater'),
        );
        return;
      }
      if (err instanceof ApiError && err.status === 422) {
        const atFields: Partial<Record<Field, string>> = {};
        for (const f of FIELDS) {
          const message = err.fieldError(`/${f}`);
          if (message) atFields[f] = message;
        }
        setErrors(atFields);
        if (Object.keys(atFields).length > 0) return;
      }
      setError(problemText(err));
      return;
    }

    if (files.length > 0) {
      setProgress({ value: 0, file: files[0]!.name });
      const outcomes = await uploadAttachments(ticket.id, files, {}, (v, f) =>
        setProgress({ value: v, file: f.name }),
      );
      setProgress(null);
      for (const o of outcomes.filter((x) => x.error !== undefined))
        notifications.show({
          color: 'orange',
          autoClose: false,
          title: t('cases.newCase.fileFailed', { name: o.file.name }),
          message: problemText(o.error),
        });
    }
    notifications.show({
      color: 'green',
      message: t('cases.newCase.done', { number: ticket.number }),
    });
    await navigate(`/portal/cases/${ticket.id}`);
  };

  return (
    <Stack maw={760}>
      <Anchor component={Link} to="/portal/cases" size="sm">
        {t('cases.back')}
      </Anchor>
      <Title order={2}>{t('cases.newCase.heading')}</Title>
      <Text c="dimmed" size="sm">
        {t('cases.newCase.intro')}
      </Text>
      <Card withBorder padding="md">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="md">
            <TextInput
              label={t('cases.newCase.title')}
              description={t('cases.newCase.titleHint')}
              required
              value={title}
              error={errors.title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              disabled={busy}
            />
            <Textarea
              label={t('cases.newCase.description')}
              description={t('cases.newCase.descriptionHint')}
              autosize
              minRows={6}
              maxRows={20}
              value={description}
              error={errors.description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              disabled={busy}
            />
            <Group grow align="start" wrap="wrap" gap="md">
              <Select
                label={t('cases.newCase.priority')}
                value={priority}
                allowDeselect={false}
                onChange={(v) => setPriority((v as TicketPriority | null) ?? 'medium')}
                data={PRIORITIES.map((p) => ({ value: p, label: t(`cases.priority.${p}`) }))}
                error={errors.priority}
                disabled={busy}
                miw={200}
              />
              <TextInput
                label={t('cases.newCase.category')}
                description={t('cases.newCase.categoryHint')}
                value={category}
                error={errors.category}
                onChange={(e) => setCategory(e.currentTarget.value)}
                disabled={busy}
                miw={200}
              />
            </Group>
            <AttachmentInput files={files} onChange={setFiles} disabled={busy} />
            {progress && <UploadProgress value={progress.value} file={progress.file} />}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="end" gap="sm">
              <Button variant="default" component={Link} to="/portal/cases">
                {t('cases.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('cases.newCase.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
