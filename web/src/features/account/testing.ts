// The account API at the network edge for the screen tests: one signed-in user whose password and
// second factor change as the server's would (server/src/kontor/auth/auth_service.cpp), and a
// record of what was asked. A wrong password is the form's error (422 at the field), as the
// server answers; `refreshes` counts refreshes, which a wrong password must not cause.
import { http, HttpResponse } from 'msw';
import type { Schemas } from '@/lib/api';
import { sessionOf } from '@/test/fixtures';
import { server } from '@/test/server';

type Status = Schemas['AuthStatus'];
type Role = Status['role'];

export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const GOOD_CODE = '246810';
export const RECOVERY = ['abcd-efgh-jkmn', 'pqrs-tuvw-xyz2', '3456-789a-bcde'];
export const QR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21"><rect width="21" height="21" fill="#fff"/><path fill="#000" d="M0 0h7v7H0z"/></svg>';

export interface AccountFake {
  session: Status;
  password: string;
  pending: string | null;
  requests: { method: string; path: string; body: unknown }[];
  refreshes: number;
}

const problem = (status: number, code: string, detail: string, extra: object = {}) =>
  HttpResponse.json(
    {
      type: `https://kontor.dev/problems/${code}`,
      title: code,
      status,
      code,
      detail,
      request_id: 'rid-7',
      ...extra,
    },
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );

export function accountOf(
  options: { role?: Role; session?: Status; password?: string } = {},
): AccountFake {
  const fake: AccountFake = {
    session: options.session ?? sessionOf(options.role ?? 'CLIENT'),
    password: options.password ?? 'kontor-demo-2026',
    pending: null,
    requests: [],
    refreshes: 0,
  };
  const record = async (request: Request, path: string) => {
    const text = await request.clone().text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    fake.requests.push({ method: request.method, path, body });
    return body;
  };
  server.use(
    http.get('*/api/auth/status', () => HttpResponse.json(fake.session)),
    http.post('*/api/auth/refresh', () => {
      fake.refreshes += 1;
      return HttpResponse.json({ access_token: 'a', token_type: 'Bearer' });
    }),
    http.put('*/api/users/:id', async ({ request, params }) => {
      const body = (await record(request, `/api/users/${String(params.id)}`)) as { name?: string };
      if (params.id !== fake.session.user.id)
        return problem(404, 'not_found', 'There is no such user.');
      if (body.name !== undefined && body.name.trim() === '')
        return problem(422, 'validation_failed', 'The user is invalid.', {
          errors: [{ field: '/name', message: 'must not be empty' }],
        });
      fake.session = { ...fake.session, user: { ...fake.session.user, ...body } };
      return HttpResponse.json(fake.session.user);
    }),
    http.post('*/api/auth/password', async ({ request }) => {
      const body = (await record(request, '/api/auth/password')) as {
        current_password: string;
        new_password: string;
      };
      if (body.current_password !== fake.password)
        return problem(422, 'validation_failed', 'The request is invalid.', {
          errors: [{ field: '/current_password', message: 'is not your current password' }],
        });
      if (body.new_password.toLowerCase() === 'qwertyqwerty')
        return problem(422, 'validation_failed', 'The request is invalid.', {
          errors: [{ field: '/new_password', message: 'is a well-known password' }],
        });
      fake.password = body.new_password;
      return new HttpResponse(null, { status: 204 });
    }),
    http.post('*/api/auth/mfa/setup', async ({ request }) => {
      await record(request, '/api/auth/mfa/setup');
      if (fake.session.user.mfa_enabled)
        return problem(409, 'conflict', 'A second factor is already set up.');
      fake.pending = SECRET;
      return HttpResponse.json({
        secret: SECRET,
        otpauth_uri: `otpauth://totp/Kontor:${encodeURIComponent(fake.session.user.email)}?secret=${SECRET}&issuer=Kontor`,
        qr_svg: QR_SVG,
      });
    }),
    http.post('*/api/auth/mfa/verify', async ({ request }) => {
      const body = (await record(request, '/api/auth/mfa/verify')) as { code: string };
      if (fake.session.user.mfa_enabled)
        return problem(409, 'conflict', 'A second factor is already set up.');
      if (!fake.pending) return problem(409, 'conflict', 'Start with POST /api/auth/mfa/setup.');
      if (body.code !== GOOD_CODE)
        return problem(422, 'validation_failed', 'The request is invalid.', {
          errors: [
            { field: '/code', message: "does not match; check the code and the device's clock" },
          ],
        });
      fake.pending = null;
      fake.session = {
        ...fake.session,
        mfa_enrolment_required: false,
        user: { ...fake.session.user, mfa_enabled: true },
      };
      return HttpResponse.json({ mfa_enabled: true, recovery_codes: RECOVERY });
    }),
    http.delete('*/api/auth/mfa', async ({ request }) => {
      const body = (await record(request, '/api/auth/mfa')) as { password: string };
      if (body.password !== fake.password)
        return problem(422, 'validation_failed', 'The request is invalid.', {
          errors: [{ field: '/password', message: 'is not your current password' }],
        });
      if (!fake.session.user.mfa_enabled)
        return problem(409, 'conflict', 'No second factor is set up.');
      fake.session = { ...fake.session, user: { ...fake.session.user, mfa_enabled: false } };
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return fake;
}
