// The SLA policy form: a name, targets per priority as hours and minutes of working time, business
// hours per weekday in a time zone, and holidays. Checked here as the server checks it; saved with
// If-Match (the version read, "0" to create); a 412 hands over to the page, which reloads.
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { ApiError } from '@/lib/api';
import { formatDate } from '@/lib/format';
import { timeZones } from '@/lib/timeZones';
import {
  type Priority,
  PRIORITIES,
  type SlaPolicy,
  type SlaPolicyInput,
  useSaveSlaPolicy,
} from './api';
import { type FieldErrors, fieldErrorsOf, UnplacedFields, utf8Length } from './parts';

export const DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Day = (typeof DAYS)[number];
const MAX_MINUTES = 527_040;
const FROM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TO = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type PolicyValues = Pick<SlaPolicy, 'name' | 'business_hours' | 'targets'>;

// ---- reading durations and hours ----

export function useDuration() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (h === 0) return t('admin.sla.minutesOnly', { m });
    if (m === 0) return t('admin.sla.hoursOnly', { h });
    return t('admin.sla.hoursMinutes', { h, m });
  };
}

interface Duration {
  h: number | string;
  m: number | string;
}
interface Range {
  key: number;
  from: string;
  to: string;
}
interface Draft {
  name: string;
  targets: Record<Priority, { response: Duration; resolution: Duration }>;
  time_zone: string;
  week: Record<Day, Range[]>;
  holidays: string[];
}

let rangeKey = 0;
const split = (minutes: number): Duration => ({ h: Math.floor(minutes / 60), m: minutes % 60 });
const minutesOf = (d: Duration) => Number(d.h || 0) * 60 + Number(d.m || 0);

function draftOf(p: PolicyValues): Draft {
  const week = p.business_hours.week as Partial<Record<Day, { from: string; to: string }[]>>;
  return {
    name: p.name,
    targets: Object.fromEntries(
      PRIORITIES.map((pr) => [
        pr,
        {
          response: split(p.targets[pr].response_minutes),
          resolution: split(p.targets[pr].resolution_minutes),
        },
      ]),
    ) as Draft['targets'],
    time_zone: p.business_hours.time_zone,
    week: Object.fromEntries(
      DAYS.map((d) => [d, (week[d] ?? []).map((r) => ({ key: rangeKey++, ...r }))]),
    ) as Draft['week'],
    holidays: [...(p.business_hours.holidays ?? [])].sort(),
  };
}

function inputOf(d: Draft): SlaPolicyInput {
  return {
    name: d.name.trim(),
    business_hours: {
      time_zone: d.time_zone,
      week: Object.fromEntries(
        DAYS.map((day) => [
          day,
          d.week[day].map((r) => ({ from: r.from.trim(), to: r.to.trim() })),
        ]),
      ),
      holidays: d.holidays,
    },
    targets: Object.fromEntries(
      PRIORITIES.map((p) => [
        p,
        {
          response_minutes: minutesOf(d.targets[p].response),
          resolution_minutes: minutesOf(d.targets[p].resolution),
        },
      ]),
    ) as SlaPolicyInput['targets'],
  };
}

const toMinutes = (clock: string) => {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

function validate(d: Draft, t: (k: string) => string): FieldErrors {
  const errors: FieldErrors = {};
  const name = d.name.trim();
  if (!name) errors['/name'] = t('admin.validation.required');
  else if (utf8Length(name) > 100) errors['/name'] = t('admin.sla.nameLong');
  for (const p of PRIORITIES) {
    const at = `/targets/${p}`;
    const response = minutesOf(d.targets[p].response);
    const resolution = minutesOf(d.targets[p].resolution);
    if (response < 1 || response > MAX_MINUTES)
      errors[`${at}/response_minutes`] = t('admin.sla.targetRange');
    if (resolution < 1 || resolution > MAX_MINUTES)
      errors[`${at}/resolution_minutes`] = t('admin.sla.targetRange');
    if (
      !errors[`${at}/response_minutes`] &&
      !errors[`${at}/resolution_minutes`] &&
      response > resolution
    )
      errors[`${at}/resolution_minutes`] = t('admin.sla.resolutionBeforeResponse');
  }
  if (!d.time_zone) errors['/business_hours/time_zone'] = t('admin.validation.required');
  let open = false;
  for (const day of DAYS) {
    const ranges = d.week[day];
    open ||= ranges.length > 0;
    let end = 0;
    ranges.forEach((r, i) => {
      const at = `/business_hours/week/${day}/${i}`;
      if (!FROM.test(r.from.trim()) || !TO.test(r.to.trim())) {
        errors[at] = t('admin.sla.clockFormat');
        return;
      }
      const from = toMinutes(r.from.trim());
      const to = toMinutes(r.to.trim());
      if (from >= to) errors[at] = t('admin.sla.endAfterStart');
      else if (from < end) errors[`/business_hours/week/${day}`] = t('admin.sla.overlap');
      end = Math.max(end, to);
    });
  }
  if (!open) errors['/business_hours/week'] = t('admin.sla.noHours');
  return errors;
}

// The server names business-hours problems found late without their "/business_hours" prefix.
function normalise(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const key = /^\/(week|time_zone|holidays)(\/|$)/.test(k) ? `/business_hours${k}` : k;
    out[key] ??= v;
  }
  return out;
}

