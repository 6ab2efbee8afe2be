// The portal's cases: the tickets a customer user may see (CLIENT their own, CUSTOMER_ADMIN their
// organisation's; the server scopes), newest change first. Status filter (open, resolved, closed,
// all) and full-text search kept in the address, so going back from a case finds the list as it
// was; each case links to its page.
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import {
  Anchor,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { formatDate } from '@/lib/format';
import { useListParams, useSearchText } from '@/lib/listParams';
import { STATUS_FILTERS, type StatusFilter, useCases } from './api';
import { PriorityBadge, StatusBadge } from './parts';

const isStatusFilter = (v: string | null): v is StatusFilter =>
  STATUS_FILTERS.includes(v as StatusFilter);

export function CasesPage() {
  const { t, i18n } = useTranslation();
  // One place that writes the address: a changed filter starts again at page 1.
  const [params, update] = useListParams();
  const status: StatusFilter = isStatusFilter(params.get('status'))
    ? (params.get('status') as StatusFilter)
    : 'open';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const searched = params.get('q') ?? '';
  const [search, setSearch] = useSearchText(searched, (q) => update({ q, page: null }));

  const query = useCases({ status, page, ...(searched ? { search: searched } : {}) });
  const data = query.data;
  const totalPages = data?.meta.total_pages ?? 1;

  return (
    <Stack>
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={2}>{t('cases.heading')}</Title>
        <Button component={Link} to="/portal/cases/new">
          {t('cases.new')}
        </Button>
      </Group>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('cases.search')}
          placeholder={t('cases.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', xs: 280 }}
        />
        <Select
          label={t('cases.statusFilter')}
          value={status}
          allowDeselect={false}
          onChange={(v) => update({ status: v === 'open' ? null : v, page: null })}
          data={STATUS_FILTERS.map((f) => ({ value: f, label: t(`cases.filter.${f}`) }))}
          w={{ base: '100%', xs: 220 }}
        />
      </Group>
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Stack gap="sm" align="start">
            <Text c="dimmed">
              {searched ? t('cases.noneMatching') : t(`cases.empty.${status}`)}
            </Text>
            {!searched && (status === 'open' || status === 'all') && (
              <Button variant="light" component={Link} to="/portal/cases/new">
                {t('cases.new')}
              </Button>
            )}
          </Stack>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={620}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.number')}</Table.Th>
                <Table.Th>{t('cases.title')}</Table.Th>
                <Table.Th>{t('cases.statusColumn')}</Table.Th>
                <Table.Th>{t('cases.priorityColumn')}</Table.Th>
                <Table.Th>{t('cases.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Text c="dimmed" size="sm" style={{ whiteSpace: 'nowrap' }}>
                      #{c.number}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/portal/cases/${c.id}`} fw={500}>
                      {c.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={c.priority} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(c.updated_at, i18n.language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ListPagination
        total={totalPages}
        value={page}
        onChange={(p) => update({ page: p === 1 ? null : String(p) })}
      />
    </Stack>
  );
}
