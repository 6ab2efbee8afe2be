// The technician's queue: saved filters (mine, unassigned, breached, all — the last one chosen is
// remembered on this device), search, status, priority and customer filters and the sort, all
// kept in the address so back/forward and reload find the queue as it was. Columns with the
// customer's and assignee's names, the tenant's status labels and a live SLA countdown; rows open
// the ticket (click or Enter). Bulk changes (assign, unassign, status) go ticket by ticket with
// If-Match, and the outcome is reported: what changed, what had moved on meanwhile and was left
// alone, what the server refused.
import './i18n';
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Menu,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession } from '@/features/auth/session';
import { formatDate, formatDateTime } from '@/lib/format';
import { type ParamChanges, useListParams, useSearchText } from '@/lib/listParams';
import {
  type BulkOutcome,
  bulkPatch,
  DEFAULT_SORT,
  FIRST_ORDER,
  PRIORITIES,
  type QueueFilter,
  SORT_KEYS,
  type SortKey,
  staffOf,
  STATUS_CHOICES,
  STATUSES,
  type StatusChoice,
  type Ticket,
  type TicketPatch,
  type TicketPriority,
  useCustomerNames,
  usePeople,
  useQueue,
  VIEWS,
  type View,
} from './api';
import {
  PriorityBadge,
  QUEUE_KEY,
  SlaCountdown,
  BreachedBadge,
  StatusBadge,
  useNow,
  useProblemText,
  useStatusLabel,
} from './parts';
import classes from './desk.module.css';

const VIEW_KEY = 'kontor.desk.view';

function storedView(): View | null {
  try {
    const v = localStorage.getItem(VIEW_KEY);
    return VIEWS.includes(v as View) ? (v as View) : null;
  } catch {
    return null;
  }
}

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return list.includes(v as T) ? (v as T) : undefined;
}

// The filter the address describes (with the remembered view when it names none).
function filterOf(params: URLSearchParams): QueueFilter {
  const sort = oneOf(SORT_KEYS, params.get('sort')) ?? DEFAULT_SORT;
  return {
    view: oneOf(VIEWS, params.get('view')) ?? storedView() ?? 'all',
    status: oneOf(STATUS_CHOICES, params.get('status')) ?? 'open',
    ...(oneOf(PRIORITIES, params.get('priority'))
      ? { priority: params.get('priority') as TicketPriority }
      : {}),
    ...(params.get('customer') ? { customer: params.get('customer')! } : {}),
    ...(params.get('q') ? { search: params.get('q')! } : {}),
    sort,
    order: oneOf(['asc', 'desc'] as const, params.get('order')) ?? FIRST_ORDER[sort],
    page: Math.max(1, Number(params.get('page')) || 1),
  };
}

