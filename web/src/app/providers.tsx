import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo } from 'react';
import { I18nextProvider } from 'react-i18next';
import { brandingOf, SESSION_KEY, useSession } from '@/features/auth/session';
import { ApiError, onSessionExpired } from '@/lib/api';
import i18n, { chooseLanguage, setLanguage } from '@/lib/i18n';
import { themeFor } from '@/lib/theme';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers are final; network trouble and 5xx get two more tries.
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

// Branding and language follow the session: the tenant's colours, the user's language.
function Branded({ children }: { children: ReactNode }) {
  const { data: session } = useSession();
  const client = useQueryClient();
  const branding = brandingOf(session);
  const { primary_color, accent_color } = branding;
  const theme = useMemo(
    () => themeFor({ primary_color, accent_color }),
    [primary_color, accent_color],
  );
  useEffect(() => {
    if (session) setLanguage(chooseLanguage(session.user.locale, session.tenant?.locale));
  }, [session]);
  useEffect(() => {
    document.title = branding.product_name;
  }, [branding.product_name]);
  useEffect(() => {
    // An expired session (refresh failed): forget it; the guarded routes send the user to sign-in.
    onSessionExpired(() => client.setQueryData(SESSION_KEY, null));
  }, [client]);
  return (
    // env="test" (under Vitest): no transitions and no portals, so screen tests see dropdowns.
    <MantineProvider theme={theme} env={import.meta.env.MODE === 'test' ? 'test' : 'default'}>
      <Notifications position="top-right" />
      {children}
    </MantineProvider>
  );
}

export function AppProviders({ children, client }: { children: ReactNode; client: QueryClient }) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <Branded>{children}</Branded>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