export function PolicyEditor({
  customer,
  initial,
  baseline,
  etag,
  onConflict,
  onSaved,
  onCancel,
}: {
  customer: string | null;
  initial: PolicyValues;
  baseline: PolicyValues | null;
  etag: string;
  onConflict: () => void;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const save = useSaveSlaPolicy(customer);
  const [d, setD] = useState<Draft>(() => draftOf(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [holiday, setHoliday] = useState('');
  // What the form began with (the editor is keyed by the policy it edits).
  const [start] = useState(() => JSON.stringify(inputOf(draftOf(baseline ?? initial))));
  const dirty = baseline === null || JSON.stringify(inputOf(d)) !== start;
  const zones = useMemo(() => timeZones(initial.business_hours.time_zone), [initial]);

  const setTarget = (p: Priority, which: 'response' | 'resolution', value: Duration) =>
    setD((prev) => ({
      ...prev,
      targets: { ...prev.targets, [p]: { ...prev.targets[p], [which]: value } },
    }));
  const setDay = (day: Day, ranges: Range[]) =>
    setD((prev) => ({ ...prev, week: { ...prev.week, [day]: ranges } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setFailure(null);
    // Ranges in order, as the server wants them (and its error pointers count them).
    const sorted: Draft = {
      ...d,
      week: Object.fromEntries(
        DAYS.map((day) => [
          day,
          [...d.week[day]].sort((a, b) => a.from.trim().localeCompare(b.from.trim())),
        ]),
      ) as Draft['week'],
    };
    setD(sorted);
    const found = validate(sorted, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await save.mutateAsync({ input: inputOf(sorted), etag });
      notifications.show({ color: 'green', message: t('admin.sla.saved') });
      onSaved?.();
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        onConflict();
        return;
      }
      const fields = fieldErrorsOf(err);
      if (fields) setErrors(normalise(fields));
      setFailure(err);
    }
  };

  const placed = (p: string) =>
    p === '/name' ||
    /^\/targets\/\w+\/(response|resolution)_minutes$/.test(p) ||
    p.startsWith('/business_hours/');
  const unplaced = Object.entries(errors)
    .filter(([p]) => !placed(p))
    .map(([field, message]) => ({ field, message }));

  const copyMonday = () => {
    const monday = d.week.monday;
    setD((prev) => ({
      ...prev,
      week: {
        ...prev.week,
        ...Object.fromEntries(
          (['tuesday', 'wednesday', 'thursday', 'friday'] as const).map((day) => [
            day,
            monday.map((r) => ({ ...r, key: rangeKey++ })),
          ]),
        ),
      },
    }));
  };

  const addHoliday = () => {
    if (!DATE.test(holiday)) return;
    setD((prev) => ({ ...prev, holidays: [...new Set([...prev.holidays, holiday])].sort() }));
    setHoliday('');
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <TextInput
          label={t('admin.sla.name')}
          value={d.name}
          maxLength={100}
          required
          onChange={(e) => {
            const v = e.currentTarget.value;
            setD((prev) => ({ ...prev, name: v }));
          }}
          error={errors['/name']}
          w={{ base: '100%', sm: 420 }}
        />

        <Card withBorder padding="md" component="section" aria-labelledby="sla-targets">
          <Stack gap="sm">
            <div>
              <Title order={3} size="h4" id="sla-targets">
                {t('admin.sla.targets')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('admin.sla.targetsHint')}
              </Text>
            </div>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {PRIORITIES.map((p) => (
                <Fieldset key={p} legend={t(`cases.priority.${p}`)} variant="filled">
                  <SimpleGrid cols={{ base: 1, xs: 2 }}>
                    <DurationInput
                      legend={t('admin.sla.response')}
                      value={d.targets[p].response}
                      onChange={(v) => setTarget(p, 'response', v)}
                      error={errors[`/targets/${p}/response_minutes`]}
                    />
                    <DurationInput
                      legend={t('admin.sla.resolution')}
                      value={d.targets[p].resolution}
                      onChange={(v) => setTarget(p, 'resolution', v)}
                      error={errors[`/targets/${p}/resolution_minutes`]}
                    />
                  </SimpleGrid>
                </Fieldset>
              ))}
            </SimpleGrid>
          </Stack>
        </Card>

        <Card withBorder padding="md" component="section" aria-labelledby="sla-hours">
          <Stack gap="sm">
            <div>
              <Title order={3} size="h4" id="sla-hours">
                {t('admin.sla.hours')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('admin.sla.hoursHint')}
              </Text>
            </div>
            <Select
              label={t('admin.sla.timeZone')}
              value={d.time_zone}
              searchable
              allowDeselect={false}
              limit={100}
              onChange={(v) => v && setD((prev) => ({ ...prev, time_zone: v }))}
              data={zones}
              nothingFoundMessage={t('admin.settings.noZone')}
              error={errors['/business_hours/time_zone']}
              w={{ base: '100%', sm: 320 }}
            />
            {errors['/business_hours/week'] && (
              <Text size="sm" c="red" role="alert">
                {errors['/business_hours/week']}
              </Text>
            )}
            {DAYS.map((day) => (
              <DayHours
                key={day}
                day={day}
                ranges={d.week[day]}
                onChange={(r) => setDay(day, r)}
                errors={errors}
              />
            ))}
            <Group>
              <Button variant="default" size="xs" onClick={copyMonday}>
                {t('admin.sla.copyMonday')}
              </Button>
            </Group>
          </Stack>
        </Card>

        <Card withBorder padding="md" component="section" aria-labelledby="sla-holidays">
          <Stack gap="sm">
            <div>
              <Title order={3} size="h4" id="sla-holidays">
                {t('admin.sla.holidays')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('admin.sla.holidaysHint')}
              </Text>
            </div>
            {d.holidays.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('admin.sla.noHolidays')}
              </Text>
            ) : (
              <Group gap="xs">
                {d.holidays.map((h, i) => (
                  <Badge
                    key={h}
                    variant="light"
                    tt="none"
                    size="lg"
                    color={errors[`/business_hours/holidays/${i}`] ? 'red' : undefined}
                    rightSection={
                      <ActionIcon
                        size="xs"
                        variant="transparent"
                        aria-label={t('admin.sla.removeHoliday', {
                          date: formatDate(`${h}T12:00:00`, i18n.language),
                        })}
                        onClick={() =>
                          setD((prev) => ({
                            ...prev,
                            holidays: prev.holidays.filter((x) => x !== h),
                          }))
                        }
                      >
                        <span aria-hidden>✕</span>
                      </ActionIcon>
                    }
                  >
                    {formatDate(`${h}T12:00:00`, i18n.language)}
                  </Badge>
                ))}
              </Group>
            )}
            {errors['/business_hours/holidays'] && (
              <Text size="sm" c="red">
                {errors['/business_hours/holidays']}
              </Text>
            )}
            <Group align="end" gap="xs">
              <TextInput
                type="date"
                label={t('admin.sla.addHolidayLabel')}
                value={holiday}
                onChange={(e) => setHoliday(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addHoliday();
                  }
                }}
              />
              <Button variant="default" onClick={addHoliday} disabled={!DATE.test(holiday)}>
                {t('admin.sla.addHoliday')}
              </Button>
            </Group>
          </Stack>
        </Card>

        {failure !== null && (
          <ErrorPanel error={failure} title={t('admin.sla.failed')}>
            <UnplacedFields fields={unplaced} />
          </ErrorPanel>
        )}
        {failure === null && Object.keys(errors).length > 0 && (
          <Alert color="red" role="alert">
            {t('admin.fixFields')}
          </Alert>
        )}
        <Card withBorder padding="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {baseline === null
                ? t('admin.sla.notStored')
                : dirty
                  ? t('admin.unsaved')
                  : t('admin.noChanges')}
            </Text>
            <Group gap="xs">
              {onCancel ? (
                <Button variant="default" onClick={onCancel}>
                  {t('admin.cancel')}
                </Button>
              ) : (
                <Button
                  variant="default"
                  disabled={!dirty || baseline === null}
                  onClick={() => {
                    setD(draftOf(initial));
                    setErrors({});
                    setFailure(null);
                  }}
                >
                  {t('admin.discard')}
                </Button>
              )}
              <Button type="submit" loading={save.isPending} disabled={!dirty}>
                {t('admin.sla.save')}
              </Button>
            </Group>
          </Group>
        </Card>
      </Stack>
    </form>
  );
}

