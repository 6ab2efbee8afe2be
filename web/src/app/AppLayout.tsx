// The frame around every signed-in screen: the tenant's logo and product name, navigation for the
// user's role (a drawer on phones), the language switch and the user menu with sign-out.
import {
  AppShell,
  Burger,
  Group,
  Image,
  Menu,
  NavLink,
  SegmentedControl,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, useLocation, useNavigate } from 'react-router';
import {
  brandingOf,
  markSignedOut,
  type Role,
  SESSION_KEY,
  useSession,
} from '@/features/auth/session';
import { api, unwrap } from '@/lib/api';
import { type Language, LANGUAGES, setLanguage } from '@/lib/i18n';

interface NavItem {
  to: string;
  label: string;
  group?: string;
}

// The navigation for a role. Which screens a role may open is the server's decision; this only
// offers the ones it will answer.
function navItems(role: Role, t: TFunction): NavItem[] {
  switch (role) {
    case 'CLIENT':
      return [
        { to: '/portal/cases', label: t('nav.cases') },
        { to: '/portal/documents', label: t('nav.documents') },
      ];
    case 'CUSTOMER_ADMIN':
      return [
        { to: '/portal/cases', label: t('nav.cases') },
        { to: '/portal/documents', label: t('nav.documents') },
        { to: '/portal/users', label: t('nav.portalUsers') },
      ];
    case 'EXPERT':
      return [
        { to: '/desk', label: t('nav.queue') },
        { to: '/customers', label: t('nav.customers') },
      ];
    case 'MANAGER':
      return [
        { to: '/desk', label: t('nav.queue') },
        { to: '/customers', label: t('nav.customers') },
        { to: '/admin/users', label: t('nav.users'), group: t('nav.admin') },
        { to: '/admin/sla', label: t('nav.sla'), group: t('nav.admin') },
        { to: '/admin/settings', label: t('nav.settings'), group: t('nav.admin') },
        { to: '/admin/branding', label: t('nav.branding'), group: t('nav.admin') },
        { to: '/admin/audit', label: t('nav.audit'), group: t('nav.admin') },
      ];
    case 'ADMIN':
      return [{ to: '/platform/tenants', label: t('nav.tenants') }];
  }
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { data: session } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  if (!session) return null;
  const branding = brandingOf(session);

  const items = navItems(session.role, t);

  // The choice is the user's own language from now on: saved to their account (the server keeps
  // it for every device and for e-mails), and on this device for the sign-in page.
  const changeLanguage = async (lang: Language) => {
    setLanguage(lang, true);
    try {
      const user = await unwrap(
        api.PUT('/api/users/{id}', {
          params: { path: { id: session.user.id } },
          body: { locale: lang },
        }),
      );
      client.setQueryData(SESSION_KEY, { ...session, user });
    } catch {
      // Kept on this device only; the next sign-in may bring back the account's language.
    }
  };

  // The guard then sends to sign-in without remembering this page for the next person.
  const signOut = async () => {
    await api.POST('/api/auth/logout').catch(() => undefined);
    markSignedOut();
    client.setQueryData(SESSION_KEY, null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    await navigate('/sign-in', { replace: true });
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            {branding.logo_url && <Image src={branding.logo_url} alt="" h={32} w="auto" />}
            <Title order={1} size="h4" c="var(--mantine-primary-color-filled)">
              {branding.product_name}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('nav.language')}
              value={i18n.language}
              onChange={(v) => void changeLanguage(v as Language)}
              data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
            />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={t('nav.account')}>
                  <Text size="sm" fw={500} visibleFrom="xs">
                    {session.user.name}
                  </Text>
                  <Text size="xs" c="dimmed" visibleFrom="xs">
                    {t(`roles.${session.role}`)}
                  </Text>
                  <Text size="sm" hiddenFrom="xs">
                    {t('nav.account')}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.user.email}</Menu.Label>
                <Menu.Item component={RouterLink} to="/account">
                  {t('nav.profile')}
                </Menu.Item>
                <Menu.Item onClick={signOut}>{t('nav.signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
        {items.map((item, i) => (
          <Fragment key={item.to}>
            {item.group && item.group !== items[i - 1]?.group && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                {item.group}
              </Text>
            )}
            <NavLink
              component={RouterLink}
              to={item.to}
              label={item.label}
              active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
              onClick={close}
            />
          </Fragment>
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
