// Settings: the tenant's language and time zone, the case rate limit, self-registration with its
// domains, security and desk switches, the tenant's names for ticket statuses, upload limits and
// feature flags. Saving sends only what changed (the API merges branding, features, labels and
// uploads one level deep and replaces the domain list), then reloads the session, which carries
// labels and flags to every screen.
import './i18n';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession } from '@/features/auth/session';
import { timeZones } from '@/lib/timeZones';
import {
  type SettingsPatch,
  STATUSES,
  type TenantSettings,
  type TicketStatus,
  useCustomers,
  useSaveSettings,
  useSettings,
} from './api';
import { type FieldErrors, fieldErrorsOf, ForManager, UnplacedFields, utf8Length } from './parts';

const MIB = 1024 * 1024;
const FLAG = /^[a-z][a-z0-9_]{0,39}$/;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}$/;
const DOMAIN =
  /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function SettingsPage() {
  return (
    <ForManager>
      <Settings />
    </ForManager>
  );
}

function Settings() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const tenant = session!.tenant!.id;
  const settings = useSettings(tenant);
  return (
    <Stack>
      <div>
        <Title order={2}>{t('admin.settings.heading')}</Title>
        <Text size="sm" c="dimmed">
          {t('admin.settings.intro')}
        </Text>
      </div>
      {settings.isError && <ErrorPanel error={settings.error} />}
      {settings.isPending && <Skeleton h={480} aria-label={t('common.loading')} />}
      {settings.data && (
        <SettingsForm key={JSON.stringify(settings.data)} saved={settings.data} tenant={tenant} />
      )}
    </Stack>
  );
}

// The form's copy of the settings (branding is the branding screen's).
interface Draft {
  locale: 'en' | 'de';
  time_zone: string;
  case_rate_limit_per_hour: number | string;
  self_registration: boolean;
  registration_domains: { key: number; domain: string; customer_id: string | null }[];
  mfa_required_for_staff: boolean;
  experts_see_all_tickets: boolean;
  auto_assign: boolean;
  features: { name: string; on: boolean }[];
  status_labels: Record<TicketStatus, string>;
  max_file_bytes: number;
  blocked_types: string[];
}

let rowKey = 0;
function draftOf(s: TenantSettings): Draft {
  return {
    locale: s.locale,
    time_zone: s.time_zone,
    case_rate_limit_per_hour: s.case_rate_limit_per_hour,
    self_registration: s.self_registration,
    registration_domains: s.registration_domains.map((d) => ({ key: rowKey++, ...d })),
    mfa_required_for_staff: s.mfa_required_for_staff,
    experts_see_all_tickets: s.experts_see_all_tickets,
    auto_assign: s.auto_assign,
    features: Object.entries(s.features)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, on]) => ({ name, on })),
    status_labels: Object.fromEntries(
      STATUSES.map((st) => [st, s.status_labels[st] ?? '']),
    ) as Record<TicketStatus, string>,
    max_file_bytes: s.uploads.max_file_bytes ?? 25 * MIB,
    blocked_types: s.uploads.blocked_types ?? [],
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// What differs from the saved settings, as the API's partial PUT takes it.
function patchOf(saved: TenantSettings, d: Draft): SettingsPatch {
  const patch: SettingsPatch = {};
  if (d.locale !== saved.locale) patch.locale = d.locale;
  if (d.time_zone !== saved.time_zone) patch.time_zone = d.time_zone;
  if (Number(d.case_rate_limit_per_hour) !== saved.case_rate_limit_per_hour)
    patch.case_rate_limit_per_hour = Number(d.case_rate_limit_per_hour);
  for (const key of [
    'self_registration',
    'mfa_required_for_staff',
    'experts_see_all_tickets',
    'auto_assign',
  ] as const)
    if (d[key] !== saved[key]) patch[key] = d[key];
  const domains = d.registration_domains.map((r) => ({
    domain: r.domain.trim().toLowerCase(),
    customer_id: r.customer_id ?? '',
  }));
  const before = saved.registration_domains.map((r) => ({
    domain: r.domain,
    customer_id: r.customer_id,
  }));
  if (!same(domains, before)) patch.registration_domains = domains;

  const features: Record<string, boolean | null> = {};
  for (const f of d.features) if (saved.features[f.name] !== f.on) features[f.name] = f.on;
  for (const name of Object.keys(saved.features))
    if (!d.features.some((f) => f.name === name)) features[name] = null;
  if (Object.keys(features).length > 0) patch.features = features;

  const labels: Record<string, string | null> = {};
  for (const st of STATUSES) {
    const value = d.status_labels[st].trim();
    const before = saved.status_labels[st] ?? '';
    if (value !== before) labels[st] = value === '' ? null : value;
  }
  if (Object.keys(labels).length > 0) patch.status_labels = labels;

  const uploads: SettingsPatch['uploads'] = {};
  if (d.max_file_bytes !== saved.uploads.max_file_bytes) uploads.max_file_bytes = d.max_file_bytes;
  if (!same(d.blocked_types, saved.uploads.blocked_types ?? []))
    uploads.blocked_types = d.blocked_types;
  if (Object.keys(uploads).length > 0) patch.uploads = uploads;
  return patch;
}

