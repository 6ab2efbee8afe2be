// One customer's tickets for the customer page (src/app/pages/CustomerPage.tsx): a status filter,
// newest change first, paged; each opens at the desk. Also what the page needs to name the
// customer (useCustomer).
import './i18n';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import { Anchor, Card, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { formatDate } from '@/lib/format';
import { STATUS_CHOICES, type StatusChoice, useCustomerTickets, usePeople } from './api';
import { PriorityBadge, StatusBadge, useStatusLabel } from './parts';

export { useCustomer } from './api';
export type { Customer } from './api';

export function CustomerTickets({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<StatusChoice>('open');
  const [page, setPage] = useState(1);
  const query = useCustomerTickets(customerId, status, page);
  const people = usePeople();
  const statusLabel = useStatusLabel();
  const data = query.data;

  return (
    <Stack>
      <Select
        label={t('desk.queue.status')}
        value={status}
        allowDeselect={false}
        onChange={(v) => {
          setStatus((v as StatusChoice) ?? 'open');
          setPage(1);
        }}
        data={STATUS_CHOICES.map((s) => ({
          value: s,
          label: s === 'open' || s === 'any' ? t(`desk.queue.statusChoice.${s}`) : statusLabel(s),
        }))}
        w={{ base: '100%', xs: 220 }}
      />
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">
            {status === 'open' ? t('desk.customer.noOpenTickets') : t('desk.customer.noTickets')}
          </Text>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('desk.queue.column.number')}</Table.Th>
                <Table.Th>{t('desk.queue.column.title')}</Table.Th>
                <Table.Th>{t('desk.queue.column.status')}</Table.Th>
                <Table.Th>{t('desk.queue.column.priority')}</Table.Th>
                <Table.Th>{t('desk.queue.column.assignee')}</Table.Th>
                <Table.Th>{t('desk.queue.column.updated_at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td>
                    <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      #{x.number}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/desk/tickets/${x.id}`} fw={600}>
                      {x.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={x.status} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={x.priority} />
                  </Table.Td>
                  <Table.Td>
                    {x.assigned_to ? (
                      (people.data?.get(x.assigned_to)?.name ?? '—')
                    ) : (
                      <Text size="sm" c="dimmed" fs="italic">
                        {t('desk.unassigned')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(x.updated_at, i18n.language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ListPagination total={data?.meta.total_pages ?? 1} value={page} onChange={setPage} />
    </Stack>
  );
}
