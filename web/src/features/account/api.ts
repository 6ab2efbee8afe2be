// The account feature's server calls: the own name (PUT /api/users/{id}), the password
// (POST /api/auth/password) and the second factor (POST /api/auth/mfa/setup, POST
// /api/auth/mfa/verify, DELETE /api/auth/mfa). Every change lands in the ['session'] query, which
// the header and the guards read, and the session is then read again from the server (a tenant
// that requires a second factor for staff turns `mfa_enrolment_required` on or off with it).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SESSION_KEY, type SessionStatus } from '@/features/auth/session';
import { api, type Schemas, unwrap } from '@/lib/api';

export type MfaSetup = Schemas['MfaSetup'];

function useSessionUpdate() {
  const client = useQueryClient();
  return (change: (s: SessionStatus) => SessionStatus) => {
    const current = client.getQueryData<SessionStatus | null>(SESSION_KEY);
    if (current) client.setQueryData(SESSION_KEY, change(current));
    return client.invalidateQueries({ queryKey: SESSION_KEY });
  };
}

export function useRename(userId: string) {
  const update = useSessionUpdate();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(api.PUT('/api/users/{id}', { params: { path: { id: userId } }, body: { name } })),
    onSuccess: (user) => update((s) => ({ ...s, user })),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: Schemas['PasswordChange']) =>
      unwrap(api.POST('/api/auth/password', { body })),
  });
}

export function useStartMfa() {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/mfa/setup')),
  });
}

export function useConfirmMfa() {
  const update = useSessionUpdate();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/auth/mfa/verify', { body: { code } })),
    onSuccess: () =>
      update((s) => ({
        ...s,
        mfa_enrolment_required: false,
        user: { ...s.user, mfa_enabled: true },
      })),
  });
}

export function useDisableMfa() {
  const update = useSessionUpdate();
  return useMutation({
    mutationFn: (password: string) => unwrap(api.DELETE('/api/auth/mfa', { body: { password } })),
    onSuccess: () => update((s) => ({ ...s, user: { ...s.user, mfa_enabled: false } })),
  });
}

// The session after a 409 that says the second factor is not as this page thought (changed in
// another tab): read it again.
export function useReloadSession() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: SESSION_KEY });
}

// "JBSWY3DPEHPK3PXP…" in groups of four, as authenticator apps show and accept it.
export const groupSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

// The QR code as an image: the server's SVG document in a data: URL. An <img> never runs scripts
// or loads anything an SVG might name, so the markup is never put into the page itself.
export const qrDataUrl = (svg: string) =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