function validate(d: Draft, t: (k: string, o?: Record<string, unknown>) => string): FieldErrors {
  const errors: FieldErrors = {};
  const rate = Number(d.case_rate_limit_per_hour);
  if (d.case_rate_limit_per_hour === '' || !Number.isInteger(rate) || rate < 1 || rate > 1000)
    errors['/case_rate_limit_per_hour'] = t('admin.settings.rateRange');
  if (!d.time_zone) errors['/time_zone'] = t('admin.validation.required');
  const seen = new Set<string>();
  d.registration_domains.forEach((r, i) => {
    const domain = r.domain.trim().toLowerCase();
    if (!DOMAIN.test(domain) || !domain.includes('.'))
      errors[`/registration_domains/${i}/domain`] = t('admin.settings.domainFormat');
    else if (seen.has(domain))
      errors[`/registration_domains/${i}/domain`] = t('admin.settings.domainTwice');
    seen.add(domain);
    if (!r.customer_id)
      errors[`/registration_domains/${i}/customer_id`] = t('admin.settings.domainCustomer');
  });
  for (const st of STATUSES)
    if (utf8Length(d.status_labels[st].trim()) > 40)
      errors[`/status_labels/${st}`] = t('admin.settings.labelLong');
  if (d.max_file_bytes < 1024 || d.max_file_bytes > 1024 * MIB)
    errors['/uploads/max_file_bytes'] = t('admin.settings.sizeRange');
  const bad = d.blocked_types.filter((x) => !MEDIA_TYPE.test(x));
  if (bad.length > 0)
    errors['/uploads/blocked_types'] = t('admin.settings.typeFormat', { types: bad.join(', ') });
  return errors;
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            {title}
          </Title>
          {hint && (
            <Text size="sm" c="dimmed">
              {hint}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

function SettingsForm({ saved, tenant }: { saved: TenantSettings; tenant: string }) {
  const { t } = useTranslation();
  const save = useSaveSettings(tenant);
  const customers = useCustomers();
  const [d, setD] = useState<Draft>(() => draftOf(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<{ field: string; message: string }[]>([]);
  const [newFlag, setNewFlag] = useState('');
  const [flagError, setFlagError] = useState<string | null>(null);
  const patch = useMemo(() => patchOf(saved, d), [saved, d]);
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setD((p) => ({ ...p, [key]: value }));
  const customerOptions = (customers.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const zones = useMemo(() => timeZones(saved.time_zone), [saved.time_zone]);

  const addFlag = () => {
    const name = newFlag.trim();
    if (!FLAG.test(name)) return setFlagError(t('admin.settings.flagFormat'));
    if (d.features.some((f) => f.name === name)) return setFlagError(t('admin.settings.flagTwice'));
    if (d.features.length >= 50) return setFlagError(t('admin.settings.flagMax'));
    setFlagError(null);
    setNewFlag('');
    set('features', [...d.features, { name, on: true }]);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending || !dirty) return;
    setFailure(null);
    setUnplaced([]);
    const found = validate(d, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await save.mutateAsync(patch);
      notifications.show({ color: 'green', message: t('admin.settings.saved') });
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) {
        setErrors(fields);
        const shown = (p: string) =>
          p.startsWith('/uploads/blocked_types') ||
          p.startsWith('/features') ||
          [
            '/locale',
            '/time_zone',
            '/case_rate_limit_per_hour',
            '/uploads/max_file_bytes',
            ...STATUSES.map((s) => `/status_labels/${s}`),
          ].includes(p) ||
          /^\/registration_domains\/\d+\/(domain|customer_id)$/.test(p);
        setUnplaced(
          Object.entries(fields)
            .filter(([p]) => !shown(p))
            .map(([field, message]) => ({ field, message })),
        );
      }
      setFailure(err);
    }
  };

  const blockedError =
    errors['/uploads/blocked_types'] ??
    Object.entries(errors)
      .filter(([p]) => p.startsWith('/uploads/blocked_types/'))
      .map(([p, m]) => `${d.blocked_types[Number(p.split('/').pop())] ?? ''}: ${m}`)
      .join('; ');
  const featuresError = errors['/features'];

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Section title={t('admin.settings.general')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('admin.settings.locale')}
              description={t('admin.settings.localeHint')}
              value={d.locale}
              allowDeselect={false}
              onChange={(v) => v && set('locale', v as Draft['locale'])}
              data={[
                { value: 'en', label: t('admin.languages.en') },
                { value: 'de', label: t('admin.languages.de') },
              ]}
              error={errors['/locale']}
            />
            <Select
              label={t('admin.settings.timeZone')}
              description={t('admin.settings.timeZoneHint')}
              value={d.time_zone}
              searchable
              allowDeselect={false}
              onChange={(v) => v && set('time_zone', v)}
              data={zones}
              limit={100}
              nothingFoundMessage={t('admin.settings.noZone')}
              error={errors['/time_zone']}
            />
            <NumberInput
              label={t('admin.settings.rateLimit')}
              description={t('admin.settings.rateLimitHint')}
              value={d.case_rate_limit_per_hour}
              onChange={(v) => set('case_rate_limit_per_hour', v)}
              min={1}
              max={1000}
              allowDecimal={false}
              error={errors['/case_rate_limit_per_hour']}
            />
          </SimpleGrid>
        </Section>

        <Section
          title={t('admin.settings.registration')}
          hint={t('admin.settings.registrationHint')}
        >
          <Switch
            label={t('admin.settings.selfRegistration')}
            description={t('admin.settings.selfRegistrationHint')}
            checked={d.self_registration}
            onChange={(e) => set('self_registration', e.currentTarget.checked)}
          />
          {d.registration_domains.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('admin.settings.noDomains')}
            </Text>
          )}
          {d.registration_domains.map((r, i) => (
            <Group key={r.key} align="start" gap="xs" wrap="nowrap">
              <SimpleGrid cols={{ base: 1, xs: 2 }} style={{ flex: 1 }} spacing="xs">
                <TextInput
                  label={t('admin.settings.domain', { n: i + 1 })}
                  placeholder="acme.example"
                  value={r.domain}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    set(
                      'registration_domains',
                      d.registration_domains.map((x) =>
                        x.key === r.key ? { ...x, domain: v } : x,
                      ),
                    );
                  }}
                  error={errors[`/registration_domains/${i}/domain`]}
                />
                <Select
                  label={t('admin.settings.domainJoins', { n: i + 1 })}
                  placeholder={t('admin.settings.chooseCustomer')}
                  searchable
                  value={r.customer_id}
                  onChange={(v) =>
                    set(
                      'registration_domains',
                      d.registration_domains.map((x) =>
                        x.key === r.key ? { ...x, customer_id: v } : x,
                      ),
                    )
                  }
                  data={
                    r.customer_id && !customerOptions.some((c) => c.value === r.customer_id)
                      ? [...customerOptions, { value: r.customer_id, label: r.customer_id }]
                      : customerOptions
                  }
                  nothingFoundMessage={t('admin.noCustomer')}
                  error={errors[`/registration_domains/${i}/customer_id`]}
                />
              </SimpleGrid>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                mt={26}
                aria-label={t('admin.settings.removeDomain', { domain: r.domain || i + 1 })}
                onClick={() =>
                  set(
                    'registration_domains',
                    d.registration_domains.filter((x) => x.key !== r.key),
                  )
                }
              >
                <span aria-hidden>✕</span>
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              size="xs"
              disabled={d.registration_domains.length >= 50}
              onClick={() =>
                set('registration_domains', [
                  ...d.registration_domains,
                  { key: rowKey++, domain: '', customer_id: null },
                ])
              }
            >
              {t('admin.settings.addDomain')}
            </Button>
          </Group>
        </Section>

        <Section title={t('admin.settings.desk')}>
          <Switch
            label={t('admin.settings.mfa')}
            description={t('admin.settings.mfaHint')}
            checked={d.mfa_required_for_staff}
            onChange={(e) => set('mfa_required_for_staff', e.currentTarget.checked)}
          />
          <Switch
            label={t('admin.settings.expertsSeeAll')}
            description={t('admin.settings.expertsSeeAllHint')}
            checked={d.experts_see_all_tickets}
            onChange={(e) => set('experts_see_all_tickets', e.currentTarget.checked)}
          />
          <Switch
            label={t('admin.settings.autoAssign')}
            description={t('admin.settings.autoAssignHint')}
            checked={d.auto_assign}
            onChange={(e) => set('auto_assign', e.currentTarget.checked)}
          />
        </Section>

        <Section title={t('admin.settings.labels')} hint={t('admin.settings.labelsHint')}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {STATUSES.map((st) => (
              <TextInput
                key={st}
                label={t(`cases.status.${st}`)}
                placeholder={t(`cases.status.${st}`)}
                value={d.status_labels[st]}
                maxLength={40}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setD((p) => ({ ...p, status_labels: { ...p.status_labels, [st]: v } }));
                }}
                error={errors[`/status_labels/${st}`]}
              />
            ))}
          </SimpleGrid>
        </Section>

        <Section title={t('admin.settings.uploads')} hint={t('admin.settings.uploadsHint')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t('admin.settings.maxSize')}
              description={t('admin.settings.maxSizeHint')}
              value={Math.round((d.max_file_bytes / MIB) * 100) / 100}
              onChange={(v) => set('max_file_bytes', Math.round(Number(v || 0) * MIB))}
              min={0.01}
              max={1024}
              decimalScale={2}
              suffix=" MB"
              error={errors['/uploads/max_file_bytes']}
            />
            <TagsInput
              label={t('admin.settings.blocked')}
              description={t('admin.settings.blockedHint')}
              placeholder={t('admin.settings.blockedPlaceholder')}
              value={d.blocked_types}
              onChange={(v) =>
                set(
                  'blocked_types',
                  v.map((x) => x.trim().toLowerCase()),
                )
              }
              maxTags={100}
              clearable
              splitChars={[',', ' ']}
              error={blockedError || undefined}
            />
          </SimpleGrid>
        </Section>

        <Section title={t('admin.settings.features')} hint={t('admin.settings.featuresHint')}>
          {d.features.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('admin.settings.noFlags')}
            </Text>
          )}
          {d.features.map((f) => (
            <Group key={f.name} justify="space-between" wrap="nowrap">
              <Switch
                label={<code>{f.name}</code>}
                aria-label={f.name}
                checked={f.on}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  set(
                    'features',
                    d.features.map((x) => (x.name === f.name ? { ...x, on } : x)),
                  );
                }}
                error={errors[`/features/${f.name}`]}
              />
              <Button
                variant="subtle"
                color="red"
                size="xs"
                aria-label={t('admin.settings.removeFlag', { name: f.name })}
                onClick={() =>
                  set(
                    'features',
                    d.features.filter((x) => x.name !== f.name),
                  )
                }
              >
                {t('admin.settings.remove')}
              </Button>
            </Group>
          ))}
          {featuresError && (
            <Text size="sm" c="red">
              {featuresError}
            </Text>
          )}
          <Group align="start" gap="xs">
            <TextInput
              label={t('admin.settings.newFlag')}
              description={t('admin.settings.newFlagHint')}
              value={newFlag}
              onChange={(e) => setNewFlag(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addFlag();
                }
              }}
              error={flagError}
              maxLength={40}
              w={{ base: '100%', xs: 280 }}
            />
            <Button variant="default" mt={{ base: 0, xs: 50 }} onClick={addFlag}>
              {t('admin.settings.addFlag')}
            </Button>
          </Group>
        </Section>

        {failure !== null && (
          <ErrorPanel error={failure} title={t('admin.settings.failed')}>
            <UnplacedFields fields={unplaced} />
          </ErrorPanel>
        )}
        {Object.keys(errors).length > 0 && failure === null && (
          <Alert color="red" role="alert">
            {t('admin.fixFields')}
          </Alert>
        )}
        <Card withBorder padding="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {dirty ? t('admin.unsaved') : t('admin.noChanges')}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={!dirty}
                onClick={() => {
                  setD(draftOf(saved));
                  setErrors({});
                  setFailure(null);
                }}
              >
                {t('admin.discard')}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!dirty}>
                {t('admin.save')}
              </Button>
            </Group>
          </Group>
        </Card>
      </Stack>
    </form>
  );
}
