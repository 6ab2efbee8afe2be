// A MANAGER files a document for a customer: file, title, category, who may see it; a progress
// bar while the bytes travel; the server's words when it refuses (size, type, quota).
import { Button, Card, FileInput, Group, Progress, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUploadLimit } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { splitBySize, tooLargeMessage } from '@/lib/upload';
import { CATEGORIES, type DocumentCategory, useUploadDocument } from './api';

export function UploadDocument({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const maxUpload = useUploadLimit();
  const upload = useUploadDocument(customerId);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<DocumentCategory>('other');
  const [visibility, setVisibility] = useState<'customer' | 'internal'>('customer');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(t('upload.chooseFile'));
      return;
    }
    setError(null);
    setProgress(0);
    upload.mutate(
      {
        input: { file, ...(title.trim() ? { title: title.trim() } : {}), category, visibility },
        onProgress: setProgress,
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('upload.done', { name: file.name }) });
          setFile(null);
          setTitle('');
          setProgress(null);
        },
        onError: (err) => {
          setProgress(null);
          setError(err instanceof ApiError ? err.message : String(err));
        },
      },
    );
  };

  return (
    <Card withBorder padding="md" component="section" aria-label={t('upload.heading')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group grow align="start" wrap="wrap">
            <FileInput
              label={t('upload.file')}
              placeholder={t('upload.filePlaceholder')}
              value={file}
              onChange={(next) => {
                const { accepted, refused } = splitBySize(next ? [next] : [], maxUpload);
                setError(tooLargeMessage(refused, maxUpload, t, i18n.language));
                setFile(accepted[0] ?? null);
              }}
              error={error}
              clearable
            />
            <TextInput
              label={t('upload.title')}
              placeholder={t('upload.titlePlaceholder')}
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
          </Group>
          <Group grow align="start" wrap="wrap">
            <Select
              label={t('documents.categoryColumn')}
              value={category}
              allowDeselect={false}
              onChange={(v) => setCategory((v as DocumentCategory) ?? 'other')}
              data={CATEGORIES.map((c) => ({ value: c, label: t(`documents.category.${c}`) }))}
            />
            <Select
              label={t('upload.visibility')}
              value={visibility}
              allowDeselect={false}
              onChange={(v) => setVisibility(v === 'internal' ? 'internal' : 'customer')}
              data={[
                { value: 'customer', label: t('upload.visibleToCustomer') },
                { value: 'internal', label: t('upload.internalOnly') },
              ]}
            />
          </Group>
          {progress !== null && (
            <Progress value={progress * 100} aria-label={t('upload.progress')} animated />
          )}
          <Group justify="end">
            <Button type="submit" loading={upload.isPending}>
              {t('upload.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
