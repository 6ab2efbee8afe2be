// The platform's tenants (ADMIN): search by name or slug, filter by status, page through them
// (GET /api/tenants, ordered by name); name, slug, status, licence, user limit, storage quota and
// creation date; each opens its page. The filter lives in the address, so going back from a
// tenant finds the list as it was. Cards instead of the table on narrow screens.
import './i18n';
import {
  Anchor,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import { formatDate } from '@/lib/format';
import { useListParams, useSearchText } from '@/lib/listParams';
import { STATUS_FILTERS, type StatusFilter, type Tenant, useTenants } from './api';
import { RequireAdmin, TenantStatusBadge, unreachableText, useLimits } from './parts';

const isStatusFilter = (v: string | null): v is StatusFilter =>
  STATUS_FILTERS.includes(v as StatusFilter);

export function TenantsPage() {
  return (
    <RequireAdmin>
      <TenantList />
    </RequireAdmin>
  );
}

function TenantList() {
  const { t, i18n } = useTranslation();
  // One place that writes the address: a changed filter starts again at page 1.
  const [params, update] = useListParams();
  const status: StatusFilter = isStatusFilter(params.get('status'))
    ? (params.get('status') as StatusFilter)
    : 'all';
  const page = Math.max(1, Number(params.get('page')) || 1);
  // The search box writes the address once typing pauses.
  const searched = params.get('q') ?? '';
  const [search, setSearch] = useSearchText(searched, (q) => update({ q, page: null }));
  const narrow = useMediaQuery('(max-width: 48em)');
  const limits = useLimits();

  const query = useTenants({ status, page, ...(searched ? { search: searched } : {}) });
  const data = query.data;
  const link = (tenant: Tenant) => (
    <Anchor component={Link} to={`/platform/tenants/${tenant.id}`} fw={500}>
      {tenant.name}
    </Anchor>
  );

  return (
    <Stack>
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={2}>{t('platform.heading')}</Title>
        <Button component={Link} to="/platform/tenants/new">
          {t('platform.new')}
        </Button>
      </Group>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('platform.search')}
          placeholder={t('platform.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', xs: 280 }}
        />
        <Select
          label={t('platform.statusFilter')}
          value={status}
          allowDeselect={false}
          onChange={(v) => update({ status: v === 'all' ? null : v, page: null })}
          data={STATUS_FILTERS.map((f) => ({ value: f, label: t(`platform.filter.${f}`) }))}
          w={{ base: '100%', xs: 200 }}
        />
      </Group>
      {query.isError && (
        <ErrorPanel error={query.error} message={unreachableText(query.error, t)} />
      )}
      {query.isPending && <ListSkeleton />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Stack gap="sm" align="start">
            <Text c="dimmed">
              {searched || status !== 'all' ? t('platform.noneMatching') : t('platform.empty')}
            </Text>
            {!searched && status === 'all' && (
              <Button variant="light" component={Link} to="/platform/tenants/new">
                {t('platform.new')}
              </Button>
            )}
          </Stack>
        </Card>
      )}
      {data && data.data.length > 0 && narrow && (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {data.data.map((tenant) => (
            <Card key={tenant.id} withBorder padding="md" component="li">
              <Stack gap={6}>
                <Group justify="space-between" wrap="nowrap" align="start">
                  {link(tenant)}
                  <TenantStatusBadge status={tenant.status} />
                </Group>
                <Text size="sm" c="dimmed" ff="monospace">
                  {tenant.slug}
                </Text>
                <SimpleGrid cols={2} spacing={4} verticalSpacing={4}>
                  <Text size="sm">{t('platform.columns.licence')}</Text>
                  <Text size="sm">{limits.licence(tenant.licence_type)}</Text>
                  <Text size="sm">{t('platform.columns.users')}</Text>
                  <Text size="sm">{limits.users(tenant.max_users)}</Text>
                  <Text size="sm">{t('platform.columns.storage')}</Text>
                  <Text size="sm">{limits.storage(tenant.storage_quota_bytes)}</Text>
                  <Text size="sm">{t('platform.columns.created')}</Text>
                  <Text size="sm">{formatDate(tenant.created_at, i18n.language)}</Text>
                </SimpleGrid>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {data && data.data.length > 0 && !narrow && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('platform.columns.name')}</Table.Th>
                <Table.Th>{t('platform.columns.slug')}</Table.Th>
                <Table.Th>{t('platform.columns.status')}</Table.Th>
                <Table.Th>{t('platform.columns.licence')}</Table.Th>
                <Table.Th>{t('platform.columns.users')}</Table.Th>
                <Table.Th>{t('platform.columns.storage')}</Table.Th>
                <Table.Th>{t('platform.columns.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((tenant) => (
                <Table.Tr key={tenant.id}>
                  <Table.Td>{link(tenant)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {tenant.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TenantStatusBadge status={tenant.status} />
                  </Table.Td>
                  <Table.Td>{limits.licence(tenant.licence_type)}</Table.Td>
                  <Table.Td>{limits.users(tenant.max_users)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {limits.storage(tenant.storage_quota_bytes)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(tenant.created_at, i18n.language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.meta.total > 0 && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('platform.count', { count: data.meta.total })}
        </Text>
      )}
      <ListPagination
        total={data?.meta.total_pages ?? 1}
        value={page}
        onChange={(p) => update({ page: p === 1 ? null : String(p) })}
      />
    </Stack>
  );
}
