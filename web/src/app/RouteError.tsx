// What a screen shows when it fails: a plain message and, for server errors, the request id to
// quote to support.
import { Alert, Button, Code, Container, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ApiError } from '@/lib/api';

export function ErrorPanel({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined;
  const detail =
    error instanceof ApiError
      ? error.message
      : isRouteErrorResponse(error)
        ? error.statusText
        : error instanceof Error
          ? error.message
          : String(error);
  return (
    <Alert color="red" title={t('error.title')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{detail}</Text>
        {requestId && (
          <Text size="sm">
            {t('error.requestId')} <Code>{requestId}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

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
