// One tenant (ADMIN): its details and its licence and quotas, each edited on its own (PUT
// /api/tenants/{id} with only the changed fields; an emptied optional field is sent as null, which
// clears it); suspension and reactivation behind a dialog that says what they do; the seats in use
// against the user limit; its settings at a glance; and its recent activity from its audit log.
// The API reports no storage in use, so none is shown.
import './i18n';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession } from '@/features/auth/session';
import { ApiError, type Schemas } from '@/lib/api';
import { formatDate, formatDateTime } from '@/lib/format';
import {
  type LicenceType,
  type Tenant,
  type TenantUpdate,
  useSeats,
  useTenant,
  useTenantActivity,
  useTenantPeople,
  useUpdateTenant,
} from './api';
import {
  bytesToGb,
  domainRule,
  emailRule,
  gbToBytes,
  maxUsersRule,
  nameRule,
  quotaRule,
  unreachableText,
  RequireAdmin,
  type Rule,
  slugRule,
  TenantStatusBadge,
  LicenceFields,
  useLimits,
} from './parts';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'Deutsch' };

export function TenantPage() {
  return (
    <RequireAdmin>
      <TenantDetail />
    </RequireAdmin>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Title order={3} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function TenantDetail() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const query = useTenant(id);
  const [confirming, setConfirming] = useState(false);

  if (query.isError) throw query.error;
  const tenant = query.data;
  if (!tenant)
    return (
      <Stack aria-busy="true" aria-label={t('common.loading')} maw={860}>
        <Skeleton h={32} w={280} />
        <Skeleton h={180} />
        <Skeleton h={180} />
      </Stack>
    );

  const suspended = tenant.status === 'suspended';
  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/platform/tenants" size="sm">
        {t('platform.back')}
      </Anchor>
      <Group justify="space-between" align="start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm" wrap="wrap">
            <Title order={2}>{tenant.name}</Title>
            <TenantStatusBadge status={tenant.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t('platform.detail.subtitle', {
              slug: tenant.slug,
              date: formatDate(tenant.created_at, i18n.language),
            })}
          </Text>
        </Stack>
        <Button
          color={suspended ? 'green' : 'red'}
          variant={suspended ? 'filled' : 'light'}
          onClick={() => setConfirming(true)}
        >
          {suspended ? t('platform.suspend.reactivate') : t('platform.suspend.suspend')}
        </Button>
      </Group>
      {suspended && (
        <Alert color="red" variant="light">
          {t('platform.suspend.isSuspended')}
        </Alert>
      )}
      <StatusDialog tenant={tenant} opened={confirming} onClose={() => setConfirming(false)} />
      <Details key={`d-${tenant.updated_at}`} tenant={tenant} />
      <Licence key={`l-${tenant.updated_at}`} tenant={tenant} />
      <SettingsGlance tenant={tenant} />
      <Activity tenant={tenant} />
    </Stack>
  );
}

