// Users: a manager's list of their tenant's users (/admin/users) and a customer admin's list of
// their organisation's portal users (/portal/users) — the same screen, limited to what the server
// lets each do. Search, role and status filters and the page are kept in the address; each user
// opens for changes; invitations are shown once.
import './i18n';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { type Role as SessionRole, useSession } from '@/features/auth/session';
import { formatDateTime } from '@/lib/format';
import { useListParams, useSearchText } from '@/lib/listParams';
import {
  type Role,
  ROLES_FOR,
  type Scope,
  STATUSES,
  type User,
  type UserStatus,
  useCustomers,
  useUsers,
} from './api';
import { EditUserModal } from './EditUser';
import { InviteUserModal } from './InviteUser';
import { UserStatusBadge } from './parts';

export function AdminUsersPage() {
  return (
    <ForRole only="MANAGER">
      <UsersScreen scope="tenant" />
    </ForRole>
  );
}

export function PortalUsersPage() {
  return (
    <ForRole only="CUSTOMER_ADMIN">
      <UsersScreen scope="org" />
    </ForRole>
  );
}

// The screen is one role's; others are told so instead of meeting the server's refusals.
function ForRole({ only: role, children }: { only: SessionRole; children: React.ReactNode }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  if (!session) return null;
  if (session.role !== role)
    return (
      <Alert color="yellow" title={t('users.notAllowedTitle')}>
        {t('users.notAllowed', { role: t(`roles.${role}`) })}
      </Alert>
    );
  return <>{children}</>;
}

const ALL = 'all';

function UsersScreen({ scope }: { scope: Scope }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const [params, update] = useListParams();
  const roles = ROLES_FOR[scope];
  const roleParam = params.get('role') as Role | null;
  const role = roleParam && roles.includes(roleParam) ? roleParam : undefined;
  const statusParam = params.get('status') as UserStatus | null;
  const status = statusParam && STATUSES.includes(statusParam) ? statusParam : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const searched = params.get('q') ?? '';
  const [search, setSearch] = useSearchText(searched, (q) => update({ q, page: null }));
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);

  const query = useUsers({
    page,
    ...(searched ? { search: searched } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
  });
  const customers = useCustomers(scope === 'tenant');
  const customerOptions = useMemo(
    () => (customers.data ?? []).map((c) => ({ value: c.id, label: c.name })),
    [customers.data],
  );
  const customerName = useMemo(
    () => new Map((customers.data ?? []).map((c) => [c.id, c.name])),
    [customers.data],
  );

  const data = query.data;
  const filtered = !!(searched || role || status);
  const me = session?.user.id;

  return (
    <Stack>
      <Group justify="space-between" align="center" wrap="wrap">
        <div>
          <Title order={2}>{t(scope === 'tenant' ? 'users.heading' : 'users.portalHeading')}</Title>
          <Text size="sm" c="dimmed">
            {t(scope === 'tenant' ? 'users.intro' : 'users.portalIntro')}
          </Text>
        </div>
        <Button onClick={() => setInviting(true)}>{t('users.invite.open')}</Button>
      </Group>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', xs: 260 }}
        />
        <Select
          label={t('users.roleFilter')}
          value={role ?? ALL}
          allowDeselect={false}
          onChange={(v) => update({ role: v === ALL ? null : v, page: null })}
          data={[
            { value: ALL, label: t('users.allRoles') },
            ...roles.map((r) => ({ value: r, label: t(`roles.${r}`) })),
          ]}
          w={{ base: '100%', xs: 200 }}
        />
        <Select
          label={t('users.statusFilter')}
          value={status ?? ALL}
          allowDeselect={false}
          onChange={(v) => update({ status: v === ALL ? null : v, page: null })}
          data={[
            { value: ALL, label: t('users.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: t(`users.status.${s}`) })),
          ]}
          w={{ base: '100%', xs: 180 }}
        />
      </Group>
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton rows={5} />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">{filtered ? t('users.noneMatching') : t('users.empty')}</Text>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={scope === 'tenant' ? 820 : 680}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.columns.name')}</Table.Th>
                <Table.Th>{t('users.columns.role')}</Table.Th>
                {scope === 'tenant' && <Table.Th>{t('users.columns.organisation')}</Table.Th>}
                <Table.Th>{t('users.columns.status')}</Table.Th>
                <Table.Th>{t('users.columns.lastLogin')}</Table.Th>
                <Table.Th>{t('users.columns.mfa')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('users.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    <div>
                      <Text fw={500} size="sm">
                        {u.name}
                        {u.id === me && (
                          <Text span c="dimmed" size="sm">
                            {' '}
                            {t('users.you')}
                          </Text>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {u.email}
                      </Text>
                    </div>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="gray" tt="none">
                      {t(`roles.${u.role}`)}
                    </Badge>
                  </Table.Td>
                  {scope === 'tenant' && (
                    <Table.Td>
                      <Text size="sm">
                        {u.customer_id ? (customerName.get(u.customer_id) ?? '…') : '—'}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <UserStatusBadge status={u.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">
                      {u.last_login_at
                        ? formatDateTime(u.last_login_at, i18n.language)
                        : t('users.never')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={u.mfa_enabled ? 'green' : 'gray'} tt="none">
                      {u.mfa_enabled ? t('users.mfa.on') : t('users.mfa.off')}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(u)}
                      aria-label={t('users.editNamed', { name: u.name })}
                    >
                      {t('users.editButton')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && (
        <Text size="sm" c="dimmed">
          {t('users.count', { count: data.meta.total })}
        </Text>
      )}
      <ListPagination
        total={data?.meta.total_pages ?? 1}
        value={page}
        onChange={(p) => update({ page: p === 1 ? null : String(p) })}
      />
      <InviteUserModal
        opened={inviting}
        onClose={() => setInviting(false)}
        scope={scope}
        customers={customerOptions}
      />
      {editing && (
        <EditUserModal
          key={editing.id}
          user={editing}
          scope={scope}
          self={editing.id === me}
          customers={customerOptions}
          onClose={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}
