import { Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The placeholder rows of a list while its first page loads.
export function ListSkeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h={36} />
      ))}
    </Stack>
  );
}
