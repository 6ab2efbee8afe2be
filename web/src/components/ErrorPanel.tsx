// What a screen shows when something fails: a plain message, anything the caller adds (e.g. the
// fields the server named), and for server errors the request id to quote to support.
import { Alert, Code, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse } from 'react-router';
import { ApiError } from '@/lib/api';

export function ErrorPanel({
  error,
  title,
  children,
}: {
  error: unknown;
  title?: string;
  children?: ReactNode;
}) {
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
