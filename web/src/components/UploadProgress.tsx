// The bar while files travel: which file is on its way (announced politely) and how far.
import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function UploadProgress({ value, file }: { value: number; file?: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" aria-live="polite">
        {file ? t('files.uploading', { name: file }) : t('files.progress')}
      </Text>
      <Progress value={value * 100} aria-label={t('files.progress')} animated />
    </Stack>
  );
}
