// Pieces the user screens share: status badge, the invitation link (shown once, with a copy
// button), problem messages with the request id, and the hourly rate's conversions.
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { type Invite, invitationLink, type UserStatus } from './api';

const STATUS_COLOR: Record<UserStatus, string> = {
  active: 'green',
  invited: 'blue',
  inactive: 'gray',
};

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none">
      {t(`users.status.${status}`)}
    </Badge>
  );
}

// What went wrong, in the user's words where we know the case, else the server's.
export function useProblemText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('users.errors.network');
      if (error.problem.code === 'quota_exceeded') return t('users.errors.quota');
      return error.problem.detail ?? error.message;
    }
    return error instanceof Error ? error.message : String(error);
  };
}

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined;
  const quota = error instanceof ApiError && error.problem.code === 'quota_exceeded';
  return (
    <Alert color="red" role="alert" title={quota ? t('users.errors.quotaTitle') : title}>
      <Stack gap={4}>
        <Text size="sm">{text(error)}</Text>
        {quota && error instanceof ApiError && error.problem.detail && (
          <Text size="xs" c="dimmed">
            {error.problem.detail}
          </Text>
        )}
        {requestId && (
          <Text size="xs">
            {t('users.errors.requestId')} <Code>{requestId}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

// The one showing of an invitation: the link, a copy button and the note that it will not be
// shown again. The token lives only in the component that shows it.
export function InvitationLink({ invite, name }: { invite: Invite; name: string }) {
  const { t, i18n } = useTranslation();
  const link = invitationLink(invite.token);
  return (
    <Stack gap="sm">
      <Alert color="yellow" title={t('users.invite.onceTitle')}>
        {t('users.invite.onceNote', { name })}
      </Alert>
      <Group gap="xs" align="end" wrap="nowrap">
        <TextInput
          label={t('users.invite.link')}
          value={link}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          style={{ flex: 1 }}
          data-testid="invitation-link"
        />
        <CopyButton value={link} timeout={3000}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'filled' : 'light'}
              color={copied ? 'green' : undefined}
              onClick={copy}
              aria-live="polite"
              miw={100}
            >
              {copied ? t('users.invite.copied') : t('users.invite.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed">
        {t('users.invite.expires', { date: formatDateTime(invite.expires_at, i18n.language) })}
      </Text>
    </Stack>
  );
}

// The rate as typed (a decimal amount) and as stored (minor units).
export const centsOf = (amount: number) => Math.round(amount * 100);
export const amountOf = (cents: number) => cents / 100;

export function formatRate(rate: { amount_cents: number; currency: string }, locale: string) {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: rate.currency }).format(
      rate.amount_cents / 100,
    );
  } catch {
    return `${(rate.amount_cents / 100).toFixed(2)} ${rate.currency}`;
  }
}
