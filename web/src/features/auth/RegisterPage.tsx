// Registration, open without a session. With ?invite=<token> (the link in an invitation e-mail):
// the invited person chooses their password (and may correct their name); the token names the
// account. Without: self-registration at a service desk that allows it, for e-mail addresses of
// the domains it maps to its customers (POST /api/auth/register either way). The answer is a
// sign-in: the session goes into the ['session'] query and the person lands on their start page.
// Someone already signed in is sent there straight away.
import './i18n';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, type Schemas, unwrap } from '@/lib/api';
import { LANGUAGES } from '@/lib/i18n';
import { passwordProblem, passwordProblemOf } from '@/lib/password';
import { fetchSession, useSession, useSetSession } from './session';

type Field = 'tenant' | 'name' | 'email' | 'password' | 'repeat';
type Errors = Partial<Record<Field, string>>;

const encoder = new TextEncoder();
const MAX_NAME_BYTES = 200;

// identity::normalize_email: one '@' not at the start, a dot after it, not ending in a dot, no
// spaces or control characters, at most 254 characters.
export function looksLikeEmail(value: string): boolean {
  const v = value.trim();
  const at = v.indexOf('@');
  return (
    v.length <= 254 &&
    at > 0 &&
    at === v.lastIndexOf('@') &&
    v.indexOf('.', at) !== -1 &&
    !v.endsWith('.') &&
    ![...v].some((c) => c <= ' ' || c === '\u007f')
  );
}

// The user service's name rule: not blank, at most 200 bytes, no control characters.
function nameProblem(
  name: string,
  required: boolean,
): 'required' | 'tooLong' | 'control' | undefined {
  if (name.trim() === '') return required ? 'required' : undefined;
  if (encoder.encode(name).length > MAX_NAME_BYTES) return 'tooLong';
  if ([...name].some((c) => c < ' ' || c === '\u007f')) return 'control';
  return undefined;
}

