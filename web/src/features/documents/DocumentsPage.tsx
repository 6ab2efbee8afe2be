// Documents: the portal's list of the organisation's documents (customers), and the staff panel of
// one customer's documents with upload (MANAGER). Category filter, title search, size and date,
// download through a signed link.
import { ListPagination } from '@/components/ListPagination';
import { ListSkeleton } from '@/components/ListSkeleton';
import {
  Alert,
  Badge,
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
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '@/components/ErrorPanel';
import { useSession } from '@/features/auth/session';
import { ApiError } from '@/lib/api';
import { formatBytes, formatDate } from '@/lib/format';
import {
  CATEGORIES,
  type Document,
  type DocumentCategory,
  downloadDocument,
  useDocuments,
} from './api';
import { UploadDocument } from './UploadDocument';

function DocumentList({ customerId, staff }: { customerId: string; staff: boolean }) {
  const { t, i18n } = useTranslation();
  const [category, setCategory] = useState<DocumentCategory | null>(null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [downloading, setDownloading] = useState<string | null>(null);
  const query = useDocuments(customerId, {
    page,
    ...(category ? { category } : {}),
    ...(debounced ? { search: debounced } : {}),
  });

  const download = async (d: Document) => {
    setDownloading(d.id);
    try {
      await downloadDocument(d.id);
    } catch (e) {
      notifications.show({
        color: 'red',
        title: t('documents.downloadFailed'),
        message: e instanceof ApiError ? e.message : String(e),
      });
    } finally {
      setDownloading(null);
    }
  };

  const categoryLabel = (c: string) => t(`documents.category.${c}`);
  const data = query.data;
  const totalPages = data?.meta.total_pages ?? 1;

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          label={t('documents.search')}
          placeholder={t('documents.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', xs: 260 }}
        />
        <Select
          label={t('documents.categoryFilter')}
          placeholder={t('documents.allCategories')}
          clearable
          value={category}
          onChange={(v) => {
            setCategory(v as DocumentCategory | null);
            setPage(1);
          }}
          data={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))}
          w={{ base: '100%', xs: 220 }}
        />
      </Group>
      {query.isError && <ErrorPanel error={query.error} />}
      {query.isPending && <ListSkeleton />}
      {data && data.data.length === 0 && (
        <Card withBorder padding="lg">
          <Text c="dimmed">
            {debounced || category ? t('documents.noneMatching') : t('documents.none')}
          </Text>
        </Card>
      )}
      {data && data.data.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('documents.title')}</Table.Th>
                <Table.Th>{t('documents.categoryColumn')}</Table.Th>
                <Table.Th ta="right">{t('documents.size')}</Table.Th>
                <Table.Th>{t('documents.date')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('documents.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Text fw={500}>{d.title}</Text>
                    <Text size="xs" c="dimmed">
                      {d.filename}
                    </Text>
                    {staff && d.visibility === 'internal' && (
                      <Badge color="gray" size="xs" mt={4}>
                        {t('documents.internal')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{categoryLabel(d.category)}</Badge>
                  </Table.Td>
                  <Table.Td ta="right">{formatBytes(d.size, i18n.language)}</Table.Td>
                  <Table.Td>{formatDate(d.created_at, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      loading={downloading === d.id}
                      onClick={() => void download(d)}
                      aria-label={t('documents.downloadNamed', { name: d.title })}
                    >
                      {t('documents.download')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ListPagination total={totalPages} value={page} onChange={setPage} />
    </Stack>
  );
}

export function PortalDocumentsPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const customerId = session?.user.customer_id ?? undefined;
  return (
    <Stack>
      <Title order={2}>{t('documents.heading')}</Title>
      {customerId ? (
        <DocumentList customerId={customerId} staff={false} />
      ) : (
        <Alert>{t('documents.noOrganisation')}</Alert>
      )}
    </Stack>
  );
}

// One customer's documents as staff see them (internal ones marked), with the upload form for those
// who may file documents (MANAGER: documents.write). Composed into the customer page
// (src/app/pages/CustomerPage.tsx).
export function CustomerDocumentsPanel({ customerId }: { customerId: string }) {
  const { data: session } = useSession();
  const canUpload = session?.permissions.includes('documents.write') ?? false;
  return (
    <Stack>
      {canUpload && <UploadDocument customerId={customerId} />}
      <DocumentList customerId={customerId} staff />
    </Stack>
  );
}
