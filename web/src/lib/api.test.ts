// The shared client at the network edge: one refresh on 401, then the same request again — body
// included — and the session's end when the refresh fails too.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '@/test/server';
import { api, ApiError, onSessionExpired, unwrap } from './api';

describe('the API client', () => {
  it('refreshes once on 401 and sends the request again with its body', async () => {
    const bodies: unknown[] = [];
    let refreshes = 0;
    server.use(
      http.post('*/api/auth/refresh', () => {
        refreshes += 1;
        return HttpResponse.json({ access_token: 'fresh', token_type: 'Bearer' });
      }),
      http.put('*/api/users/:id', async ({ request }) => {
        bodies.push(await request.json());
        if (bodies.length === 1) return HttpResponse.json({ status: 401 }, { status: 401 });
        return HttpResponse.json({ id: 'u1', name: 'Renamed' });
      }),
    );
    const user = await unwrap(
      api.PUT('/api/users/{id}', { params: { path: { id: 'u1' } }, body: { name: 'Renamed' } }),
    );
    expect(user).toMatchObject({ name: 'Renamed' });
    expect(refreshes).toBe(1);
    expect(bodies).toEqual([{ name: 'Renamed' }, { name: 'Renamed' }]);
  });

  it('ends the session when the refresh fails as well', async () => {
    let expired = 0;
    onSessionExpired(() => (expired += 1));
    server.use(
      http.post('*/api/auth/refresh', () => HttpResponse.json({ status: 401 }, { status: 401 })),
      http.get('*/api/customers', () => HttpResponse.json({ status: 401 }, { status: 401 })),
    );
    await expect(unwrap(api.GET('/api/customers'))).rejects.toBeInstanceOf(ApiError);
    expect(expired).toBe(1);
    onSessionExpired(() => {});
  });
});
