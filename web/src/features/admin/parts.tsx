// Pieces the admin screens share: the manager-only guard and the server's field errors by JSON
// pointer (and the list of those no field showed).
import { Alert, Code, List } from '@mantine/core';
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

// The field errors of a failed save that no field of the form showed (for an ErrorPanel).
export function UnplacedFields({ fields }: { fields: { field: string; message: string }[] }) {
  if (fields.length === 0) return null;
  return (
    <List size="sm">
      {fields.map((e) => (
        <List.Item key={e.field + e.message}>
          <Code>{e.field}</Code> {e.message}
        </List.Item>
      ))}
    </List>
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
