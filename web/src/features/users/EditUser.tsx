// One user, changed: name, role, organisation (a manager, for customer users), hourly rate (a
// manager, for technicians and managers), deactivation and reactivation (confirmed: every sign-in
// of the user ends), a new invitation for an invited user, and a technician's skills. Only what
// changed is sent (PUT /api/users/:id is partial; the API keeps no versions for users).
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Divider,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import {
  type Expertise,
  hasRate,
  type Invite,
  isClientRole,
  type Role,
  ROLES_FOR,
  type Scope,
  type User,
  type UserUpdate,
  useExpertise,
  useReinvite,
  useSetExpertise,
  useUpdateUser,
} from './api';
import {
  amountOf,
  centsOf,
  InvitationLink,
  RateFields,
  UsersErrorPanel,
  UserStatusBadge,
} from './parts';

type View = 'edit' | 'deactivate' | 'reinvite' | 'link';
type Field = 'name' | 'role' | 'customer_id' | 'amount' | 'currency';
const POINTERS: Record<string, Field> = {
  '/name': 'name',
  '/role': 'role',
  '/customer_id': 'customer_id',
  '/hourly_rate': 'amount',
  '/hourly_rate/amount_cents': 'amount',
  '/hourly_rate/currency': 'currency',
};
const CURRENCY = /^[A-Z]{3}$/;

export function EditUserModal({
  user: initial,
  scope,
  self,
  customers,
  onClose,
}: {
  user: User;
  scope: Scope;
  self: boolean;
  customers: { value: string; label: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const [user, setUser] = useState(initial);
  const [view, setView] = useState<View>('edit');
  const [invite, setInvite] = useState<Invite | null>(null);
  const update = useUpdateUser(user.id);
  const reinvite = useReinvite();
  const [failure, setFailure] = useState<unknown>(null);

  const setStatus = async (status: 'active' | 'inactive') => {
    setFailure(null);
    try {
      const changed = await update.mutateAsync({ status });
      setUser(changed);
      setView('edit');
      notifications.show({
        color: 'green',
        message: t(status === 'inactive' ? 'users.edit.deactivated' : 'users.edit.reactivated', {
          name: changed.name,
        }),
      });
    } catch (err) {
      setFailure(err);
    }
  };

  const issue = async () => {
    setFailure(null);
    try {
      setInvite(await reinvite.mutateAsync(user.id));
      setView('link');
    } catch (err) {
      setFailure(err);
    }
  };

  const back = () => {
    setFailure(null);
    setView('edit');
  };

  const title =
    view === 'deactivate'
      ? t('users.edit.deactivateTitle', { name: user.name })
      : view === 'reinvite'
        ? t('users.edit.reinviteTitle', { name: user.name })
        : view === 'link'
          ? t('users.invite.doneTitle', { name: user.name })
          : t('users.edit.title', { name: user.name });

  return (
    <Modal opened onClose={onClose} title={title} size="lg" fullScreen={phone}>
      {view === 'deactivate' && (
        <Stack>
          <Text>{t('users.edit.deactivateText', { name: user.name })}</Text>
          <Text size="sm" c="dimmed">
            {t('users.edit.deactivateKeeps')}
          </Text>
          {failure !== null && <UsersErrorPanel error={failure} />}
          <Group justify="end">
            <Button variant="default" onClick={back}>
              {t('users.cancel')}
            </Button>
            <Button
              color="red"
              loading={update.isPending}
              onClick={() => void setStatus('inactive')}
            >
              {t('users.edit.deactivateYes')}
            </Button>
          </Group>
        </Stack>
      )}
      {view === 'reinvite' && (
        <Stack>
          <Text>{t('users.edit.reinviteText')}</Text>
          {failure !== null && <UsersErrorPanel error={failure} />}
          <Group justify="end">
            <Button variant="default" onClick={back}>
              {t('users.cancel')}
            </Button>
            <Button loading={reinvite.isPending} onClick={() => void issue()}>
              {t('users.edit.reinviteYes')}
            </Button>
          </Group>
        </Stack>
      )}
      {view === 'link' && invite && (
        <Stack>
          <InvitationLink invite={invite} name={user.name} />
          <Group justify="end">
            <Button onClick={onClose}>{t('users.invite.done')}</Button>
          </Group>
        </Stack>
      )}
      {view === 'edit' && (
        <Stack gap="lg">
          <UserSummary user={user} />
          <DetailsForm
            user={user}
            scope={scope}
            self={self}
            customers={customers}
            onSaved={setUser}
          />
          <Divider />
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('users.edit.access')}
            </Title>
            {failure !== null && <UsersErrorPanel error={failure} />}
            {self ? (
              <Text size="sm" c="dimmed">
                {t('users.edit.selfStatus')}
              </Text>
            ) : (
              <Group gap="sm">
                {user.status === 'invited' && (
                  <Button variant="light" onClick={() => setView('reinvite')}>
                    {t('users.edit.reinvite')}
                  </Button>
                )}
                {user.status === 'inactive' ? (
                  <Button
                    variant="light"
                    color="green"
                    loading={update.isPending}
                    onClick={() => void setStatus('active')}
                  >
                    {t('users.edit.reactivate')}
                  </Button>
                ) : (
                  <Button variant="light" color="red" onClick={() => setView('deactivate')}>
                    {t('users.edit.deactivate')}
                  </Button>
                )}
              </Group>
            )}
            {user.status === 'inactive' && (
              <Text size="sm" c="dimmed">
                {t('users.edit.inactiveNote')}
              </Text>
            )}
          </Stack>
          {scope === 'tenant' && hasRate(user.role) && (
            <>
              <Divider />
              <ExpertiseEditor userId={user.id} />
            </>
          )}
        </Stack>
      )}
    </Modal>
  );
}

function UserSummary({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="sm">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        <div>
          <Text size="xs" c="dimmed">
            {t('users.fields.email')}
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {user.email}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('users.columns.status')}
          </Text>
          <UserStatusBadge status={user.status} />
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('users.columns.lastLogin')}
          </Text>
          <Text size="sm">
            {user.last_login_at
              ? formatDateTime(user.last_login_at, i18n.language)
              : t('users.never')}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('users.columns.mfa')}
          </Text>
          <Text size="sm">{user.mfa_enabled ? t('users.mfa.on') : t('users.mfa.off')}</Text>
        </div>
      </SimpleGrid>
    </Card>
  );
}

