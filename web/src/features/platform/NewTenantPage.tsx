// A new tenant (ADMIN, POST /api/tenants): name, short name (slug, suggested from the name until
// edited), contact e-mail, own domain, licence, user limit, storage quota in GB, language and time
// zone (the start of its settings). Checked here as the server checks it; the server's 409 (slug
// taken) and 422 answers land at their fields. The server creates the tenant's store before it
// answers; then the tenant's page.
import './i18n';
import {
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { ApiError } from '@/lib/api';
import { LANGUAGES } from '@/lib/i18n';
import { timeZones } from '@/lib/timeZones';
import { type LicenceType, type TenantCreate, useCreateTenant } from './api';
import {
  browserTimeZone,
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
  LicenceFields,
  suggestSlug,
} from './parts';

type Field =
  | 'name'
  | 'slug'
  | 'email'
  | 'domain'
  | 'licence_type'
  | 'max_users'
  | 'storage_quota_bytes'
  | 'locale'
  | 'time_zone';

// The server's field pointers and the form's fields.
const POINTERS: Record<string, Field> = {
  '/name': 'name',
  '/slug': 'slug',
  '/email': 'email',
  '/domain': 'domain',
  '/licence_type': 'licence_type',
  '/max_users': 'max_users',
  '/storage_quota_bytes': 'storage_quota_bytes',
  '/settings/locale': 'locale',
  '/settings/time_zone': 'time_zone',
};

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'Deutsch' };

export function NewTenantPage() {
  return (
    <RequireAdmin>
      <NewTenantForm />
    </RequireAdmin>
  );
}

function NewTenantForm() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateTenant();
  const zones = useMemo(() => timeZones(), []);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [email, setEmail] = useState('');
  const [domain, setDomain] = useState('');
  const [licence, setLicence] = useState<LicenceType>('standard');
  const [maxUsers, setMaxUsers] = useState<number | string>('');
  const [quota, setQuota] = useState<number | string>('');
  const [locale, setLocale] = useState<string>(i18n.language === 'de' ? 'de' : 'en');
  const [timeZone, setTimeZone] = useState<string>(() => {
    const zone = browserTimeZone();
    return zones.includes(zone) ? zone : 'UTC';
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const shownSlug = slugEdited ? slug : suggestSlug(name);
  const rule = (r: Rule | undefined) => (r ? t(`platform.rules.${r}`) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    const add = (f: Field, r: Rule | undefined) => {
      if (r) found[f] = rule(r);
    };
    add('name', nameRule(name));
    add('slug', shownSlug ? slugRule(shownSlug) : 'required');
    if (email.trim()) add('email', emailRule(email));
    if (domain.trim()) add('domain', domainRule(domain));
    add('max_users', maxUsersRule(maxUsers));
    add('storage_quota_bytes', quotaRule(quota));
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const body: TenantCreate = {
      name: name.trim(),
      slug: shownSlug,
      licence_type: licence,
      settings: { locale: locale as 'en' | 'de', time_zone: timeZone },
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(domain.trim() ? { domain: domain.trim().toLowerCase() } : {}),
      ...(maxUsers !== '' ? { max_users: Number(maxUsers) } : {}),
      ...(quota !== '' ? { storage_quota_bytes: gbToBytes(Number(quota)) } : {}),
    };
    try {
      const tenant = await create.mutateAsync(body);
      notifications.show({
        color: 'green',
        message: t('platform.create.done', { name: tenant.name }),
      });
      void navigate(`/platform/tenants/${tenant.id}`);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setFailure(err);
        return;
      }
      if (err.status === 409) {
        setErrors({ slug: t('platform.errors.slugTaken', { slug: shownSlug }) });
        return;
      }
      const atFields: Partial<Record<Field, string>> = {};
      for (const fe of err.problem.errors ?? []) {
        const field = POINTERS[fe.field];
        if (field) atFields[field] = fe.message;
      }
      if (Object.keys(atFields).length > 0) setErrors(atFields);
      else setFailure(err);
    }
  };

  const busy = create.isPending;
  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/platform/tenants" size="sm">
        {t('platform.back')}
      </Anchor>
      <Title order={2}>{t('platform.create.heading')}</Title>
      <Text c="dimmed" size="sm">
        {t('platform.create.intro')}
      </Text>
      <Card withBorder padding="lg">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label={t('platform.fields.name')}
                required
                value={name}
                error={errors.name}
                onChange={(e) => setName(e.currentTarget.value)}
                disabled={busy}
                data-autofocus
              />
              <TextInput
                label={t('platform.fields.slug')}
                description={t('platform.fields.slugHint')}
                required
                autoCapitalize="none"
                spellCheck={false}
                value={shownSlug}
                error={errors.slug}
                onChange={(e) => {
                  setSlugEdited(true);
                  setSlug(e.currentTarget.value);
                }}
                disabled={busy}
              />
              <TextInput
                label={t('platform.fields.email')}
                description={t('platform.fields.emailHint')}
                type="email"
                value={email}
                error={errors.email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                disabled={busy}
              />
              <TextInput
                label={t('platform.fields.domain')}
                description={t('platform.fields.domainHint')}
                autoCapitalize="none"
                spellCheck={false}
                value={domain}
                error={errors.domain}
                onChange={(e) => setDomain(e.currentTarget.value)}
                disabled={busy}
              />
            </SimpleGrid>
            <Title order={3} size="h5">
              {t('platform.licenceHeading')}
            </Title>
            <LicenceFields
              licence={licence}
              onLicence={setLicence}
              maxUsers={maxUsers}
              onMaxUsers={setMaxUsers}
              quota={quota}
              onQuota={setQuota}
              errors={errors}
              disabled={busy}
            />
            <Title order={3} size="h5">
              {t('platform.settingsHeading')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <NativeSelect
                label={t('platform.fields.language')}
                value={locale}
                onChange={(e) => setLocale(e.currentTarget.value)}
                data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] ?? l }))}
                error={errors.locale}
                disabled={busy}
              />
              <Select
                label={t('platform.fields.timeZone')}
                searchable
                limit={100}
                nothingFoundMessage={t('platform.fields.noZone')}
                value={timeZone}
                allowDeselect={false}
                onChange={(v) => setTimeZone(v ?? 'UTC')}
                data={zones}
                error={errors.time_zone}
                disabled={busy}
              />
            </SimpleGrid>
            {failure !== null && (
              <ErrorPanel error={failure} message={unreachableText(failure, t)} />
            )}
            <Group justify="end" gap="sm">
              <Button variant="default" component={Link} to="/platform/tenants">
                {t('platform.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('platform.create.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
