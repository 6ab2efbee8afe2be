// The audit log: what happened in the tenant, newest first — filtered by area (an action prefix)
// or an exact action, by who did it and by date; each entry's details open as JSON. Filters and
// the page are kept in the address. Actions are named in words where we know them.
import './i18n';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import {
  Autocomplete,
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession } from '@/features/auth/session';
import { formatDateTime } from '@/lib/format';
import { useListParams, useSearchText } from '@/lib/listParams';
import { type AuditEntry, useAudit, useCustomers, usePeople } from './api';
import { ForManager } from './parts';

const AREAS = [
  'auth.',
  'user.',
  'ticket.',
  'attachment.',
  'document.',
  'customer.',
  'sla_policy.',
  'tenant.',
] as const;

// The actions the server writes (server/src/kontor/**), for suggestions and readable names.
const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.login_refused',
  'auth.lockout',
  'auth.logout',
  'auth.registered',
  'auth.refresh_reuse',
  'auth.mfa_enabled',
  'auth.mfa_disabled',
  'auth.recovery_code_used',
  'auth.password_changed',
  'auth.password_rehashed',
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.deactivated',
  'user.invited',
  'ticket.created',
  'ticket.updated',
  'ticket.assigned',
  'ticket.status_changed',
  'ticket.commented',
  'ticket.deleted',
  'ticket.sla_breached',
  'attachment.uploaded',
  'attachment.downloaded',
  'attachment.download_url_issued',
  'attachment.deleted',
  'document.uploaded',
  'document.downloaded',
  'document.download_url_issued',
  'document.deleted',
  'customer.created',
  'customer.updated',
  'sla_policy.updated',
  'sla_policy.removed',
  'tenant.created',
  'tenant.updated',
  'tenant.suspended',
  'tenant.reactivated',
  'tenant.settings_changed',
];

const ALL = 'all';

