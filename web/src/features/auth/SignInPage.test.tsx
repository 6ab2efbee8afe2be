import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { page, sessionOf } from '@/test/fixtures';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { safeNext } from './SignInPage';

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  HttpResponse.json(
    { type: 'about:blank', title: code, status, code, detail: code, request_id: 'rid-1' },
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );

// Nobody signed in until /api/auth/login succeeds.
function signInFlow(answers: Array<() => Response>) {
  let signedIn = false;
  const bodies: unknown[] = [];
  server.use(
    http.get('*/api/auth/status', () =>
      signedIn ? HttpResponse.json(sessionOf('CLIENT')) : problem(401, 'unauthenticated'),
    ),
    http.post('*/api/auth/refresh', () => problem(401, 'unauthenticated')),
    http.post('*/api/auth/login', async ({ request }) => {
      bodies.push(await request.json());
      const answer = answers.shift()!();
      if (answer.status === 200) signedIn = true;
      return answer;
    }),
    http.get('*/api/customers/:id/documents', () => HttpResponse.json(page([]))),
  );
  return bodies;
}
const ok = () => HttpResponse.json({ access_token: 'a', token_type: 'Bearer' });

describe('sign-in', () => {
  it('sends a signed-out visitor to sign-in and back to the page they asked for', async () => {
    const bodies = signInFlow([ok]);
    const user = userEvent.setup();
    const { router } = await renderApp('/portal/documents?x=1');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(router.state.location.pathname).toBe('/sign-in');
    await user.type(screen.getByLabelText(/E-mail/), 'carl@acme.example');
    await user.type(screen.getByLabelText(/Password/), 'kontor-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Documents' });
    expect(router.state.location.pathname + router.state.location.search).toBe(
      '/portal/documents?x=1',
    );
    expect(bodies).toEqual([{ email: 'carl@acme.example', password: 'kontor-demo-2026' }]);
  });

  it('says so when the password is wrong, and asks for both fields first', async () => {
    const bodies = signInFlow([() => problem(401, 'unauthenticated')]);
    const user = userEvent.setup();
    await renderApp('/sign-in');
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter your e-mail and password.');
    expect(bodies).toHaveLength(0);
    await user.type(screen.getByLabelText(/E-mail/), 'carl@acme.example');
    await user.type(screen.getByLabelText(/Password/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The e-mail or password is not right.',
    );
  });

  it('asks for the second factor when the account has one', async () => {
    const bodies = signInFlow([() => problem(401, 'mfa_required'), ok]);
    const user = userEvent.setup();
    await renderApp('/sign-in');
    await user.type(await screen.findByLabelText(/E-mail/), 'carl@acme.example');
    await user.type(screen.getByLabelText(/Password/), 'kontor-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText(/Code/), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { name: 'Documents' });
    expect(bodies[1]).toEqual({
      email: 'carl@acme.example',
      password: 'kontor-demo-2026',
      totp: '123456',
    });
  });

  it('tells how long to wait after too many attempts', async () => {
    signInFlow([() => problem(429, 'rate_limited', { 'Retry-After': '42' })]);
    const user = userEvent.setup();
    await renderApp('/sign-in');
    await user.type(await screen.findByLabelText(/E-mail/), 'carl@acme.example');
    await user.type(screen.getByLabelText(/Password/), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 42 seconds.');
  });

  it('never sends anyone to another site after sign-in', () => {
    expect(safeNext('/portal/documents?x=1')).toBe('/portal/documents?x=1');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
