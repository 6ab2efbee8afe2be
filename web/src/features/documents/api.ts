// The documents feature's server calls (TanStack Query keys under ['documents', …]).
import { followDownloadLink } from '@/lib/download';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap, uploadFile } from '@/lib/api';

export type Document = Schemas['Document'];
export type DocumentCategory = Schemas['DocumentCategory'];
export const CATEGORIES: DocumentCategory[] = [
  'contract',
  'invoice',
  'report',
  'certificate',
  'other',
];

export interface DocumentFilter {
  category?: DocumentCategory;
  search?: string;
  page: number;
}

export function useDocuments(customerId: string | undefined, filter: DocumentFilter) {
  return useQuery({
    queryKey: ['documents', customerId, filter],
    enabled: !!customerId,
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/customers/{id}/documents', {
          params: {
            path: { id: customerId! },
            query: {
              page: filter.page,
              limit: 25,
              ...(filter.category ? { category: filter.category } : {}),
              ...(filter.search ? { search: filter.search } : {}),
            },
          },
        }),
      ),
  });
}

// Asks for a signed link and lets the browser fetch it (the answer is an attachment, so the page
// stays where it is).
export async function downloadDocument(id: string) {
  const link = await unwrap(
    api.POST('/api/documents/{id}/download-url', { params: { path: { id } } }),
  );
  followDownloadLink(link.url);
}

export interface NewDocument {
  file: File;
  title?: string;
  category: DocumentCategory;
  visibility: 'customer' | 'internal';
}

export function useUploadDocument(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, onProgress }: { input: NewDocument; onProgress: (f: number) => void }) =>
      uploadFile(
        `/api/customers/${encodeURIComponent(customerId)}/documents`,
        input.file,
        {
          ...(input.title ? { title: input.title } : {}),
          category: input.category,
          visibility: input.visibility,
        },
        onProgress,
      ) as Promise<Document>,
    onSuccess: () => client.invalidateQueries({ queryKey: ['documents', customerId] }),
  });
}
