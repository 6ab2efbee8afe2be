// Pieces the tenant screens share: the words for an unreachable server, the status badge, limits
// in words, the slug suggested from a name, the server's rules for a tenant's fields
// (server/src/kontor/tenancy/tenant_service.cpp) checked before sending, storage quotas in GB, the
// browser's time zone, the licence fields of the create and edit forms, and the guard that keeps
// these screens to the platform operator.
import { Badge, NativeSelect, NumberInput, SimpleGrid } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatBytes } from '@/lib/format';
import { LICENCE_TYPES, type LicenceType, type TenantStatus } from './api';

export function RequireAdmin({ children }: { children: ReactNode }) {
  const { data: session } = useSession();
  if (!session) return null;
  if (session.role !== 'ADMIN') return <Navigate to="/" replace />;
  return <>{children}</>;
}

// The message an ErrorPanel shows for a failed request on these screens: the server's words when
// it answered (undefined: ErrorPanel's own), else that it could not be reached — in the operator's
// words, which name no service desk.
export function unreachableText(error: unknown, t: TFunction): string | undefined {
  return error instanceof ApiError && error.status !== 0 ? undefined : t('platform.errors.network');
}

export function TenantStatusBadge({ status }: { status: TenantStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'active' ? 'green' : 'red'} variant="light" tt="none">
      {t(`platform.status.${status}`)}
    </Badge>
  );
}

export function useLimits() {
  const { t, i18n } = useTranslation();
  return {
    licence: (l: LicenceType) => t(`platform.licence.${l}`),
    users: (n: number | null) =>
      n === null ? t('platform.noLimit') : new Intl.NumberFormat(i18n.language).format(n),
    storage: (bytes: number | null) =>
      bytes === null ? t('platform.noLimit') : formatBytes(bytes, i18n.language),
  };
}

// Storage quotas are entered in GB (1024³ bytes, as formatBytes shows them).
export const GB = 1024 ** 3;
export const bytesToGb = (bytes: number) => Math.round((bytes / GB) * 100) / 100;
export const gbToBytes = (gb: number) => Math.round(gb * GB);

// A slug from a name: umlauts and accents spelled out in ASCII first (the server's own derivation
// would turn "Müller" into "m-ller"), then the server's rule: a-z and 0-9, runs of anything else
// one '-', none at either end, at most 63 characters.
export function suggestSlug(name: string): string {
  const ascii = name
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  let out = '';
  for (const ch of ascii) {
    if (/[A-Za-z0-9]/.test(ch)) out += ch.toLowerCase();
    else if (out && !out.endsWith('-')) out += '-';
  }
  out = out.replace(/-+$/, '');
  if (out.length > 63) out = out.slice(0, 63).replace(/-+$/, '');
  return out;
}

const encoder = new TextEncoder();

export type Rule =
  'required' | 'tooLong' | 'control' | 'slug' | 'email' | 'domain' | 'maxUsers' | 'quota';

// tenancy: name_problem — not blank, at most 200 bytes, no control characters.
export function nameRule(name: string): Rule | undefined {
  if (name.trim() === '') return 'required';
  if (encoder.encode(name).length > 200) return 'tooLong';
  if ([...name].some((c) => c < ' ' || c === '\u007f')) return 'control';
  return undefined;
}

// tenancy: slug_ok — 2-63 of a-z, 0-9 and '-', not starting or ending with '-'.
export const slugRule = (slug: string): Rule | undefined =>
  /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/.test(slug) ? undefined : 'slug';

// identity::normalize_email.
export function emailRule(email: string): Rule | undefined {
  const v = email.trim();
  const at = v.indexOf('@');
  const ok =
    v.length <= 254 &&
    at > 0 &&
    at === v.lastIndexOf('@') &&
    v.indexOf('.', at) !== -1 &&
    !v.endsWith('.') &&
    ![...v].some((c) => c <= ' ' || c === '\u007f');
  return ok ? undefined : 'email';
}

// tenancy::detail::valid_host — labels of a-z, 0-9 and '-' (1-63, no '-' at either end), at least
// two, at most 253 characters, the last not all digits.
export function domainRule(domain: string): Rule | undefined {
  const host = domain.trim().toLowerCase();
  const labels = host.split('.');
  const ok =
    host.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) &&
    !/^[0-9]+$/.test(labels[labels.length - 1]!);
  return ok ? undefined : 'domain';
}

// NumberInput values: '' is "no limit".
export const maxUsersRule = (v: number | string): Rule | undefined =>
  v === '' || (Number.isInteger(Number(v)) && Number(v) >= 1) ? undefined : 'maxUsers';
export const quotaRule = (v: number | string): Rule | undefined =>
  v === '' || (Number.isFinite(Number(v)) && Number(v) >= 0) ? undefined : 'quota';

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

// Licence, user limit and storage quota (GB): the same fields when a tenant is created and edited.
export function LicenceFields({
  licence,
  onLicence,
  maxUsers,
  onMaxUsers,
  quota,
  onQuota,
  errors,
  disabled,
}: {
  licence: LicenceType;
  onLicence: (v: LicenceType) => void;
  maxUsers: number | string;
  onMaxUsers: (v: number | string) => void;
  quota: number | string;
  onQuota: (v: number | string) => void;
  errors: { licence_type?: string; max_users?: string; storage_quota_bytes?: string };
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
      <NativeSelect
        label={t('platform.fields.licence')}
        value={licence}
        onChange={(e) => onLicence(e.currentTarget.value as LicenceType)}
        data={LICENCE_TYPES.map((l) => ({ value: l, label: t(`platform.licence.${l}`) }))}
        error={errors.licence_type}
        disabled={disabled}
      />
      <NumberInput
        label={t('platform.fields.maxUsers')}
        description={t('platform.fields.emptyNoLimit')}
        min={1}
        allowDecimal={false}
        allowNegative={false}
        value={maxUsers}
        error={errors.max_users}
        onChange={onMaxUsers}
        disabled={disabled}
      />
      <NumberInput
        label={t('platform.fields.storageGb')}
        description={t('platform.fields.emptyNoLimit')}
        min={0}
        decimalScale={2}
        allowNegative={false}
        value={quota}
        error={errors.storage_quota_bytes}
        onChange={onQuota}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}
