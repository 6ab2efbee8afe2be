// Account and security, for every signed-in role: the own profile (name; the language is switched
// in the header), the password (every other sign-in ends when it changes) and the second factor —
// set up with a QR code or the key typed by hand, confirmed with a code from the app, recovery
// codes shown once; turned off with the password. When the tenant requires a second factor for
// staff and this user has none, the server refuses everything but /api/auth/* until they set one
// up: the page says so first and puts the second factor at the top.
import './i18n';
import {
  Alert,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Image,
  List,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { brandingOf, type SessionStatus, useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import {
  groupSecret,
  type MfaSetup,
  qrDataUrl,
  useChangePassword,
  useConfirmMfa,
  useDisableMfa,
  useReloadSession,
  useRename,
  useStartMfa,
} from './api';
import { passwordProblem, passwordProblemOf } from '@/lib/password';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'Deutsch' };
const encoder = new TextEncoder();

// A titled card that is a landmark of its own (role region, named by its heading).
function Section({
  title,
  children,
  badge,
}: {
  title: string;
  children: ReactNode;
  badge?: ReactNode;
}) {
  const id = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={id}>
            {title}
          </Title>
          {badge}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

// A problem no field explains (ErrorPanel); no answer at all means the server was not reached.
function ProblemPanel({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <ErrorPanel
      error={error}
      message={error instanceof ApiError ? undefined : t('account.errors.network')}
    />
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  if (!session) return null;
  const required = session.mfa_enrolment_required;
  return (
    <Stack maw={760}>
      <Title order={2}>{t('account.heading')}</Title>
      {required && (
        <Alert color="orange" title={t('account.enrolment.title')} role="alert">
          {t('account.enrolment.text')}
        </Alert>
      )}
      {required && <SecondFactor session={session} />}
      <Profile session={session} />
      <Password session={session} />
      {!required && <SecondFactor session={session} />}
    </Stack>
  );
}

function Profile({ session }: { session: SessionStatus }) {
  const { t, i18n } = useTranslation();
  const rename = useRename(session.user.id);
  const [name, setName] = useState(session.user.name);
  const [error, setError] = useState<string | undefined>();
  const locale = session.user.locale;
  const tenantLocale = session.tenant?.locale;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = name.trim();
    setError(undefined);
    if (!value) return setError(t('account.profile.nameRequired'));
    if (encoder.encode(value).length > 200) return setError(t('account.profile.nameTooLong'));
    if ([...value].some((c) => c < ' ' || c === '\u007f'))
      return setError(t('account.profile.nameControl'));
    try {
      const user = await rename.mutateAsync(value);
      setName(user.name);
      notifications.show({ color: 'green', message: t('account.profile.saved') });
    } catch (err) {
      if (err instanceof ApiError && err.fieldError('/name')) setError(err.fieldError('/name'));
    }
  };

  return (
    <Section title={t('account.profile.heading')}>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs">
        <Field label={t('account.profile.email')} value={session.user.email} />
        <Field label={t('account.profile.role')} value={t(`roles.${session.role}`)} />
        {session.tenant && <Field label={t('account.profile.desk')} value={session.tenant.name} />}
        <Field
          label={t('account.profile.language')}
          value={
            locale
              ? (LANGUAGE_NAMES[locale] ?? locale)
              : session.tenant
                ? t('account.profile.deskLanguage', {
                    language: LANGUAGE_NAMES[tenantLocale ?? ''] ?? LANGUAGE_NAMES[i18n.language],
                  })
                : t('account.profile.deviceLanguage', { language: LANGUAGE_NAMES[i18n.language] })
          }
          hint={t('account.profile.languageHint')}
        />
        {session.user.last_login_at && (
          <Field
            label={t('account.profile.lastSignIn')}
            value={formatDateTime(session.user.last_login_at, i18n.language)}
          />
        )}
      </SimpleGrid>
      <form onSubmit={(e) => void save(e)} noValidate>
        <Group align="end" wrap="wrap" gap="sm">
          <TextInput
            label={t('account.profile.name')}
            autoComplete="name"
            required
            value={name}
            error={error}
            onChange={(e) => setName(e.currentTarget.value)}
            disabled={rename.isPending}
            w={{ base: '100%', xs: 340 }}
          />
          <Button
            type="submit"
            variant="light"
            loading={rename.isPending}
            disabled={name.trim() === session.user.name}
          >
            {t('account.profile.save')}
          </Button>
        </Group>
      </form>
      {rename.isError && !error && <ProblemPanel error={rename.error} />}
    </Section>
  );
}

function Field({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

type PasswordField = 'current' | 'next' | 'repeat';

function Password({ session }: { session: SessionStatus }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const rule = (p: ReturnType<typeof passwordProblem>) =>
    p ? t(`account.password.problem.${p}`, { min: 12, max: 256 }) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (change.isPending) return;
    setFailure(null);
    const found: Partial<Record<PasswordField, string>> = {};
    if (!current) found.current = t('account.password.currentRequired');
    const p = passwordProblem(next, session.user.email);
    if (p) found.next = rule(p);
    else if (repeat !== next) found.repeat = t('account.password.repeatDiffers');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await change.mutateAsync({ current_password: current, new_password: next });
    } catch (err) {
      if (err instanceof ApiError && err.fieldError('/current_password')) {
        setErrors({ current: t('account.password.currentWrong') });
      } else if (err instanceof ApiError && err.fieldError('/new_password')) {
        const message = err.fieldError('/new_password')!;
        setErrors({ next: rule(passwordProblemOf(message)) ?? message });
      } else {
        setFailure(err);
      }
      return;
    }
    setCurrent('');
    setNext('');
    setRepeat('');
    setErrors({});
    notifications.show({ color: 'green', message: t('account.password.changed') });
  };

  return (
    <Section title={t('account.password.heading')}>
      <Text size="sm" c="dimmed">
        {t('account.password.note')}
      </Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm" maw={420}>
          {/* For password managers: the account the new password belongs to. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={session.user.email}
            readOnly
            hidden
          />
          <PasswordInput
            label={t('account.password.current')}
            autoComplete="current-password"
            required
            value={current}
            error={errors.current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            disabled={change.isPending}
          />
          <PasswordInput
            label={t('account.password.next')}
            description={t('account.password.rules')}
            autoComplete="new-password"
            required
            value={next}
            error={errors.next}
            onChange={(e) => setNext(e.currentTarget.value)}
            disabled={change.isPending}
          />
          <PasswordInput
            label={t('account.password.repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            error={errors.repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            disabled={change.isPending}
          />
          <ProblemPanel error={failure} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('account.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function SecondFactor({ session }: { session: SessionStatus }) {
  const { t } = useTranslation();
  const enabled = session.user.mfa_enabled;
  const start = useStartMfa();
  const reload = useReloadSession();
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  // Shown once, right after enrolment; gone when the user says they kept them or leaves.
  const [codes, setCodes] = useState<string[] | null>(null);
  const [disabling, setDisabling] = useState(false);

  const begin = async () => {
    try {
      setSetup(await start.mutateAsync());
    } catch (err) {
      // Enabled meanwhile (another tab): the session says so after reading it again.
      if (err instanceof ApiError && err.status === 409) {
        setSetup(null);
        void reload();
      }
    }
  };

  const badge = (
    <Badge color={enabled ? 'green' : 'gray'} variant="light" tt="none">
      {enabled ? t('account.mfa.on') : t('account.mfa.off')}
    </Badge>
  );

  return (
    <Section title={t('account.mfa.heading')} badge={badge}>
      {codes ? (
        <RecoveryCodes codes={codes} session={session} onDone={() => setCodes(null)} />
      ) : setup ? (
        <Enrol
          setup={setup}
          email={session.user.email}
          onCancel={() => setSetup(null)}
          onEnabled={(c) => {
            setSetup(null);
            setCodes(c);
          }}
          onRestart={() => void begin()}
        />
      ) : enabled ? (
        disabling ? (
          <Disable onDone={() => setDisabling(false)} />
        ) : (
          <Stack gap="sm" align="start">
            <Text size="sm">{t('account.mfa.enabledText')}</Text>
            <Button variant="default" color="red" onClick={() => setDisabling(true)}>
              {t('account.mfa.turnOff')}
            </Button>
          </Stack>
        )
      ) : (
        <Stack gap="sm" align="start">
          <Text size="sm">{t('account.mfa.disabledText')}</Text>
          <Button onClick={() => void begin()} loading={start.isPending}>
            {t('account.mfa.setUp')}
          </Button>
          {start.isError && !(start.error instanceof ApiError && start.error.status === 409) && (
            <ProblemPanel error={start.error} />
          )}
        </Stack>
      )}
    </Section>
  );
}

function Enrol({
  setup,
  email,
  onCancel,
  onEnabled,
  onRestart,
}: {
  setup: MfaSetup;
  email: string;
  onCancel: () => void;
  onEnabled: (codes: string[]) => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const confirm = useConfirmMfa();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const grouped = groupSecret(setup.secret);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (confirm.isPending) return;
    setFailure(null);
    const value = code.replace(/\s/g, '');
    if (!/^[0-9]{6}$/.test(value)) return setError(t('account.mfa.codeFormat'));
    setError(undefined);
    try {
      const result = await confirm.mutateAsync(value);
      onEnabled(result.recovery_codes);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        setError(t('account.mfa.codeWrong'));
      } else if (err instanceof ApiError && err.status === 409) {
        setFailure(null);
        setError(t('account.mfa.restart'));
        setCode('');
        onRestart();
      } else {
        setFailure(err);
      }
    }
  };

  return (
    <Stack gap="md">
      <List type="ordered" spacing="md">
        <List.Item>
          <Stack gap="xs">
            <Text size="sm">{t('account.mfa.step1')}</Text>
            <Image
              src={qrDataUrl(setup.qr_svg)}
              alt={t('account.mfa.qrAlt')}
              w={200}
              h={200}
              fit="contain"
              radius="sm"
              style={{ border: '1px solid var(--mantine-color-gray-3)' }}
            />
          </Stack>
        </List.Item>
        <List.Item>
          <Stack gap="xs">
            <Text size="sm">{t('account.mfa.step2', { email })}</Text>
            <Group align="end" gap="xs" wrap="wrap">
              {/* A text area, so the key wraps on a narrow screen instead of scrolling away. */}
              <Textarea
                label={t('account.mfa.secret')}
                description={t('account.mfa.secretHint')}
                readOnly
                autosize
                minRows={1}
                value={grouped}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                w={{ base: '100%', xs: 380 }}
                onFocus={(e) => e.currentTarget.select()}
              />
              <CopyButton value={setup.secret}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>
                    {copied ? t('account.copied') : t('account.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </List.Item>
        <List.Item>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Stack gap="xs">
              <Text size="sm">{t('account.mfa.step3')}</Text>
              <TextInput
                label={t('account.mfa.code')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                required
                value={code}
                error={error}
                onChange={(e) => setCode(e.currentTarget.value)}
                disabled={confirm.isPending}
                w={{ base: '100%', xs: 200 }}
              />
              <ProblemPanel error={failure} />
              <Group gap="sm">
                <Button type="submit" loading={confirm.isPending}>
                  {t('account.mfa.confirm')}
                </Button>
                <Button variant="default" onClick={onCancel} disabled={confirm.isPending}>
                  {t('account.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        </List.Item>
      </List>
    </Stack>
  );
}

function RecoveryCodes({
  codes,
  session,
  onDone,
}: {
  codes: string[];
  session: SessionStatus;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const product = brandingOf(session).product_name;
  const text = [
    t('account.codes.fileTitle', { product, email: session.user.email }),
    t('account.codes.fileNote'),
    '',
    ...codes,
    '',
  ].join('\n');

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'recovery-codes.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Stack gap="md">
      <Alert color="green" role="status" title={t('account.codes.enabled')}>
        {t('account.codes.intro')}
      </Alert>
      <SimpleGrid
        cols={{ base: 1, xs: 2 }}
        spacing="xs"
        component="ul"
        aria-label={t('account.codes.heading')}
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {codes.map((c) => (
          <Text key={c} component="li" ff="monospace" size="md">
            {c}
          </Text>
        ))}
      </SimpleGrid>
      <Group gap="sm">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('account.copied') : t('account.codes.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={download}>
          {t('account.codes.download')}
        </Button>
        <Button onClick={onDone}>{t('account.codes.done')}</Button>
      </Group>
    </Stack>
  );
}

function Disable({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const disable = useDisableMfa();
  const reload = useReloadSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (disable.isPending) return;
    setFailure(null);
    if (!password) return setError(t('account.mfa.passwordRequired'));
    setError(undefined);
    try {
      await disable.mutateAsync(password);
    } catch (err) {
      if (err instanceof ApiError && err.fieldError('/password'))
        setError(t('account.mfa.passwordWrong'));
      else if (err instanceof ApiError && err.status === 409) {
        void reload();
        onDone();
      } else setFailure(err);
      return;
    }
    notifications.show({ color: 'green', message: t('account.mfa.turnedOff') });
    onDone();
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm" maw={420}>
        <Text size="sm">{t('account.mfa.turnOffText')}</Text>
        <PasswordInput
          label={t('account.mfa.password')}
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          error={error}
          onChange={(e) => setPassword(e.currentTarget.value)}
          disabled={disable.isPending}
        />
        <ProblemPanel error={failure} />
        <Group gap="sm">
          <Button type="submit" color="red" loading={disable.isPending}>
            {t('account.mfa.turnOffConfirm')}
          </Button>
          <Button variant="default" onClick={onDone} disabled={disable.isPending}>
            {t('account.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
