// Inviting a user: name, e-mail, role and — for a manager — the customer organisation of a
// customer user or the hourly rate of a technician or manager. The user is created without a
// password; the answer's invitation link is shown once, here, and then forgotten.
import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/lib/api';
import {
  hasRate,
  type Invite,
  isClientRole,
  type Role,
  ROLES_FOR,
  type Scope,
  type UserCreate,
  useInviteUser,
} from './api';
import { centsOf, InvitationLink, RateFields, UsersErrorPanel } from './parts';

type Field = 'name' | 'email' | 'role' | 'customer_id' | 'amount' | 'currency' | 'locale';
const POINTERS: Record<string, Field> = {
  '/name': 'name',
  '/email': 'email',
  '/role': 'role',
  '/customer_id': 'customer_id',
  '/hourly_rate': 'amount',
  '/hourly_rate/amount_cents': 'amount',
  '/hourly_rate/currency': 'currency',
  '/locale': 'locale',
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CURRENCY = /^[A-Z]{3}$/;

export function InviteUserModal({
  opened,
  onClose,
  scope,
  customers,
}: {
  opened: boolean;
  onClose: () => void;
  scope: Scope;
  customers: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const invite = useInviteUser();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('CLIENT');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [locale, setLocale] = useState<string>('tenant');
  const [amount, setAmount] = useState<number | string>('');
  const [currency, setCurrency] = useState('EUR');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; invite: Invite } | null>(null);

  const close = () => {
    // The invitation is gone with the dialog: it is shown only once.
    setName('');
    setEmail('');
    setRole('CLIENT');
    setCustomerId(null);
    setLocale('tenant');
    setAmount('');
    setCurrency('EUR');
    setErrors({});
    setFailure(null);
    setResult(null);
    invite.reset();
    onClose();
  };

  const needsCustomer = scope === 'tenant' && isClientRole(role);
  const withRate = scope === 'tenant' && hasRate(role);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (invite.isPending) return;
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = t('users.validation.required');
    if (!EMAIL.test(email.trim())) found.email = t('users.validation.email');
    if (needsCustomer && !customerId) found.customer_id = t('users.validation.customer');
    const hasAmount = withRate && amount !== '' && amount !== null;
    if (hasAmount && Number(amount) < 0) found.amount = t('users.validation.amount');
    if (hasAmount && !CURRENCY.test(currency.trim()))
      found.currency = t('users.validation.currency');
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const body: UserCreate = {
      name: name.trim(),
      email: email.trim(),
      role,
      ...(needsCustomer && customerId ? { customer_id: customerId } : {}),
      ...(locale === 'en' || locale === 'de' ? { locale } : {}),
      ...(hasAmount
        ? { hourly_rate: { amount_cents: centsOf(Number(amount)), currency: currency.trim() } }
        : {}),
    };
    try {
      const created = await invite.mutateAsync(body);
      if (created.invite) setResult({ name: created.name, invite: created.invite });
      else close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.problem.code === 'conflict') {
        setErrors({ email: t('users.errors.emailTaken') });
        return;
      }
      if (err instanceof ApiError && err.status === 422) {
        const atFields: Partial<Record<Field, string>> = {};
        for (const f of err.problem.errors ?? []) {
          const field = POINTERS[f.field];
          if (field) atFields[field] = f.message;
        }
        setErrors(atFields);
        if (Object.keys(atFields).length > 0) return;
      }
      setFailure(err);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={result ? t('users.invite.doneTitle', { name: result.name }) : t('users.invite.title')}
      size="lg"
      fullScreen={phone}
    >
      {result ? (
        <Stack>
          <InvitationLink invite={result.invite} name={result.name} />
          <Group justify="end">
            <Button onClick={close}>{t('users.invite.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('users.invite.intro')}
            </Text>
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <TextInput
                label={t('users.fields.name')}
                required
                value={name}
                error={errors.name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={200}
                data-autofocus
              />
              <TextInput
                label={t('users.fields.email')}
                type="email"
                required
                value={email}
                error={errors.email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                maxLength={254}
              />
              <Select
                label={t('users.fields.role')}
                value={role}
                allowDeselect={false}
                onChange={(v) => v && setRole(v as Role)}
                data={ROLES_FOR[scope].map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                error={errors.role}
              />
              {needsCustomer && (
                <Select
                  label={t('users.fields.customer')}
                  placeholder={t('users.fields.customerPlaceholder')}
                  required
                  searchable
                  nothingFoundMessage={t('users.fields.noCustomer')}
                  value={customerId}
                  onChange={setCustomerId}
                  data={customers}
                  error={errors.customer_id}
                />
              )}
            </SimpleGrid>
            {withRate && (
              <RateFields
                amount={amount}
                onAmount={setAmount}
                currency={currency}
                onCurrency={setCurrency}
                hint={t('users.fields.rateHint')}
                errors={errors}
              />
            )}
            <Select
              label={t('users.fields.locale')}
              value={locale}
              allowDeselect={false}
              onChange={(v) => v && setLocale(v)}
              data={[
                { value: 'tenant', label: t('users.locale.tenant') },
                { value: 'en', label: t('users.locale.en') },
                { value: 'de', label: t('users.locale.de') },
              ]}
              error={errors.locale}
              w={{ base: '100%', xs: '50%' }}
            />
            {failure !== null && (
              <UsersErrorPanel error={failure} title={t('users.invite.failed')} />
            )}
            <Group justify="end">
              <Button variant="default" onClick={close}>
                {t('users.cancel')}
              </Button>
              <Button type="submit" loading={invite.isPending}>
                {t('users.invite.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
