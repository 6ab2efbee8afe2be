// Sign-in: e-mail and password, then — when the account has a second factor — the code from the
// authenticator app (or a recovery code). Afterwards back to the page that asked for sign-in.
// New customers find the way to registration here.
import './i18n';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '@/lib/api';
import { fetchSession, useSetSession } from './session';

// Only a path of this site: "/portal/documents", never "//evil.example" or "https://…".
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setSession = useSetSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!email.trim() || !password) {
      setError(t('signIn.missing'));
      return;
    }
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/auth/login', {
          body: { email: email.trim(), password, ...(needsCode ? { totp: code.trim() } : {}) },
        }),
      );
      setSession(await fetchSession());
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === 'mfa_required') {
        if (needsCode) setError(t('signIn.badCode'));
        setNeedsCode(true);
      } else if (err instanceof ApiError && err.status === 429) {
        setError(t('signIn.rateLimited', { seconds: err.retryAfter ?? 60 }));
      } else if (err instanceof ApiError && err.problem.code === 'tenant_suspended') {
        setError(t('signIn.suspended'));
      } else if (err instanceof ApiError && err.status === 401 && needsCode) {
        // A wrong or used second factor is a plain 401 (code `unauthenticated`), not mfa_required.
        setError(t('signIn.badCode'));
      } else if (err instanceof ApiError && err.status === 401) {
        setError(t('signIn.wrong'));
      } else {
        setError(t('signIn.failed'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('signIn.title')}
            </Title>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            {!needsCode ? (
              <>
                <TextInput
                  label={t('signIn.email')}
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  data-autofocus
                />
                <PasswordInput
                  label={t('signIn.password')}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
              </>
            ) : (
              <>
                <Text size="sm">{t('signIn.codeHint')}</Text>
                <TextInput
                  label={t('signIn.code')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  autoFocus
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => setNeedsCode(false)}
                >
                  {t('signIn.back')}
                </Anchor>
              </>
            )}
            <Button type="submit" loading={busy} fullWidth>
              {needsCode ? t('signIn.verify') : t('signIn.submit')}
            </Button>
            {!needsCode && (
              <Text size="sm" ta="center">
                {t('register.noAccount')}{' '}
                <Anchor component={Link} to="/register">
                  {t('register.link')}
                </Anchor>
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