export function RegisterPage() {
  const { t } = useTranslation();
  const { data: session, isPending } = useSession();
  if (isPending)
    return (
      <Center mih="100vh" aria-busy="true">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (session) return <Navigate to="/" replace />;
  return <RegisterForm />;
}

function RegisterForm() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setSession = useSetSession();
  const invite = params.get('invite')?.trim() || null;
  const [tenant, setTenant] = useState(params.get('desk') ?? '');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<{ text: string; signIn?: boolean; requestId?: string } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);

  const passwordText = (p: ReturnType<typeof passwordProblem>) =>
    p ? t(`register.password.${p}`, { min: 12, max: 256 }) : undefined;

  const validate = (): Errors => {
    const found: Errors = {};
    if (!invite) {
      if (!tenant.trim()) found.tenant = t('register.errors.tenantRequired');
      if (!email.trim()) found.email = t('register.errors.emailRequired');
      else if (!looksLikeEmail(email)) found.email = t('register.errors.emailInvalid');
    }
    const n = nameProblem(name, !invite);
    if (n) found.name = t(`register.errors.name.${n}`);
    const p = passwordProblem(password, invite ? '' : email);
    if (p) found.password = passwordText(p);
    if (!found.password && repeat !== password) found.repeat = t('register.errors.repeat');
    return found;
  };

  // 422: the server's field errors at their fields, in our words where we know the rule.
  const fieldErrors = (err: ApiError): Errors => {
    const found: Errors = {};
    const at = (pointer: string) => err.fieldError(pointer);
    const tenantError = at('/tenant');
    if (tenantError) found.tenant = tenantError;
    const emailError = at('/email');
    if (emailError)
      found.email = emailError.includes('domain')
        ? t('register.errors.domain')
        : t('register.errors.emailInvalid');
    const nameError = at('/name');
    if (nameError) found.name = nameError;
    const passwordError = at('/password');
    if (passwordError)
      found.password = passwordText(passwordProblemOf(passwordError)) ?? passwordError;
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const locale = (LANGUAGES as readonly string[]).includes(i18n.language)
      ? (i18n.language as 'en' | 'de')
      : undefined;
    const body: Schemas['RegisterRequest'] = invite
      ? { invite_token: invite, password, ...(name.trim() ? { name: name.trim() } : {}) }
      : {
          tenant: tenant.trim().toLowerCase(),
          name: name.trim(),
          email: email.trim(),
          password,
          ...(locale ? { locale } : {}),
        };
    setBusy(true);
    try {
      await unwrap(api.POST('/api/auth/register', { body }));
      setSession(await fetchSession());
      void navigate('/', { replace: true });
    } catch (err) {
      setBusy(false);
      if (!(err instanceof ApiError)) {
        setError({ text: t('register.errors.network') });
        return;
      }
      if (err.status === 429) {
        const seconds = err.retryAfter ?? 60;
        setError({
          text:
            seconds < 120
              ? t('register.errors.rateLimitedSeconds', { count: seconds })
              : t('register.errors.rateLimitedMinutes', { count: Math.ceil(seconds / 60) }),
        });
      } else if (err.problem.code === 'tenant_suspended') {
        setError({ text: t('register.errors.suspended') });
      } else if (err.status === 403) {
        setError({ text: t('register.errors.closed') });
      } else if (err.status === 404) {
        if (invite) setError({ text: t('register.errors.inviteUnknown'), signIn: true });
        else setErrors({ tenant: t('register.errors.tenantUnknown') });
      } else if (err.status === 409 && err.problem.code === 'quota_exceeded') {
        setError({ text: t('register.errors.full') });
      } else if (err.status === 409) {
        setErrors({ email: t('register.errors.taken') });
        setError({ text: t('register.errors.takenHint'), signIn: true });
      } else if (err.status === 422 && Object.keys(fieldErrors(err)).length > 0) {
        setErrors(fieldErrors(err));
      } else {
        setError({ text: err.message, requestId: err.problem.request_id });
      }
      return;
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {invite ? t('register.inviteTitle') : t('register.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {invite ? t('register.inviteIntro') : t('register.intro')}
            </Text>
            {error && (
              <Alert color="red" role="alert">
                <Stack gap={4}>
                  <Text size="sm">{error.text}</Text>
                  {error.requestId && (
                    <Text size="xs">{t('register.requestId', { id: error.requestId })}</Text>
                  )}
                  {error.signIn && (
                    <Anchor component={Link} to="/sign-in" size="sm">
                      {t('register.signInInstead')}
                    </Anchor>
                  )}
                </Stack>
              </Alert>
            )}
            {!invite && (
              <TextInput
                label={t('register.tenant')}
                description={t('register.tenantHint')}
                required
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                value={tenant}
                error={errors.tenant}
                onChange={(e) => setTenant(e.currentTarget.value)}
                disabled={busy}
                data-autofocus
              />
            )}
            <TextInput
              label={t('register.name')}
              description={invite ? t('register.nameInviteHint') : undefined}
              required={!invite}
              autoComplete="name"
              value={name}
              error={errors.name}
              onChange={(e) => setName(e.currentTarget.value)}
              disabled={busy}
            />
            {!invite && (
              <TextInput
                label={t('register.email')}
                description={t('register.emailHint')}
                type="email"
                required
                autoComplete="email"
                value={email}
                error={errors.email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                disabled={busy}
              />
            )}
            <PasswordInput
              label={t('register.passwordLabel')}
              description={t('register.passwordHint')}
              required
              autoComplete="new-password"
              value={password}
              error={errors.password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              disabled={busy}
            />
            <PasswordInput
              label={t('register.repeat')}
              required
              autoComplete="new-password"
              value={repeat}
              error={errors.repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              disabled={busy}
            />
            <Button type="submit" loading={busy} fullWidth>
              {invite ? t('register.submitInvite') : t('register.submit')}
            </Button>
            <Text size="sm" ta="center">
              {t('register.haveAccount')}{' '}
              <Anchor component={Link} to="/sign-in">
                {t('register.signIn')}
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
