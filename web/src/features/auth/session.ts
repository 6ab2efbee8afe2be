// Who is signed in: GET /api/auth/status, cached by TanStack Query under ['session']. null when
// nobody is (401). Sign-in and sign-out update the cache; everything role-dependent reads it.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Schemas, unwrap } from '@/lib/api';

export type SessionStatus = Schemas['AuthStatus'];
export type Role = SessionStatus['role'];
export const SESSION_KEY = ['session'] as const;

export async function fetchSession(): Promise<SessionStatus | null> {
  try {
    return await unwrap(api.GET('/api/auth/status'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

export function useSetSession() {
  const client = useQueryClient();
  return (s: SessionStatus | null) => {
    if (s) signedOutOnPurpose = false;
    client.setQueryData(SESSION_KEY, s);
  };
}

// Whether the last session ended by signing out (rather than expiring): then the sign-in page
// remembers no page to go back to — it would be the next person's landing page.
let signedOutOnPurpose = false;
export function markSignedOut() {
  signedOutOnPurpose = true;
}
export function signedOut() {
  return signedOutOnPurpose;
}

// The largest file the tenant accepts, to refuse a larger one before sending it.
export function useUploadLimit(): number | undefined {
  return useSession().data?.tenant?.max_upload_bytes;
}

export function isStaff(role: Role) {
  return role === 'MANAGER' || role === 'EXPERT' || role === 'ADMIN';
}
export function isCustomer(role: Role) {
  return role === 'CLIENT' || role === 'CUSTOMER_ADMIN';
}

// The tenant's branding, with the product's defaults.
export type Branding = Schemas['Branding'];
export const DEFAULT_BRANDING: Branding = {
  product_name: 'Kontor',
  primary_color: '#1c7ed6',
  accent_color: '#f59f00',
  logo_url: null,
};
export function brandingOf(s: SessionStatus | null | undefined): Branding {
  return s?.tenant?.branding ?? DEFAULT_BRANDING; // the server sends every field
}
