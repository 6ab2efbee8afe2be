// What a route shows when it fails: the error panel and a way home.
import { Button, Container, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Stack>
        <ErrorPanel error={error} />
        <Button variant="light" onClick={() => window.location.assign('/')}>
          {t('error.home')}
        </Button>
      </Stack>
    </Container>
  );
}
