// What a screen shows when something fails: a plain message, anything the caller adds (e.g. the
// fields the server named), and for server errors the request id to quote to support. A feature
// with its own words for a case (a code it knows) passes them as `message`; otherwise the message
// is the server's, or that the server could not be reached.
import { Alert, Code, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse } from 'react-router';
import { ApiError } from '@/lib/api';

export function ErrorPanel({
  error,
  title,
  message,
  children,
}: {
  error: unknown;
  title?: string;
  message?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined;
  const detail =
    message ??
    (error instanceof ApiError
      ? error.status === 0
        ? t('error.network')
        : error.message
      : isRouteErrorResponse(error)
        ? error.statusText
        : error instanceof Error
          ? error.message
          : String(error));
  return (
    <Alert color="red" title={title ?? t('error.title')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{detail}</Text>
        {children}
        {requestId && (
          <Text size="sm">
            {t('error.requestId')} <Code>{requestId}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
