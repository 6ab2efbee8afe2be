// Branding: the product name, primary and accent colours and the logo, with a live preview that
// wears the theme the app would build from them (a nested MantineProvider scoped to the preview)
// and a warning when the primary colour's shades fall below WCAG AA against white. Saving writes
// the changed branding keys and reloads the session, so the whole app re-themes at once.
import './i18n';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  ColorInput,
  Grid,
  Group,
  Image,
  MantineProvider,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { themeFor } from '@/lib/theme';
import { type Branding, DEFAULT_BRANDING, useSession } from '@/features/auth/session';
import { AA_NORMAL, brandShades, HEX, primaryContrast } from './contrast';
import { type TenantSettings, useSaveSettings, useSettings } from './api';
import { fieldErrorsOf, ForManager, utf8Length } from './parts';

const SWATCHES = [
  '#1c7ed6',
  '#1864ab',
  '#0b7285',
  '#2b8a3e',
  '#5f3dc4',
  '#a61e4d',
  '#c92a2a',
  '#d9480f',
  '#f59f00',
  '#212529',
];
// Mirrors the server: https:// or a same-origin path, no spaces, quotes, brackets or backslashes.
const LOGO_URL = /^(https:\/\/[^/\s"'`<>\\][^\s"'`<>\\]*|\/([^/\s"'`<>\\][^\s"'`<>\\]*)?)$/;
const PREVIEW_ID = 'kontor-branding-preview';

export function BrandingPage() {
  return (
    <ForManager>
      <Branded />
    </ForManager>
  );
}

function Branded() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const tenant = session!.tenant!.id;
  const settings = useSettings(tenant);
  return (
    <Stack>
      <div>
        <Title order={2}>{t('admin.branding.heading')}</Title>
        <Text size="sm" c="dimmed">
          {t('admin.branding.intro')}
        </Text>
      </div>
      {settings.isError && <ErrorPanel error={settings.error} />}
      {settings.isPending && <Skeleton h={320} aria-label={t('common.loading')} />}
      {settings.data && (
        <BrandingForm
          key={JSON.stringify(settings.data.branding)}
          saved={settings.data.branding}
          tenant={tenant}
        />
      )}
    </Stack>
  );
}

type Field = 'product_name' | 'primary_color' | 'accent_color' | 'logo_url';
const FIELDS: Field[] = ['product_name', 'primary_color', 'accent_color', 'logo_url'];