// Suspending (or reactivating) after saying what it means.
function StatusDialog({
  tenant,
  opened,
  onClose,
}: {
  tenant: Tenant;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateTenant(tenant.id);
  const suspend = tenant.status === 'active';
  const run = async () => {
    try {
      const changed = await update.mutateAsync({ status: suspend ? 'suspended' : 'active' });
      notifications.show({
        color: suspend ? 'orange' : 'green',
        message: t(suspend ? 'platform.suspend.done' : 'platform.suspend.reactivated', {
          name: changed.name,
        }),
      });
      onClose();
    } catch {
      // shown in the dialog
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={() => {
        update.reset();
        onClose();
      }}
      title={
        suspend
          ? t('platform.suspend.title', { name: tenant.name })
          : t('platform.suspend.reactivateTitle', { name: tenant.name })
      }
    >
      <Stack gap="md">
        {suspend ? (
          <>
            <Text size="sm">{t('platform.suspend.explain')}</Text>
            <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: '1.2rem' }}>
              <Text size="sm" component="li">
                {t('platform.suspend.effectSignIn')}
              </Text>
              <Text size="sm" component="li">
                {t('platform.suspend.effectSessions')}
              </Text>
              <Text size="sm" component="li">
                {t('platform.suspend.effectRegister')}
              </Text>
              <Text size="sm" component="li">
                {t('platform.suspend.effectData')}
              </Text>
            </Stack>
          </>
        ) : (
          <Text size="sm">{t('platform.suspend.reactivateExplain')}</Text>
        )}
        {update.isError && (
          <ErrorPanel error={update.error} message={unreachableText(update.error, t)} />
        )}
        <Group justify="end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            {t('platform.cancel')}
          </Button>
          <Button
            color={suspend ? 'red' : 'green'}
            loading={update.isPending}
            onClick={() => void run()}
          >
            {suspend ? t('platform.suspend.confirm') : t('platform.suspend.confirmReactivate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type DetailField = 'name' | 'slug' | 'email' | 'domain';
type LicenceField = 'licence_type' | 'max_users' | 'storage_quota_bytes';

// A failed PUT: field errors at their fields, a taken slug at the slug, anything else above the
// buttons with the request id.
function useSaveErrors<F extends string>(fields: readonly F[]) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const fail = (err: unknown, slug?: string) => {
    if (
      err instanceof ApiError &&
      err.status === 409 &&
      (fields as readonly string[]).includes('slug')
    ) {
      setErrors({ slug: t('platform.errors.slugTaken', { slug }) } as Partial<Record<F, string>>);
      return;
    }
    if (err instanceof ApiError && err.status === 422) {
      const found: Partial<Record<F, string>> = {};
      for (const fe of err.problem.errors ?? []) {
        const f = fe.field.replace(/^\//, '') as F;
        if (fields.includes(f)) found[f] = fe.message;
      }
      if (Object.keys(found).length > 0) {
        setErrors(found);
        return;
      }
    }
    setFailure(err);
  };
  return { errors, setErrors, failure, setFailure, fail };
}

function SaveBar({ busy, dirty, failure }: { busy: boolean; dirty: boolean; failure: unknown }) {
  const { t } = useTranslation();
  return (
    <>
      {failure !== null && <ErrorPanel error={failure} message={unreachableText(failure, t)} />}
      <Group justify="end">
        <Button type="submit" loading={busy} disabled={!dirty}>
          {t('platform.detail.save')}
        </Button>
      </Group>
    </>
  );
}

function Details({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const update = useUpdateTenant(tenant.id);
  const [name, setName] = useState(tenant.name);
  const [slug, setSlug] = useState(tenant.slug);
  const [email, setEmail] = useState(tenant.email ?? '');
  const [domain, setDomain] = useState(tenant.domain ?? '');
  const { errors, setErrors, failure, setFailure, fail } = useSaveErrors<DetailField>([
    'name',
    'slug',
    'email',
    'domain',
  ]);
  const rule = (r: Rule | undefined) => (r ? t(`platform.rules.${r}`) : undefined);

  const body: TenantUpdate = {};
  if (name.trim() !== tenant.name) body.name = name.trim();
  if (slug.trim() !== tenant.slug) body.slug = slug.trim();
  if (email.trim() !== (tenant.email ?? '')) body.email = email.trim() || null;
  if (domain.trim().toLowerCase() !== (tenant.domain ?? ''))
    body.domain = domain.trim().toLowerCase() || null;
  const dirty = Object.keys(body).length > 0;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty || update.isPending) return;
    setFailure(null);
    const found: Partial<Record<DetailField, string>> = {};
    const add = (f: DetailField, r: Rule | undefined) => {
      if (r) found[f] = rule(r);
    };
    add('name', nameRule(name));
    add('slug', slugRule(slug.trim()));
    if (email.trim()) add('email', emailRule(email));
    if (domain.trim()) add('domain', domainRule(domain));
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await update.mutateAsync(body);
      notifications.show({ color: 'green', message: t('platform.detail.saved') });
    } catch (err) {
      fail(err, slug.trim());
    }
  };

  return (
    <Section title={t('platform.detail.details')}>
      <form onSubmit={(e) => void save(e)} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label={t('platform.fields.name')}
              required
              value={name}
              error={errors.name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <TextInput
              label={t('platform.fields.slug')}
              description={t('platform.fields.slugChangeHint')}
              required
              autoCapitalize="none"
              spellCheck={false}
              value={slug}
              error={errors.slug}
              onChange={(e) => setSlug(e.currentTarget.value)}
            />
            <TextInput
              label={t('platform.fields.email')}
              description={t('platform.fields.emptyClears')}
              type="email"
              value={email}
              error={errors.email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <TextInput
              label={t('platform.fields.domain')}
              description={t('platform.fields.emptyClears')}
              autoCapitalize="none"
              spellCheck={false}
              value={domain}
              error={errors.domain}
              onChange={(e) => setDomain(e.currentTarget.value)}
            />
          </SimpleGrid>
          <SaveBar busy={update.isPending} dirty={dirty} failure={failure} />
        </Stack>
      </form>
    </Section>
  );
}

function Licence({ tenant }: { tenant: Tenant }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateTenant(tenant.id);
  const seats = useSeats(tenant.id);
  const limits = useLimits();
  const initialQuota =
    tenant.storage_quota_bytes === null ? '' : bytesToGb(tenant.storage_quota_bytes);
  const [licence, setLicence] = useState<LicenceType>(tenant.licence_type);
  const [maxUsers, setMaxUsers] = useState<number | string>(tenant.max_users ?? '');
  const [quota, setQuota] = useState<number | string>(initialQuota);
  const { errors, setErrors, failure, setFailure, fail } = useSaveErrors<LicenceField>([
    'licence_type',
    'max_users',
    'storage_quota_bytes',
  ]);

  const body: TenantUpdate = {};
  if (licence !== tenant.licence_type) body.licence_type = licence;
  if (String(maxUsers) !== String(tenant.max_users ?? ''))
    body.max_users = maxUsers === '' ? null : Number(maxUsers);
  if (String(quota) !== String(initialQuota))
    body.storage_quota_bytes = quota === '' ? null : gbToBytes(Number(quota));
  const dirty = Object.keys(body).length > 0;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty || update.isPending) return;
    setFailure(null);
    const found: Partial<Record<LicenceField, string>> = {};
    const u = maxUsersRule(maxUsers);
    if (u) found.max_users = t(`platform.rules.${u}`);
    const q = quotaRule(quota);
    if (q) found.storage_quota_bytes = t(`platform.rules.${q}`);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await update.mutateAsync(body);
      notifications.show({ color: 'green', message: t('platform.detail.saved') });
    } catch (err) {
      fail(err);
    }
  };

  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Section title={t('platform.licenceHeading')}>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Figure label={t('platform.detail.seats')}>
          {seats.data
            ? tenant.max_users === null
              ? t('platform.detail.seatsUnlimited', { used: number.format(seats.data.total) })
              : t('platform.detail.seatsOf', {
                  used: number.format(seats.data.total),
                  max: number.format(tenant.max_users),
                })
            : seats.isError
              ? '—'
              : t('common.loading')}
        </Figure>
        {seats.data && (
          <Figure label={t('platform.detail.seatsSplit')}>
            {t('platform.detail.seatsDetail', {
              active: number.format(seats.data.active),
              invited: number.format(seats.data.invited),
            })}
          </Figure>
        )}
        <Figure label={t('platform.detail.storageQuota')}>
          {limits.storage(tenant.storage_quota_bytes)}
        </Figure>
      </SimpleGrid>
      {seats.data && tenant.max_users !== null && seats.data.total >= tenant.max_users && (
        <Alert color="orange" variant="light">
          {t('platform.detail.seatsFull')}
        </Alert>
      )}
      <form onSubmit={(e) => void save(e)} noValidate>
        <Stack gap="md">
          <LicenceFields
            licence={licence}
            onLicence={setLicence}
            maxUsers={maxUsers}
            onMaxUsers={setMaxUsers}
            quota={quota}
            onQuota={setQuota}
            errors={errors}
          />
          <SaveBar busy={update.isPending} dirty={dirty} failure={failure} />
        </Stack>
      </form>
    </Section>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function SettingsGlance({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const s = tenant.settings;
  const yesNo = (v: boolean) => (
    <Badge variant="light" color={v ? 'green' : 'gray'} tt="none">
      {v ? t('platform.yes') : t('platform.no')}
    </Badge>
  );
  return (
    <Section title={t('platform.settingsHeading')}>
      <Text size="sm" c="dimmed">
        {t('platform.detail.settingsNote')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Figure label={t('platform.fields.language')}>
          {LANGUAGE_NAMES[s.locale] ?? s.locale}
        </Figure>
        <Figure label={t('platform.fields.timeZone')}>{s.time_zone}</Figure>
        <Figure label={t('platform.detail.selfRegistration')}>{yesNo(s.self_registration)}</Figure>
        <Figure label={t('platform.detail.mfaForStaff')}>{yesNo(s.mfa_required_for_staff)}</Figure>
        <Figure label={t('platform.detail.productName')}>{s.branding.product_name}</Figure>
        <Figure label={t('platform.detail.registrationDomains')}>
          {s.registration_domains.length > 0
            ? s.registration_domains.map((d) => d.domain).join(', ')
            : '—'}
        </Figure>
      </SimpleGrid>
    </Section>
  );
}

type AuditEntry = Schemas['AuditEntry'];

function Activity({ tenant }: { tenant: Tenant }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const activity = useTenantActivity(tenant.id);
  const people = useTenantPeople(tenant.id);

  const actor = (e: AuditEntry) => {
    if (!e.actor_id) return t('platform.activity.system');
    if (e.actor_id === session?.user.id) return t('platform.activity.you');
    return e.actor_name ?? people.data?.get(e.actor_id) ?? t('platform.activity.someone');
  };
  const describe = (e: AuditEntry) => {
    const label = t(`platform.activity.actions.${e.action.replace('.', '_')}`, {
      defaultValue: e.action,
    });
    const fields = (e.details as { fields?: unknown } | undefined)?.fields;
    if (Array.isArray(fields) && fields.length > 0)
      return `${label}: ${fields
        .map((f) => t(`platform.activity.fields.${String(f)}`, { defaultValue: String(f) }))
        .join(', ')}`;
    return label;
  };

  return (
    <Section title={t('platform.activity.heading')}>
      {activity.isPending && <Skeleton h={80} />}
      {activity.isError && (
        <ErrorPanel error={activity.error} message={unreachableText(activity.error, t)} />
      )}
      {activity.data && activity.data.data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('platform.activity.empty')}
        </Text>
      )}
      {activity.data && activity.data.data.length > 0 && (
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {activity.data.data.map((e) => (
            <Group key={e.id} component="li" justify="space-between" wrap="wrap" gap="xs">
              <Text size="sm">
                <Text span fw={500}>
                  {describe(e)}
                </Text>{' '}
                <Text span c="dimmed">
                  {t('platform.activity.by', { actor: actor(e) })}
                </Text>
              </Text>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(e.at, i18n.language)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}