function DurationInput({
  legend,
  value,
  onChange,
  error,
}: {
  legend: string;
  value: Duration;
  onChange: (v: Duration) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const duration = useDuration();
  const total = minutesOf(value);
  return (
    <Fieldset legend={legend} variant="unstyled">
      <Group gap="xs" wrap="nowrap" align="start">
        <NumberInput
          label={t('admin.sla.h')}
          value={value.h}
          onChange={(h) => onChange({ ...value, h })}
          min={0}
          max={8784}
          allowDecimal={false}
          allowNegative={false}
          w={90}
          error={!!error}
        />
        <NumberInput
          label={t('admin.sla.min')}
          value={value.m}
          onChange={(m) => onChange({ ...value, m })}
          min={0}
          max={59}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          w={80}
          error={!!error}
        />
      </Group>
      <Text size="xs" c={error ? 'red' : 'dimmed'} mt={4} role={error ? 'alert' : undefined}>
        {error ?? (total > 0 ? duration(total) : '—')}
      </Text>
    </Fieldset>
  );
}

function DayHours({
  day,
  ranges,
  onChange,
  errors,
}: {
  day: Day;
  ranges: Range[];
  onChange: (r: Range[]) => void;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  const name = t(`admin.sla.days.${day}`);
  const dayError = errors[`/business_hours/week/${day}`];
  const open = ranges.length > 0;
  return (
    <Fieldset
      legend={name}
      variant="unstyled"
      pb="xs"
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group align="start" gap="md" wrap="wrap">
        <Switch
          label={t('admin.sla.open')}
          checked={open}
          onChange={(e) =>
            onChange(
              e.currentTarget.checked ? [{ key: rangeKey++, from: '08:00', to: '18:00' }] : [],
            )
          }
          mt={open ? 30 : 0}
          w={110}
        />
        {!open && (
          <Text size="sm" c="dimmed">
            {t('admin.sla.closed')}
          </Text>
        )}
        <Stack gap="xs">
          {ranges.map((r, i) => {
            const at = `/business_hours/week/${day}/${i}`;
            const n = ranges.length > 1 ? ` ${i + 1}` : '';
            return (
              <Group key={r.key} gap="xs" align="start" wrap="nowrap">
                <TextInput
                  label={`${t('admin.sla.from')}${n}`}
                  placeholder="08:00"
                  value={r.from}
                  maxLength={5}
                  inputMode="numeric"
                  w={90}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    onChange(ranges.map((x) => (x.key === r.key ? { ...x, from: v } : x)));
                  }}
                  error={!!errors[at]}
                />
                <TextInput
                  label={`${t('admin.sla.to')}${n}`}
                  placeholder="18:00"
                  value={r.to}
                  maxLength={5}
                  inputMode="numeric"
                  w={90}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    onChange(ranges.map((x) => (x.key === r.key ? { ...x, to: v } : x)));
                  }}
                  error={!!errors[at]}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  mt={26}
                  aria-label={t('admin.sla.removeRange', { day: name, from: r.from, to: r.to })}
                  onClick={() => onChange(ranges.filter((x) => x.key !== r.key))}
                >
                  <span aria-hidden>✕</span>
                </ActionIcon>
                {errors[at] && (
                  <Text size="xs" c="red" mt={32} role="alert">
                    {errors[at]}
                  </Text>
                )}
              </Group>
            );
          })}
          {open && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                const last = ranges.at(-1);
                const from = last && TO.test(last.to) && last.to < '23:00' ? last.to : '13:00';
                onChange([
                  ...ranges,
                  { key: rangeKey++, from, to: from < '23:00' ? nextHour(from) : '24:00' },
                ]);
              }}
              aria-label={t('admin.sla.addRangeOn', { day: name })}
            >
              {t('admin.sla.addRange')}
            </Button>
          )}
          {dayError && (
            <Text size="xs" c="red" role="alert">
              {dayError}
            </Text>
          )}
        </Stack>
      </Group>
    </Fieldset>
  );
}

function nextHour(clock: string) {
  const m = Math.min(toMinutes(clock) + 60 * 4, 24 * 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