function BrandingForm({ saved, tenant }: { saved: TenantSettings['branding']; tenant: string }) {
  const { t } = useTranslation();
  const save = useSaveSettings(tenant);
  const [name, setName] = useState(saved.product_name);
  const [primary, setPrimary] = useState(saved.primary_color);
  const [accent, setAccent] = useState(saved.accent_color);
  const [logo, setLogo] = useState(saved.logo_url ?? '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);

  // The preview follows every keystroke; a colour still being typed keeps the last whole one.
  const lastPrimary = useLastWholeColor(primary, saved.primary_color);
  const lastAccent = useLastWholeColor(accent, saved.accent_color);
  const preview: Branding = {
    product_name: name.trim() || saved.product_name,
    primary_color: lastPrimary,
    accent_color: lastAccent,
    logo_url: LOGO_URL.test(logo.trim()) ? logo.trim() : null,
  };

  const draft = {
    product_name: name.trim(),
    primary_color: primary.trim().toLowerCase(),
    accent_color: accent.trim().toLowerCase(),
    logo_url: logo.trim() === '' ? null : logo.trim(),
  };
  const changed = FIELDS.filter((f) => draft[f] !== saved[f]);

  const reset = () => {
    setName(saved.product_name);
    setPrimary(saved.primary_color);
    setAccent(saved.accent_color);
    setLogo(saved.logo_url ?? '');
    setErrors({});
    setFailure(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    if (!draft.product_name) found.product_name = t('admin.validation.required');
    else if (utf8Length(draft.product_name) > 60) found.product_name = t('admin.branding.nameLong');
    if (!HEX.test(draft.primary_color)) found.primary_color = t('admin.branding.colorFormat');
    if (!HEX.test(draft.accent_color)) found.accent_color = t('admin.branding.colorFormat');
    if (draft.logo_url !== null && (!LOGO_URL.test(draft.logo_url) || draft.logo_url.length > 500))
      found.logo_url = t('admin.branding.logoFormat');
    setErrors(found);
    if (Object.keys(found).length > 0 || changed.length === 0) return;
    const branding = Object.fromEntries(changed.map((f) => [f, draft[f]]));
    try {
      await save.mutateAsync({ branding });
      notifications.show({ color: 'green', message: t('admin.branding.saved') });
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) {
        const atFields: Partial<Record<Field, string>> = {};
        for (const f of FIELDS)
          if (fields[`/branding/${f}`]) atFields[f] = fields[`/branding/${f}`];
        setErrors(atFields);
        if (Object.keys(atFields).length > 0) return;
      }
      setFailure(err);
    }
  };

  return (
    // On a phone the preview comes first, so it stays near the fields while typing.
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 6 }} order={{ base: 2, md: 1 }}>
        <Card withBorder padding="md">
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Stack>
              <TextInput
                label={t('admin.branding.productName')}
                description={t('admin.branding.productNameHint')}
                required
                value={name}
                maxLength={60}
                error={errors.product_name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <ColorInput
                label={t('admin.branding.primary')}
                description={t('admin.branding.primaryHint')}
                format="hex"
                swatches={SWATCHES}
                swatchesPerRow={10}
                value={primary}
                onChange={setPrimary}
                error={errors.primary_color}
                closeOnColorSwatchClick
              />
              <ContrastNote primary={lastPrimary} />
              <ColorInput
                label={t('admin.branding.accent')}
                description={t('admin.branding.accentHint')}
                format="hex"
                swatches={SWATCHES}
                swatchesPerRow={10}
                value={accent}
                onChange={setAccent}
                error={errors.accent_color}
                closeOnColorSwatchClick
              />
              <TextInput
                label={t('admin.branding.logo')}
                description={t('admin.branding.logoHint')}
                placeholder="https://…"
                value={logo}
                maxLength={500}
                error={errors.logo_url}
                onChange={(e) => setLogo(e.currentTarget.value)}
              />
              <LogoCheck key={preview.logo_url} url={preview.logo_url} />
              {failure !== null && (
                <ErrorPanel error={failure} title={t('admin.branding.failed')} />
              )}
              <Group justify="end">
                <Button variant="default" onClick={reset} disabled={changed.length === 0}>
                  {t('admin.branding.reset')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={changed.length === 0}>
                  {t('admin.branding.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }} order={{ base: 1, md: 2 }}>
        <LivePreview branding={preview} />
      </Grid.Col>
    </Grid>
  );
}

// The colour typed when it is a whole hex colour, else the last whole one (at first the saved one).
function useLastWholeColor(typed: string, saved: string) {
  const whole = HEX.test(typed) ? typed.toLowerCase() : null;
  const [last, setLast] = useState(saved.toLowerCase());
  if (whole !== null && whole !== last) setLast(whole);
  return whole ?? last;
}

// Which shade buttons and links will use and how legible it is: the colour itself when it meets
// WCAG AA against white, else the darker shade of its palette the theme takes instead.
function ContrastNote({ primary }: { primary: string }) {
  const { t, i18n } = useTranslation();
  const { shade, ratio, own, darker } = useMemo(() => primaryContrast(primary), [primary]);
  const format = (n: number) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(n);
  if (ratio < AA_NORMAL)
    return (
      <Alert color="orange" title={t('admin.branding.contrastTitle')} data-testid="contrast">
        <Text size="sm">{t('admin.branding.contrastLow', { shade, ratio: format(ratio) })}</Text>
      </Alert>
    );
  return (
    <Group gap="xs" wrap="nowrap" data-testid="contrast">
      <Box w={16} h={16} bg={shade} style={{ borderRadius: 4, flex: 'none' }} aria-hidden />
      <Text size="xs" c="dimmed">
        {darker
          ? t('admin.branding.contrastDarker', { shade, ratio: format(ratio), own: format(own) })
          : t('admin.branding.contrastOk', { ratio: format(ratio) })}
      </Text>
    </Group>
  );
}

// The logo as the browser loads it: a broken address is said at once, not after saving. Keyed by
// the address, so a new one starts loading afresh.
function LogoCheck({ url }: { url: string | null }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'loading' | 'ok' | 'broken'>('loading');
  if (!url) return null;
  return (
    <Group gap="sm" align="center">
      <Card withBorder padding={6} bg="gray.0">
        <Image
          src={url}
          alt={t('admin.branding.logoAlt')}
          h={40}
          w="auto"
          maw={160}
          fit="contain"
          onLoad={() => setState('ok')}
          onError={() => setState('broken')}
          style={state === 'broken' ? { display: 'none' } : undefined}
        />
        {state === 'broken' && (
          <Text size="xs" c="dimmed" px={4}>
            {t('admin.branding.noLogo')}
          </Text>
        )}
      </Card>
      {state === 'broken' && (
        <Text size="sm" c="orange.8" role="status">
          {t('admin.branding.logoBroken')}
        </Text>
      )}
    </Group>
  );
}

// The app in miniature, themed from the draft: header with logo and name, a primary button, a
// badge in the accent colour and a link. Its own MantineProvider writes the theme's variables to
// the preview's element only, so the page around it keeps the saved theme.
function LivePreview({ branding }: { branding: Branding }) {
  const { t } = useTranslation();
  // The theme depends on the colours only: typing a name or a logo address does not rebuild it.
  const { primary_color, accent_color } = branding;
  const theme = useMemo(
    () => themeFor({ ...DEFAULT_BRANDING, primary_color, accent_color }),
    [primary_color, accent_color],
  );
  const ref = useRef<HTMLDivElement>(null);
  // The address that failed to load; another address is tried again.
  const [brokenLogo, setBrokenLogo] = useState<string | null>(null);
  const logoBroken = branding.logo_url !== null && branding.logo_url === brokenLogo;
  const shades = brandShades(branding.primary_color);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4" id="branding-preview-title">
        {t('admin.branding.preview')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.branding.previewHint')}
      </Text>
      <MantineProvider
        theme={theme}
        cssVariablesSelector={`#${PREVIEW_ID}`}
        getRootElement={() => ref.current ?? undefined}
        withGlobalClasses={false}
        forceColorScheme="light"
        env={import.meta.env.MODE === 'test' ? 'test' : 'default'}
      >
        <Card
          withBorder
          padding={0}
          id={PREVIEW_ID}
          ref={ref}
          data-mantine-color-scheme="light"
          role="region"
          aria-labelledby="branding-preview-title"
          data-primary-shade={shades.filled}
          data-title-shade={shades.title}
        >
          <Group
            px="md"
            h={52}
            gap="sm"
            wrap="nowrap"
            style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
          >
            {branding.logo_url && !logoBroken && (
              <Image
                src={branding.logo_url}
                alt=""
                h={28}
                w="auto"
                onError={() => setBrokenLogo(branding.logo_url)}
              />
            )}
            <Text
              fw={700}
              size="lg"
              c="var(--mantine-primary-color-filled)"
              data-testid="preview-name"
              truncate
            >
              {branding.product_name}
            </Text>
          </Group>
          <Stack p="md" gap="sm" align="start">
            <Text size="sm">{t('admin.branding.sampleText')}</Text>
            <Group gap="sm">
              <Button data-testid="preview-button">{t('admin.branding.sampleButton')}</Button>
              <Button variant="light">{t('admin.branding.sampleSecondary')}</Button>
            </Group>
            <Group gap="sm">
              <Badge color="accent" data-testid="preview-badge">
                {t('admin.branding.sampleBadge')}
              </Badge>
              <Badge variant="light">{t('admin.branding.sampleStatus')}</Badge>
            </Group>
            <Anchor href="#" onClick={(e) => e.preventDefault()} data-testid="preview-link">
              {t('admin.branding.sampleLink')}
            </Anchor>
          </Stack>
        </Card>
      </MantineProvider>
    </Stack>
  );
}
