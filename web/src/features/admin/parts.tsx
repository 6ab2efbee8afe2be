// Pieces the admin screens share: the manager-only guard, problem messages with the request id,
// the server's field errors by JSON pointer, and the time zones to choose from.
import { Alert, Code, List, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';

// The admin screens are a manager's; anyone else is told so instead of meeting refusals.
export function ForManager({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  if (!session) return null;
  if (session.role !== 'MANAGER' || !session.tenant)
    return (
      <Alert color="yellow" title={t('admin.notAllowedTitle')}>
        {t('admin.notAllowed')}
      </Alert>
    );
  return <>{children}</>;
}

export function problemText(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('admin.errors.network');
    return error.problem.detail ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

// A failed request: the server's words, any field errors no field showed, and the request id.
export function ProblemAlert({
  error,
  title,
  unplaced = [],
}: {
  error: unknown;
  title?: string;
  unplaced?: { field: string; message: string }[];
}) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined;
  return (
    <Alert color="red" role="alert" title={title}>
      <Stack gap={4}>
        <Text size="sm">{problemText(error, t)}</Text>
        {unplaced.length > 0 && (
          <List size="sm">
            {unplaced.map((e) => (
              <List.Item key={e.field + e.message}>
                <Code>{e.field}</Code> {e.message}
              </List.Item>
            ))}
          </List>
        )}
        {requestId && (
          <Text size="xs">
            {t('admin.errors.requestId')} <Code>{requestId}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

// The field errors of a 422 by pointer ("/targets/high/response_minutes").
export type FieldErrors = Record<string, string>;
export function fieldErrorsOf(error: unknown): FieldErrors | null {
  if (!(error instanceof ApiError) || error.status !== 422 || !error.problem.errors?.length)
    return null;
  const out: FieldErrors = {};
  for (const e of error.problem.errors) out[e.field] ??= e.message;
  return out;
}

export function isConflict(error: unknown) {
  return error instanceof ApiError && (error.status === 412 || error.status === 409);
}

export function utf8Length(s: string) {
  return new TextEncoder().encode(s).length;
}

// The IANA zones the browser knows (the server checks the name against its own database).
let zones: string[] | null = null;
export function timeZones(current?: string): string[] {
  if (!zones) {
    let list: string[] = [];
    try {
      list = Intl.supportedValuesOf('timeZone');
    } catch {
      list = ['Europe/Berlin', 'Europe/London', 'America/New_York'];
    }
    zones = ['UTC', ...list.filter((z) => z !== 'UTC')];
  }
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
