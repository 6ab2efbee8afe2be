// SLA policies: the tenant's default (targets per priority and business hours) and customers'
// own policies, which override it for their new tickets. Targets are entered as hours and minutes
// of working time; business hours per weekday in a time zone, with holidays. Saving replaces the
// policy with If-Match (the version read, "0" to create), so a policy changed meanwhile is
// reloaded instead of overwritten.
import './i18n';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useListParams } from '@/lib/listParams';
import { PRIORITIES, type SlaPolicy, useCustomers, useDeleteSlaPolicy, useSlaPolicy } from './api';
import { ForManager } from './parts';
import { DAYS, type Day, PolicyEditor, type PolicyValues, useDuration } from './SlaEditor';

export function SlaPage() {
  return (
    <ForManager>
      <Sla />
    </ForManager>
  );
}

function Sla() {
  const { t } = useTranslation();
  const [params, go] = useListParams();
  const tab = params.get('tab') === 'customers' ? 'customers' : 'default';
  const customer = params.get('customer');
  const customers = useCustomers();
  const options = (customers.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const customerName = customers.data?.find((c) => c.id === customer)?.name;

  return (
    <Stack>
      <div>
        <Title order={2}>{t('admin.sla.heading')}</Title>
        <Text size="sm" c="dimmed">
          {t('admin.sla.intro')}
        </Text>
      </div>
      <Tabs
        value={tab}
        onChange={(v) => go({ tab: v === 'customers' ? 'customers' : null })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="default">{t('admin.sla.defaultTab')}</Tabs.Tab>
          <Tabs.Tab value="customers">{t('admin.sla.customersTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="default" pt="md">
          <DefaultPolicy />
        </Tabs.Panel>
        <Tabs.Panel value="customers" pt="md">
          <Stack>
            <Select
              label={t('admin.sla.customer')}
              placeholder={t('admin.chooseCustomer')}
              searchable
              value={customer}
              onChange={(v) => go({ customer: v })}
              data={options}
              nothingFoundMessage={t('admin.noCustomer')}
              w={{ base: '100%', xs: 360 }}
            />
            {customers.isError && <ErrorPanel error={customers.error} />}
            {customer ? (
              <CustomerPolicy
                key={customer}
                customer={customer}
                name={customerName ?? t('admin.sla.thisCustomer')}
              />
            ) : (
              <Text c="dimmed" size="sm">
                {t('admin.sla.pickCustomer')}
              </Text>
            )}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function useConflictNotice() {
  const [notice, setNotice] = useState(false);
  return { notice, setNotice };
}

function DefaultPolicy() {
  const { t, i18n } = useTranslation();
  const query = useSlaPolicy(null);
  const { notice, setNotice } = useConflictNotice();
  if (query.isError) return <ErrorPanel error={query.error} />;
  if (!query.data) return <Skeleton h={400} aria-label={t('common.loading')} />;
  const { policy, etag } = query.data;
  return (
    <Stack>
      {notice && <ConflictAlert onClose={() => setNotice(false)} />}
      {policy.source === 'built_in' ? (
        <Alert color="blue" variant="light">
          {t('admin.sla.builtIn')}
        </Alert>
      ) : (
        policy.updated_at && (
          <Text size="sm" c="dimmed">
            {t('admin.sla.updated', { date: formatDateTime(policy.updated_at, i18n.language) })}
          </Text>
        )
      )}
      <PolicyEditor
        key={etag}
        customer={null}
        initial={policy}
        baseline={policy.source === 'built_in' ? null : policy}
        etag={etag}
        onConflict={() => {
          setNotice(true);
          void query.refetch();
        }}
      />
    </Stack>
  );
}

function ConflictAlert({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="yellow"
      role="alert"
      title={t('admin.sla.conflictTitle')}
      withCloseButton
      onClose={onClose}
    >
      {t('admin.sla.conflict')}
    </Alert>
  );
}

function CustomerPolicy({ customer, name }: { customer: string; name: string }) {
  const { t } = useTranslation();
  const query = useSlaPolicy(customer);
  const fallback = useSlaPolicy(null);
  const remove = useDeleteSlaPolicy(customer);
  const { notice, setNotice } = useConflictNotice();
  const [creating, setCreating] = useState(false);
  const [seed, setSeed] = useState<{ values: PolicyValues; n: number } | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  if (query.isError) return <ErrorPanel error={query.error} />;
  if (!query.data) return <Skeleton h={300} aria-label={t('common.loading')} />;
  const { policy, etag } = query.data;
  const own = policy.source === 'customer';

  const reset = async () => {
    setFailure(null);
    try {
      await remove.mutateAsync();
      setConfirmReset(false);
      setSeed(null);
      setCreating(false);
      notifications.show({ color: 'green', message: t('admin.sla.resetDone', { name }) });
    } catch (err) {
      // Already gone (someone reset it meanwhile): the reload shows the default.
      if (err instanceof ApiError && err.status === 404) {
        setConfirmReset(false);
        void query.refetch();
        return;
      }
      setFailure(err);
    }
  };

  const conflict = () => {
    setNotice(true);
    setSeed(null);
    void query.refetch();
  };

  if (!own && !creating)
    return (
      <Stack>
        {notice && <ConflictAlert onClose={() => setNotice(false)} />}
        <Card withBorder padding="md">
          <Stack gap="sm">
            <Group gap="xs">
              <Badge variant="light" color="gray" tt="none">
                {t('admin.sla.inherits')}
              </Badge>
            </Group>
            <Text>{t('admin.sla.followsDefault', { name, policy: policy.name })}</Text>
            <PolicySummary policy={policy} />
            <Group>
              <Button onClick={() => setCreating(true)}>{t('admin.sla.giveOwn', { name })}</Button>
            </Group>
          </Stack>
        </Card>
      </Stack>
    );

  return (
    <Stack>
      {notice && <ConflictAlert onClose={() => setNotice(false)} />}
      <Group justify="space-between" wrap="wrap">
        {own ? (
          <Badge variant="light" color="grape" tt="none">
            {t('admin.sla.ownPolicy', { name })}
          </Badge>
        ) : (
          <Text size="sm">{t('admin.sla.creating', { name })}</Text>
        )}
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            disabled={!fallback.data}
            onClick={() =>
              fallback.data && setSeed({ values: fallback.data.policy, n: (seed?.n ?? 0) + 1 })
            }
          >
            {t('admin.sla.copyDefault')}
          </Button>
          {own && (
            <Button variant="light" color="red" size="xs" onClick={() => setConfirmReset(true)}>
              {t('admin.sla.reset')}
            </Button>
          )}
        </Group>
      </Group>
      {seed && (
        <Alert color="blue" variant="light">
          {t('admin.sla.copied')}
        </Alert>
      )}
      <PolicyEditor
        key={`${etag}-${seed?.n ?? 0}`}
        customer={customer}
        initial={seed?.values ?? policy}
        baseline={own ? policy : null}
        etag={etag}
        onConflict={conflict}
        onSaved={() => {
          setCreating(false);
          setSeed(null);
        }}
        onCancel={
          own
            ? undefined
            : () => {
                setCreating(false);
                setSeed(null);
              }
        }
      />
      <Modal
        opened={confirmReset}
        onClose={() => setConfirmReset(false)}
        title={t('admin.sla.resetTitle', { name })}
      >
        <Stack>
          <Text>{t('admin.sla.resetText', { name })}</Text>
          {failure !== null && <ErrorPanel error={failure} />}
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirmReset(false)}>
              {t('admin.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => void reset()}>
              {t('admin.sla.resetYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function PolicySummary({ policy }: { policy: SlaPolicy }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const week = policy.business_hours.week as Partial<Record<Day, { from: string; to: string }[]>>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={360}>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.sla.priority')}</Table.Th>
              <Table.Th>{t('admin.sla.response')}</Table.Th>
              <Table.Th>{t('admin.sla.resolution')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PRIORITIES.map((p) => (
              <Table.Tr key={p}>
                <Table.Td>{t(`cases.priority.${p}`)}</Table.Td>
                <Table.Td>{duration(policy.targets[p].response_minutes)}</Table.Td>
                <Table.Td>{duration(policy.targets[p].resolution_minutes)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm">
        {t('admin.sla.hoursIn', { zone: policy.business_hours.time_zone })}{' '}
        {DAYS.map((d) => {
          const ranges = week[d] ?? [];
          return `${t(`admin.sla.daysShort.${d}`)} ${
            ranges.length
              ? ranges.map((r) => `${r.from}–${r.to}`).join(', ')
              : t('admin.sla.closedLower')
          }`;
        }).join(' · ')}
      </Text>
    </Stack>
  );
}
