// The tenant's customer organisations (GET /api/customers): search over name, domain and contact
// e-mail, paging, both kept in the address; each opens the customer's page (their tickets and
// documents, src/app/pages/CustomerPage.tsx).
import './i18n';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import { Anchor, Card, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useListParams, useSearchText } from '@/lib/listParams';
import { useCustomerList } from './api';

export function CustomersPage() {
  const { t } = useTranslation();
  // Paging adds a step to the browser's history; search typing replaces the current one.
  const [params, update] = useListParams(false);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const q = params.get('q') ?? '';
  const [search, setSearch] = useSearchText(q, (value) => update({ q: value, page: null }, true));
  const query = useCustomerList(q, page);

  const data = query.data;
  return (
    <Stack>
      <Title order={2}>{t('desk.customers.heading')}</Title>
      <TextInput
        type="search"
        label={t('desk.customers.search')}
        placeholder={t('desk.customers.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        w={{ base: '100%', xs: 320 }}
      />
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">
            {params.get('q') ? t('desk.customers.noneMatching') : t('desk.customers.none')}
          </Text>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('desk.customers.name')}</Table.Th>
                <Table.Th>{t('desk.customers.domain')}</Table.Th>
                <Table.Th>{t('desk.customers.contact')}</Table.Th>
                <Table.Th>{t('desk.customers.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${c.id}`} fw={600}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.domain ?? '—'}</Table.Td>
                  <Table.Td>
                    {c.contact_email ? (
                      <Anchor href={`mailto:${c.contact_email}`} size="sm">
                        {c.contact_email}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.phone ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ListPagination
        total={data?.meta.total_pages ?? 1}
        value={page}
        onChange={(p) => update({ page: p === 1 ? null : String(p) })}
      />
    </Stack>
  );
}
