// Pieces the user screens share: status badge, the invitation link (shown once, with a copy
// button), failed requests (with the seat quota in our words), the hourly rate's fields and its
// conversions.
import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
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

// A failed request (ErrorPanel), with the one case these screens word themselves: the seat quota
// is full (quota_exceeded) — our title and words, the server's detail below them.
export function UsersErrorPanel({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError && error.problem.code === 'quota_exceeded'))
    return <ErrorPanel error={error} title={title} />;
  return (
    <ErrorPanel
      error={error}
      title={t('users.errors.quotaTitle')}
      message={t('users.errors.quota')}
    >
      {error.problem.detail && (
        <Text size="xs" c="dimmed">
          {error.problem.detail}
        </Text>
      )}
    </ErrorPanel>
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

// The hourly rate (amount and ISO currency) of a technician or manager, when invited and edited.
export function RateFields({
  amount,
  onAmount,
  currency,
  onCurrency,
  hint,
  errors,
}: {
  amount: number | string;
  onAmount: (v: number | string) => void;
  currency: string;
  onCurrency: (v: string) => void;
  hint: string;
  errors: { amount?: string; currency?: string };
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }}>
      <NumberInput
        label={t('users.fields.rate')}
        description={hint}
        value={amount}
        onChange={onAmount}
        min={0}
        decimalScale={2}
        error={errors.amount}
      />
      <TextInput
        label={t('users.fields.currency')}
        description={t('users.fields.currencyHint')}
        value={currency}
        onChange={(e) => onCurrency(e.currentTarget.value.toUpperCase())}
        maxLength={3}
        error={errors.currency}
      />
    </SimpleGrid>
  );
}