function SortHeader({
  column,
  filter,
  onSort,
  label,
}: {
  column: SortKey;
  filter: QueueFilter;
  onSort: (column: SortKey) => void;
  label: string;
}) {
  const active = filter.sort === column;
  return (
    <Table.Th
      aria-sort={active ? (filter.order === 'asc' ? 'ascending' : 'descending') : 'none'}
      style={{ whiteSpace: 'nowrap' }}
    >
      <UnstyledButton
        onClick={() => onSort(column)}
        fw={700}
        fz="sm"
        className={classes.sort}
        style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}
      >
        {label}
        <span aria-hidden="true" style={{ opacity: active ? 1 : 0.35 }}>
          {active ? (filter.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </UnstyledButton>
    </Table.Th>
  );
}

// What happened to a bulk change, in one sentence per kind of outcome.
function useBulkReport() {
  const { t } = useTranslation();
  const problemText = useProblemText();
  return (o: BulkOutcome): string => {
    const parts: string[] = [];
    if (o.updated.length > 0 || (o.conflicts.length === 0 && o.failed.length === 0))
      parts.push(t('desk.bulk.updated', { count: o.updated.length }));
    if (o.conflicts.length > 0)
      parts.push(
        t('desk.bulk.conflicts', {
          count: o.conflicts.length,
          numbers: o.conflicts.map((c) => `#${c.number}`).join(', '),
        }),
      );
    for (const f of o.failed)
      parts.push(
        t('desk.bulk.failed', { number: `#${f.ticket.number}`, reason: problemText(f.error) }),
      );
    return `${parts.join('; ')}.`;
  };
}

function BulkBar({
  selected,
  onDone,
  onClear,
}: {
  selected: Ticket[];
  onDone: (o: BulkOutcome) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const people = usePeople();
  const statusLabel = useStatusLabel();
  const [busy, setBusy] = useState(false);
  const staff = staffOf(people.data);

  const run = async (change: TicketPatch) => {
    setBusy(true);
    try {
      onDone(await bulkPatch(selected, change));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      withBorder
      padding="xs"
      component="section"
      aria-label={t('desk.bulk.heading')}
      bg="var(--mantine-primary-color-light)"
    >
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600} aria-live="polite" mr="xs">
          {t('desk.bulk.selected', { count: selected.length })}
        </Text>
        <Button
          size="xs"
          loading={busy}
          onClick={() => session && void run({ assigned_to: session.user.id })}
        >
          {t('desk.bulk.assignToMe')}
        </Button>
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" disabled={busy}>
              {t('desk.bulk.assignTo')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
            {staff.map((u) => (
              <Menu.Item key={u.id} onClick={() => void run({ assigned_to: u.id })}>
                {u.name}
              </Menu.Item>
            ))}
            {staff.length > 0 && <Menu.Divider />}
            <Menu.Item onClick={() => void run({ assigned_to: null })}>
              {t('desk.bulk.unassign')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" disabled={busy}>
              {t('desk.bulk.setStatus')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {STATUSES.map((s) => (
              <Menu.Item key={s} onClick={() => void run({ status: s })}>
                {statusLabel(s)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Button size="xs" variant="subtle" onClick={onClear} disabled={busy}>
          {t('desk.bulk.clear')}
        </Button>
      </Group>
    </Card>
  );
}

export function QueuePage() {
  const { t, i18n } = useTranslation();
  // The address is the queue's state: a changed filter goes back to page 1 and is a step in the
  // browser's history (search typing replaces the step instead of adding one per key).
  const [params, updateParams] = useListParams(false);
  const update = (changes: ParamChanges, replace?: boolean) =>
    updateParams('page' in changes ? changes : { ...changes, page: null }, replace);
  const navigate = useNavigate();
  const location = useLocation();
  const { data: session } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const filter = filterOf(params);
  // Back/forward to another search: the box follows the address.
  const [search, setSearch] = useSearchText(filter.search ?? '', (q) => update({ q }, true));
  const [selection, setSelection] = useState<Set<string>>(new Set());
  // A selection belongs to the page it was made on.
  const filterKey = JSON.stringify(filter);
  const [selectionFor, setSelectionFor] = useState(filterKey);
  if (selectionFor !== filterKey) {
    setSelectionFor(filterKey);
    setSelection(new Set());
  }
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [report, setReport] = useState<{ text: string; ok: boolean } | null>(null);
  const now = useNow();
  const statusLabel = useStatusLabel();
  const customers = useCustomerNames();
  const people = usePeople();
  const query = useQueue(filter);
  const bulkReport = useBulkReport();

  // The view chosen last is remembered on this device.
  const chosenView = oneOf(VIEWS, params.get('view'));
  useEffect(() => {
    if (chosenView) localStorage.setItem(VIEW_KEY, chosenView);
  }, [chosenView]);
  useEffect(() => {
    sessionStorage.setItem(QUEUE_KEY, location.search);
  }, [location.search]);

  const tickets = query.data?.data ?? [];
  const selected = tickets.filter((x) => selection.has(x.id));
  const allSelected = tickets.length > 0 && selected.length === tickets.length;
  const toggle = (id: string) =>
    setSelection((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelection(allSelected ? new Set() : new Set(tickets.map((x) => x.id)));

  const sortBy = (column: SortKey) =>
    update({
      sort: column,
      order:
        filter.sort === column ? (filter.order === 'asc' ? 'desc' : 'asc') : FIRST_ORDER[column],
    });

  const open = (id: string) => void navigate(`/desk/tickets/${id}`);
  // The whole row opens the ticket, except its own controls (checkbox, link).
  const rowClick = (e: MouseEvent, id: string) => {
    if ((e.target as HTMLElement).closest('a, button, input, label')) return;
    open(id);
  };
  const rowKey = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' && e.target === e.currentTarget) open(id);
  };

  const customerName = (id: string) => customers.data?.get(id)?.name ?? '—';
  const assigneeName = (id: string | null) => {
    if (!id) return null;
    if (id === session?.user.id) return session.user.name;
    return people.data?.get(id)?.name ?? '—';
  };

  const narrowed = !!(filter.search || filter.priority || filter.customer);
  const activeFilters =
    (filter.status !== 'open' ? 1 : 0) + (filter.priority ? 1 : 0) + (filter.customer ? 1 : 0);
  const emptyText = narrowed
    ? t('desk.queue.noneMatching')
    : filter.status === 'open'
      ? t(`desk.queue.empty.${filter.view}`)
      : t('desk.queue.noneMatching');

  const customerOptions = useMemo(
    () => [...(customers.data?.values() ?? [])].map((c) => ({ value: c.id, label: c.name })),
    [customers.data],
  );

  const onBulkDone = (o: BulkOutcome) => {
    setReport({ text: bulkReport(o), ok: o.conflicts.length === 0 && o.failed.length === 0 });
    setSelection(new Set());
    void query.refetch();
  };

  const title = (x: Ticket) => (
    <Anchor
      component={Link}
      to={`/desk/tickets/${x.id}`}
      fw={600}
      tabIndex={-1}
      style={{ overflowWrap: 'anywhere' }}
    >
      {x.title}
    </Anchor>
  );
  const assignee = (x: Ticket) => {
    const name = assigneeName(x.assigned_to);
    return name ? (
      <Text size="sm">{name}</Text>
    ) : (
      <Text size="sm" c="dimmed" fs="italic">
        {t('desk.unassigned')}
      </Text>
    );
  };
  const rowCheckbox = (x: Ticket) => (
    <Checkbox
      aria-label={t('desk.bulk.select', { number: x.number })}
      checked={selection.has(x.id)}
      onChange={() => toggle(x.id)}
    />
  );

  return (
    <Stack>
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={2}>{t('desk.queue.heading')}</Title>
        {query.isFetching && !query.isPending && (
          <Text size="xs" c="dimmed" aria-live="polite">
            {t('desk.queue.refreshing')}
          </Text>
        )}
      </Group>
      <SegmentedControl
        aria-label={t('desk.queue.savedFilters')}
        value={filter.view}
        onChange={(v) => update({ view: v })}
        data={VIEWS.map((v) => ({ value: v, label: t(`desk.queue.view.${v}`) }))}
        fullWidth={phone}
        style={{ alignSelf: phone ? 'stretch' : 'flex-start' }}
      />
      <Group align="end" wrap="wrap" gap="sm">
        <TextInput
          type="search"
          label={t('desk.queue.search')}
          placeholder={t('desk.queue.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', sm: 260 }}
        />
        {phone && (
          <Button
            variant="default"
            fullWidth
            aria-expanded={filtersOpen}
            aria-controls="desk-queue-filters"
            onClick={() => setFiltersOpen((o) => !o)}
          >
            {t('desk.queue.filters', { count: activeFilters })}
          </Button>
        )}
        {(!phone || filtersOpen) && (
          <Group
            id="desk-queue-filters"
            align="end"
            wrap="wrap"
            gap="sm"
            w={phone ? '100%' : undefined}
          >
            <Select
              label={t('desk.queue.status')}
              value={filter.status}
              allowDeselect={false}
              onChange={(v) => update({ status: v === 'open' ? null : v })}
              data={STATUS_CHOICES.map((s: StatusChoice) => ({
                value: s,
                label:
                  s === 'open' || s === 'any' ? t(`desk.queue.statusChoice.${s}`) : statusLabel(s),
              }))}
              w={{ base: '100%', xs: 200 }}
            />
            <Select
              label={t('desk.queue.priority')}
              placeholder={t('desk.queue.anyPriority')}
              clearable
              value={filter.priority ?? null}
              onChange={(v) => update({ priority: v })}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`desk.priority.${p}`) }))}
              w={{ base: '100%', xs: 170 }}
            />
            <Select
              label={t('desk.queue.customer')}
              placeholder={t('desk.queue.anyCustomer')}
              clearable
              searchable
              nothingFoundMessage={t('desk.queue.noCustomer')}
              value={filter.customer ?? null}
              onChange={(v) => update({ customer: v })}
              data={customerOptions}
              w={{ base: '100%', xs: 220 }}
            />
            {phone && (
              <Group gap="xs" wrap="nowrap" w="100%" align="end">
                <Select
                  label={t('desk.queue.sortBy')}
                  value={filter.sort}
                  allowDeselect={false}
                  onChange={(v) => v && update({ sort: v, order: FIRST_ORDER[v as SortKey] })}
                  data={SORT_KEYS.map((k) => ({ value: k, label: t(`desk.queue.column.${k}`) }))}
                  style={{ flex: 1 }}
                />
                <Button
                  variant="default"
                  onClick={() => update({ order: filter.order === 'asc' ? 'desc' : 'asc' })}
                  aria-label={t('desk.queue.orderToggle', {
                    order: t(`desk.queue.order.${filter.order}`),
                  })}
                >
                  {filter.order === 'asc' ? '▲' : '▼'}
                </Button>
              </Group>
            )}
            {(narrowed || filter.status !== 'open') && (
              <Button
                variant="subtle"
                onClick={() => {
                  setSearch('');
                  update({ q: null, status: null, priority: null, customer: null });
                }}
              >
                {t('desk.queue.reset')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      {report && (
        <Alert
          color={report.ok ? 'green' : 'orange'}
          role="status"
          withCloseButton
          closeButtonLabel={t('desk.close')}
          onClose={() => setReport(null)}
        >
          {report.text}
        </Alert>
      )}
      {selected.length > 0 && (
        <BulkBar selected={selected} onDone={onBulkDone} onClear={() => setSelection(new Set())} />
      )}
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton rows={6} />}
      {query.data && tickets.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">{emptyText}</Text>
        </Card>
      )}
      {tickets.length > 0 && phone && (
        <Stack gap="xs">
          <Checkbox
            label={t('desk.bulk.selectAll')}
            checked={allSelected}
            indeterminate={selected.length > 0 && !allSelected}
            onChange={toggleAll}
          />
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {tickets.map((x) => (
              <Card
                key={x.id}
                component="li"
                withBorder
                padding="sm"
                onClick={(e: MouseEvent) => rowClick(e, x.id)}
                style={{ cursor: 'pointer' }}
              >
                <Group gap="sm" align="start" wrap="nowrap">
                  {rowCheckbox(x)}
                  <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                    <Group gap="xs" justify="space-between" wrap="nowrap">
                      <Text size="sm" c="dimmed">
                        #{x.number}
                      </Text>
                      <Group gap={4} wrap="nowrap">
                        <BreachedBadge ticket={x} />
                        <SlaCountdown ticket={x} now={now} size="xs" />
                      </Group>
                    </Group>
                    <Anchor
                      component={Link}
                      to={`/desk/tickets/${x.id}`}
                      fw={600}
                      style={{ overflowWrap: 'anywhere' }}
                    >
                      {x.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {customerName(x.customer_id)} ·{' '}
                      {assigneeName(x.assigned_to) ?? t('desk.unassigned')}
                    </Text>
                    <Group gap={6} wrap="wrap">
                      <StatusBadge status={x.status} />
                      <PriorityBadge priority={x.priority} />
                    </Group>
                  </Stack>
                </Group>
              </Card>
            ))}
          </Stack>
        </Stack>
      )}
      {tickets.length > 0 && !phone && (
        <Table.ScrollContainer minWidth={960}>
          <Table highlightOnHover verticalSpacing="sm" aria-label={t('desk.queue.heading')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('desk.bulk.selectAll')}
                    checked={allSelected}
                    indeterminate={selected.length > 0 && !allSelected}
                    onChange={toggleAll}
                  />
                </Table.Th>
                <SortHeader
                  column="number"
                  filter={filter}
                  onSort={sortBy}
                  label={t('desk.queue.column.number')}
                />
                <Table.Th>{t('desk.queue.column.title')}</Table.Th>
                <Table.Th>{t('desk.queue.column.customer')}</Table.Th>
                <Table.Th>{t('desk.queue.column.assignee')}</Table.Th>
                <Table.Th>{t('desk.queue.column.status')}</Table.Th>
                <SortHeader
                  column="priority"
                  filter={filter}
                  onSort={sortBy}
                  label={t('desk.queue.column.priority')}
                />
                <SortHeader
                  column="sla_resolution_due"
                  filter={filter}
                  onSort={sortBy}
                  label={t('desk.queue.column.sla_resolution_due')}
                />
                <SortHeader
                  column="updated_at"
                  filter={filter}
                  onSort={sortBy}
                  label={t('desk.queue.column.updated_at')}
                />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tickets.map((x) => (
                <Table.Tr
                  key={x.id}
                  tabIndex={0}
                  className={classes.row}
                  onClick={(e) => rowClick(e, x.id)}
                  onKeyDown={(e) => rowKey(e, x.id)}
                  bg={selection.has(x.id) ? 'var(--mantine-primary-color-light)' : undefined}
                  style={{ cursor: 'pointer' }}
                >
                  <Table.Td>{rowCheckbox(x)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      #{x.number}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={360}>{title(x)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{customerName(x.customer_id)}</Text>
                  </Table.Td>
                  <Table.Td>{assignee(x)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={x.status} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={x.priority} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <SlaCountdown ticket={x} now={now} />
                      <BreachedBadge ticket={x} />
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" title={formatDateTime(x.updated_at, i18n.language)}>
                      {formatDate(x.updated_at, i18n.language)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ListPagination
        total={query.data?.meta.total_pages ?? 1}
        value={filter.page}
        onChange={(p) => update({ page: p === 1 ? null : String(p) })}
      />
      {query.data && query.data.meta.total > 0 && (
        <Text size="xs" c="dimmed">
          {t('desk.queue.total', { count: query.data.meta.total })}
        </Text>
      )}
    </Stack>
  );
}