function DetailsForm({
  user,
  scope,
  self,
  customers,
  onSaved,
}: {
  user: User;
  scope: Scope;
  self: boolean;
  customers: { value: string; label: string }[];
  onSaved: (u: User) => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateUser(user.id);
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [customerId, setCustomerId] = useState<string | null>(user.customer_id);
  const [amount, setAmount] = useState<number | string>(
    user.hourly_rate ? amountOf(user.hourly_rate.amount_cents) : '',
  );
  const [currency, setCurrency] = useState(user.hourly_rate?.currency ?? 'EUR');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const roles = ROLES_FOR[scope];
  // A role this screen cannot give (e.g. a platform admin) is shown, not offered.
  const roleOptions = (roles.includes(user.role) ? roles : [user.role, ...roles]).map((r) => ({
    value: r,
    label: t(`roles.${r}`),
    disabled: !roles.includes(r),
  }));
  const needsCustomer = scope === 'tenant' && isClientRole(role);
  const withRate = scope === 'tenant' && hasRate(role);

  // The change as the API takes it: only what differs, plus what the new role requires (a
  // customer user needs an organisation and has no rate; staff have no organisation).
  const changes = (): UserUpdate => {
    const body: UserUpdate = {};
    if (name.trim() !== user.name) body.name = name.trim();
    if (role !== user.role) body.role = role;
    if (scope === 'tenant') {
      if (isClientRole(role)) {
        if (customerId && customerId !== user.customer_id) body.customer_id = customerId;
      } else if (user.customer_id) {
        body.customer_id = null;
      }
      const rate =
        withRate && amount !== ''
          ? { amount_cents: centsOf(Number(amount)), currency: currency.trim() }
          : null;
      const current = user.hourly_rate ?? null;
      const same =
        rate === null
          ? current === null
          : current !== null &&
            current.amount_cents === rate.amount_cents &&
            current.currency === rate.currency;
      if (!same && (rate !== null || 'hourly_rate' in user)) body.hourly_rate = rate;
    }
    return body;
  };
  const dirty = Object.keys(changes()).length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (update.isPending) return;
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = t('users.validation.required');
    if (needsCustomer && !customerId) found.customer_id = t('users.validation.customer');
    if (withRate && amount !== '' && Number(amount) < 0)
      found.amount = t('users.validation.amount');
    if (withRate && amount !== '' && !CURRENCY.test(currency.trim()))
      found.currency = t('users.validation.currency');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = changes();
    if (Object.keys(body).length === 0) return;
    try {
      const saved = await update.mutateAsync(body);
      onSaved(saved);
      notifications.show({ color: 'green', message: t('users.edit.saved', { name: saved.name }) });
    } catch (err) {
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
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            label={t('users.fields.name')}
            required
            value={name}
            maxLength={200}
            error={errors.name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Select
            label={t('users.fields.role')}
            value={role}
            allowDeselect={false}
            onChange={(v) => v && setRole(v as Role)}
            data={roleOptions}
            disabled={self || !roles.includes(user.role)}
            description={self ? t('users.edit.selfRole') : undefined}
            error={errors.role}
          />
        </SimpleGrid>
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
        {withRate && (
          <RateFields
            amount={amount}
            onAmount={setAmount}
            currency={currency}
            onCurrency={setCurrency}
            hint={t('users.fields.rateEditHint')}
            errors={errors}
          />
        )}
        {role !== user.role && isClientRole(role) !== isClientRole(user.role) && (
          <Alert color="blue" variant="light">
            {isClientRole(role) ? t('users.edit.toCustomer') : t('users.edit.toStaff')}
          </Alert>
        )}
        {failure !== null && <UsersErrorPanel error={failure} title={t('users.edit.failed')} />}
        <Group justify="end">
          <Button type="submit" loading={update.isPending} disabled={!dirty}>
            {t('users.edit.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface Row {
  key: number;
  skill: string;
  level: string;
}
const LEVELS = ['1', '2', '3', '4', '5'];
const MAX_SKILLS = 50;

// A technician's skills, replaced as a whole (PUT /api/users/:id/expertise).
function ExpertiseEditor({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const query = useExpertise(userId, true);
  if (query.isError) return <UsersErrorPanel error={query.error} />;
  if (!query.data) return <Skeleton h={80} aria-label={t('common.loading')} />;
  return <ExpertiseForm userId={userId} saved={query.data} />;
}

// The rows start from the skills first loaded; `saved` follows the server (for what changed).
function ExpertiseForm({ userId, saved: savedList }: { userId: string; saved: Expertise[] }) {
  const { t } = useTranslation();
  const save = useSetExpertise(userId);
  const rowsOf = (list: Expertise[], first: number): Row[] =>
    list.map((e, i) => ({ key: first + i, skill: e.skill, level: String(e.level) }));
  const [rows, setRows] = useState<Row[]>(() => rowsOf(savedList, 0));
  // Row keys are never reused, so React keeps each input with its row.
  const next = useRef(savedList.length);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const toRows = (list: Expertise[]) => {
    const first = next.current;
    next.current += list.length;
    return rowsOf(list, first);
  };

  const stored = JSON.stringify(savedList.map((e) => [e.skill, e.level]));
  const current = JSON.stringify(rows.map((r) => [r.skill.trim(), Number(r.level)]));
  const dirty = stored !== current;

  const change = (key: number, patch: Partial<Row>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = async () => {
    setFailure(null);
    const found: Record<string, string> = {};
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const skill = r.skill.trim();
      if (!skill) found[`/${i}/skill`] = t('users.validation.required');
      else if (new TextEncoder().encode(skill).length > 60)
        found[`/${i}/skill`] = t('users.validation.skillLong');
      else if (seen.has(skill.toLowerCase()))
        found[`/${i}/skill`] = t('users.validation.skillTwice');
      seen.add(skill.toLowerCase());
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const saved = await save.mutateAsync(
        rows.map((r) => ({ skill: r.skill.trim(), level: Number(r.level) })),
      );
      setRows(toRows(saved));
      notifications.show({ color: 'green', message: t('users.expertise.saved') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const atFields: Record<string, string> = {};
        for (const f of err.problem.errors ?? [])
          if (f.field !== '/') atFields[f.field] = f.message;
        setErrors(atFields);
        if (Object.keys(atFields).length > 0) return;
      }
      setFailure(err);
    }
  };

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('users.expertise.heading')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('users.expertise.intro')}
      </Text>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('users.expertise.none')}
        </Text>
      )}
      {rows.map((r, i) => (
        <Group key={r.key} align="start" gap="xs" wrap="nowrap">
          <TextInput
            label={t('users.expertise.skill', { n: i + 1 })}
            value={r.skill}
            maxLength={60}
            onChange={(e) => change(r.key, { skill: e.currentTarget.value })}
            error={errors[`/${i}/skill`]}
            style={{ flex: 1 }}
          />
          <Select
            label={t('users.expertise.level', { n: i + 1 })}
            value={r.level}
            allowDeselect={false}
            onChange={(v) => v && change(r.key, { level: v })}
            data={LEVELS.map((l) => ({ value: l, label: t(`users.expertise.levels.${l}`) }))}
            error={errors[`/${i}/level`]}
            w={150}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={26}
            size="lg"
            onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
            aria-label={t('users.expertise.remove', { skill: r.skill || i + 1 })}
          >
            <span aria-hidden>✕</span>
          </ActionIcon>
        </Group>
      ))}
      {failure !== null && <UsersErrorPanel error={failure} title={t('users.expertise.failed')} />}
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={rows.length >= MAX_SKILLS}
          onClick={() => setRows([...rows, { key: next.current++, skill: '', level: '3' }])}
        >
          {t('users.expertise.add')}
        </Button>
        <Button onClick={() => void submit()} loading={save.isPending} disabled={!dirty}>
          {t('users.expertise.save')}
        </Button>
      </Group>
    </Stack>
  );
}
