// The tenant's file size limit, applied before a byte is sent: the server would refuse a larger
// file (413) only after the browser had uploaded it.
import type { TFunction } from 'i18next';
import { formatBytes } from '@/lib/format';

export function splitBySize(files: File[], maxBytes: number | null | undefined) {
  if (!maxBytes) return { accepted: files, refused: [] as File[] };
  return {
    accepted: files.filter((f) => f.size <= maxBytes),
    refused: files.filter((f) => f.size > maxBytes),
  };
}

// "Too large to send: a.zip. This service desk accepts files up to 25 MB." — or null.
export function tooLargeMessage(
  refused: File[],
  maxBytes: number | null | undefined,
  t: TFunction,
  locale: string,
): string | null {
  if (refused.length === 0 || !maxBytes) return null;
  return t('files.tooLarge', {
    names: refused.map((f) => f.name).join(', '),
    max: formatBytes(maxBytes, locale),
  });
}