// A day's start in the user's time zone, as the RFC 3339 instant the API takes.
function dayStart(date: string, plusDays = 0) {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

export function AuditPage() {
  return (
    <ForManager>
      <Audit />
    </ForManager>
  );
}

function Audit() {
  const { t, i18n } = useTranslation();
  const [params, update, setParams] = useListParams();
  const areaParam = params.get('area');
  const area = AREAS.find((a) => a === areaParam);
  const actor = params.get('actor') ?? undefined;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const action = params.get('action') ?? '';
  const [actionText, setActionText] = useSearchText(
    action,
    (value) => update({ action: value, page: null }),
    400,
  );
  const [open, setOpen] = useState<Set<string>>(new Set());

  const { data: session } = useSession();
  const people = usePeople();
  const customers = useCustomers();
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of people.data ?? []) m.set(u.id, u.name);
    for (const c of customers.data ?? []) m.set(c.id, c.name);
    if (session?.tenant) m.set(session.tenant.id, t('admin.audit.thisDesk'));
    return m;
  }, [people.data, customers.data, session, t]);

  const validRange = !(from && to && to < from);
  const query = useAudit({
    page,
    ...(action ? { action } : area ? { action: area } : {}),
    ...(actor ? { actor } : {}),
    ...(from && validRange ? { from: dayStart(from) } : {}),
    ...(to && validRange ? { to: dayStart(to, 1) } : {}),
  });

  // Nested keys (actions.auth.login): anything but a known leaf keeps its own name.
  const actionName = (a: string) => {
    const v: unknown = t(`admin.audit.actions.${a}`, { returnObjects: true, defaultValue: a });
    return typeof v === 'string' ? v : a;
  };
  const filtered = !!(action || area || actor || from || to);
  const data = query.data;
  const suggestions = KNOWN_ACTIONS.filter((a) => !area || a.startsWith(area));

  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const who = (e: AuditEntry) => {
    if (!e.actor_id)
      return (
        <Text size="sm" c="dimmed">
          {t('admin.audit.system')}
        </Text>
      );
    const name = e.actor_name ?? names.get(e.actor_id);
    return name ? (
      <Text size="sm">{name}</Text>
    ) : (
      <Tooltip label={e.actor_id}>
        <Text size="sm" ff="monospace" c="dimmed">
          {e.actor_id.slice(0, 8)}…
        </Text>
      </Tooltip>
    );
  };
  const target = (e: AuditEntry) => {
    if (!e.subject)
      return (
        <Text size="sm" c="dimmed">
          —
        </Text>
      );
    const name = names.get(e.subject);
    return name ? (
      <Text size="sm">{name}</Text>
    ) : (
      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {e.subject}
      </Text>
    );
  };

  return (
    <Stack>
      <div>
        <Title order={2}>{t('admin.audit.heading')}</Title>
        <Text size="sm" c="dimmed">
          {t('admin.audit.intro')}
        </Text>
      </div>
      <Group align="end" wrap="wrap">
        <Select
          label={t('admin.audit.area')}
          value={area ?? ALL}
          allowDeselect={false}
          onChange={(v) => update({ area: v === ALL ? null : v, page: null })}
          data={[
            { value: ALL, label: t('admin.audit.allAreas') },
            ...AREAS.map((a) => ({ value: a, label: t(`admin.audit.areas.${a.slice(0, -1)}`) })),
          ]}
          w={{ base: '100%', xs: 180 }}
        />
        <Autocomplete
          label={t('admin.audit.action')}
          description={t('admin.audit.actionHint')}
          placeholder="auth.login_failed"
          value={actionText}
          onChange={setActionText}
          data={suggestions}
          limit={50}
          renderOption={({ option }) => (
            <Stack gap={0}>
              <Text size="sm">{actionName(option.value)}</Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {option.value}
              </Text>
            </Stack>
          )}
          w={{ base: '100%', xs: 220 }}
        />
        <Select
          label={t('admin.audit.actor')}
          placeholder={t('admin.audit.anyone')}
          searchable
          clearable
          value={actor ?? null}
          onChange={(v) => update({ actor: v, page: null })}
          data={(people.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
          nothingFoundMessage={t('admin.audit.noActor')}
          w={{ base: '100%', xs: 220 }}
        />
        <TextInput
          type="date"
          label={t('admin.audit.from')}
          value={from}
          onChange={(e) => update({ from: e.currentTarget.value, page: null })}
          w={{ base: '100%', xs: 150 }}
        />
        <TextInput
          type="date"
          label={t('admin.audit.to')}
          value={to}
          onChange={(e) => update({ to: e.currentTarget.value, page: null })}
          error={validRange ? undefined : t('admin.audit.badRange')}
          w={{ base: '100%', xs: 150 }}
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              setActionText('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t('admin.audit.clear')}
          </Button>
        )}
      </Group>
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton rows={6} />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">
            {filtered ? t('admin.audit.noneMatching') : t('admin.audit.empty')}
          </Text>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.audit.time')}</Table.Th>
                <Table.Th>{t('admin.audit.actor')}</Table.Th>
                <Table.Th>{t('admin.audit.action')}</Table.Th>
                <Table.Th>{t('admin.audit.target')}</Table.Th>
                <Table.Th>{t('admin.audit.ip')}</Table.Th>
                <Table.Th>{t('admin.audit.requestId')}</Table.Th>
                <Table.Th>{t('admin.audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((e) => {
                const expanded = open.has(e.id);
                const hasDetails = !!e.details && Object.keys(e.details).length > 0;
                return (
                  <Fragment key={e.id}>
                    <Table.Tr>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="sm">{formatDateTime(e.at, i18n.language)}</Text>
                      </Table.Td>
                      <Table.Td>{who(e)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {actionName(e.action)}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {e.action}
                        </Text>
                      </Table.Td>
                      <Table.Td>{target(e)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {e.ip ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {e.request_id ? <Code>{e.request_id}</Code> : <Text size="sm">—</Text>}
                      </Table.Td>
                      <Table.Td>
                        {hasDetails ? (
                          <Button
                            size="xs"
                            variant="subtle"
                            aria-expanded={expanded}
                            aria-controls={`audit-details-${e.id}`}
                            aria-label={t(
                              expanded ? 'admin.audit.hideDetails' : 'admin.audit.showDetails',
                              {
                                action: actionName(e.action),
                                time: formatDateTime(e.at, i18n.language),
                              },
                            )}
                            onClick={() => toggle(e.id)}
                          >
                            {expanded ? t('admin.audit.hide') : t('admin.audit.show')}
                          </Button>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr id={`audit-details-${e.id}`}>
                        <Table.Td colSpan={7}>
                          <Code block data-testid="audit-details">
                            {JSON.stringify(e.details, null, 2)}
                          </Code>
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && (
        <Text size="sm" c="dimmed">
          {t('admin.audit.count', { count: data.meta.total })}
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
