// One customer organisation for staff (/customers/:id): the name and how to reach them, then their
// tickets (the desk feature) and their documents with upload for managers (the documents feature),
// as tabs kept in the address. A page of the app because it composes two features.
import { Alert, Anchor, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { CustomerTickets, useCustomer } from '@/features/desk/CustomerTickets';
import { CustomerDocumentsPanel } from '@/features/documents/DocumentsPage';
import { ApiError } from '@/lib/api';
import { useListParams } from '@/lib/listParams';

type Tab = 'tickets' | 'documents';

export function CustomerPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const customer = useCustomer(id);
  const [params, update] = useListParams();
  const tab: Tab = params.get('tab') === 'documents' ? 'documents' : 'tickets';
  const c = customer.data;

  const back = (
    <Anchor component={Link} to="/customers" size="sm">
      {t('desk.customer.back')}
    </Anchor>
  );

  if (customer.isError) {
    const notFound = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <Stack>
        {back}
        {notFound ? (
          <Alert color="gray" title={t('desk.customer.notFoundTitle')}>
            {t('desk.customer.notFound')}
          </Alert>
        ) : (
          <ErrorPanel error={customer.error} />
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        {back}
        {c ? (
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {c.name}
          </Title>
        ) : (
          <Skeleton h={32} w={280} aria-label={t('common.loading')} />
        )}
        {c && (
          <Group gap="lg" wrap="wrap" component="dl" style={{ margin: 0 }}>
            {c.contact_email && (
              <div>
                <Text component="dt" size="xs" c="dimmed">
                  {t('desk.customer.contact')}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  <Anchor href={`mailto:${c.contact_email}`}>{c.contact_email}</Anchor>
                </Text>
              </div>
            )}
            {c.phone && (
              <div>
                <Text component="dt" size="xs" c="dimmed">
                  {t('desk.customer.phone')}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  <Anchor href={`tel:${c.phone.replace(/\s+/g, '')}`}>{c.phone}</Anchor>
                </Text>
              </div>
            )}
            {c.domain && (
              <div>
                <Text component="dt" size="xs" c="dimmed">
                  {t('desk.customer.domain')}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  {c.domain}
                </Text>
              </div>
            )}
            {c.address && (
              <div>
                <Text component="dt" size="xs" c="dimmed">
                  {t('desk.customer.address')}
                </Text>
                <Text component="dd" size="sm" m={0} style={{ whiteSpace: 'pre-line' }}>
                  {c.address}
                </Text>
              </div>
            )}
          </Group>
        )}
      </Stack>
      <Tabs
        value={tab}
        keepMounted={false}
        onChange={(v) => update({ tab: v === 'documents' ? 'documents' : null })}
      >
        <Tabs.List aria-label={t('desk.customer.tabs')}>
          <Tabs.Tab value="tickets">{t('desk.customer.tickets')}</Tabs.Tab>
          <Tabs.Tab value="documents">{t('desk.customer.documents')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="tickets" pt="md">
          <CustomerTickets customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="documents" pt="md">
          <CustomerDocumentsPanel customerId={id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
