import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { page, sessionOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';

const problem = (
  status: number,
  code: string,
  detail: string,
  extra: object = {},
  headers: Record<string, string> = {},
) =>
  HttpResponse.json(
    { type: 'about:blank', title: code, status, code, detail, request_id: 'rid-9', ...extra },
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );

// Nobody signed in until /api/auth/register succeeds (then the new CLIENT is); the bodies sent.
function registration(answer: () => Response = () => HttpResponse.json({}, { status: 201 })) {
  let signedIn = false;
  const bodies: unknown[] = [];
  server.use(
    http.get('*/api/auth/status', () =>
      signedIn
        ? HttpResponse.json(sessionOf('CLIENT', { name: 'Nora New', email: 'nora@acme.example' }))
        : problem(401, 'unauthenticated', 'Sign in first.'),
    ),
    http.post('*/api/auth/refresh', () => problem(401, 'unauthenticated', 'No refresh token.')),
    http.post('*/api/auth/register', async ({ request }) => {
      bodies.push(await request.json());
      const res = answer();
      if (res.status === 201) signedIn = true;
      return res;
    }),
    http.get('*/api/customers/:id/documents', () => HttpResponse.json(page([]))),
  );
  return bodies;
}

async function fillSelf(user: ReturnType<typeof userEvent.setup>, email = 'nora@acme.example') {
  await user.type(await screen.findByLabelText(/^Service desk/), 'Demo');
  await user.type(screen.getByLabelText(/^Your name/), 'Nora New');
  await user.type(screen.getByLabelText(/^Work e-mail/), email);
  await user.type(screen.getByLabelText(/^Password/), 'a long enough secret');
  await user.type(screen.getByLabelText(/^Repeat the password/), 'a long enough secret');
}

describe('registration', () => {
  it('is linked from sign-in', async () => {
    registration();
    const user = userEvent.setup();
    const { router } = await renderApp('/sign-in');
    await user.click(await screen.findByRole('link', { name: 'Create an account' }));
    await screen.findByRole('heading', { name: 'Create your account' });
    expect(router.state.location.pathname).toBe('/register');
  });

  it('registers a customer at a desk and lands them in the portal, signed in', async () => {
    const bodies = registration();
    const user = userEvent.setup();
    const { router, client } = await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByRole('heading', { name: 'Documents' });
    expect(router.state.location.pathname).toBe('/portal/documents');
    expect(bodies).toEqual([
      {
        tenant: 'demo',
        name: 'Nora New',
        email: 'nora@acme.example',
        password: 'a long enough secret',
        locale: 'en',
      },
    ]);
    expect(client.getQueryData<{ user: { email: string } }>(['session'])?.user.email).toBe(
      'nora@acme.example',
    );
  });

  it('checks the form as the server does before sending', async () => {
    const bodies = registration();
    const user = userEvent.setup();
    await renderApp('/register');
    await user.click(await screen.findByRole('button', { name: 'Create account' }));
    expect(screen.getByText("Enter the service desk's short name.")).toBeInTheDocument();
    expect(screen.getByText('Enter your name.')).toBeInTheDocument();
    expect(screen.getByText('Enter your e-mail address.')).toBeInTheDocument();
    expect(screen.getByText('Choose a password.')).toBeInTheDocument();

    await user.type(screen.getByLabelText(/^Work e-mail/), 'nora@acme');
    await user.type(screen.getByLabelText(/^Password/), 'nora@acme');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText(/Enter a valid e-mail address/)).toBeInTheDocument();
    expect(
      screen.getByText('The password must be at least 12 characters long.'),
    ).toBeInTheDocument();

    await user.clear(screen.getByLabelText(/^Work e-mail/));
    await user.type(screen.getByLabelText(/^Work e-mail/), 'Nora.Longname@acme.example');
    await user.clear(screen.getByLabelText(/^Password/));
    await user.type(screen.getByLabelText(/^Password/), 'nora.longname');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('The password must not be your e-mail address.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText(/^Password/));
    await user.type(screen.getByLabelText(/^Password/), 'a long enough secret');
    await user.type(screen.getByLabelText(/^Repeat the password/), 'a long enough secreT');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('The two passwords differ.')).toBeInTheDocument();
    expect(bodies).toHaveLength(0);
  });

  it('completes an invitation with the token, a password and an optional name', async () => {
    const bodies = registration();
    const user = userEvent.setup();
    const { router } = await renderApp('/register?invite=tok-123');
    await screen.findByRole('heading', { name: 'Accept your invitation' });
    expect(screen.queryByLabelText(/^Service desk/)).toBeNull();
    expect(screen.queryByLabelText(/^Work e-mail/)).toBeNull();
    await user.type(screen.getByLabelText(/^Password/), 'a long enough secret');
    await user.type(screen.getByLabelText(/^Repeat the password/), 'a long enough secret');
    await user.click(screen.getByRole('button', { name: 'Accept and sign in' }));
    await screen.findByRole('heading', { name: 'Documents' });
    expect(router.state.location.pathname).toBe('/portal/documents');
    expect(bodies).toEqual([{ invite_token: 'tok-123', password: 'a long enough secret' }]);
  });

  it('says when the invitation is unknown, used or expired', async () => {
    registration(() => problem(404, 'not_found', 'The invitation is unknown, used or expired.'));
    const user = userEvent.setup();
    await renderApp('/register?invite=old');
    await user.type(await screen.findByLabelText(/^Your name/), 'Nora');
    await user.type(screen.getByLabelText(/^Password/), 'a long enough secret');
    await user.type(screen.getByLabelText(/^Repeat the password/), 'a long enough secret');
    await user.click(screen.getByRole('button', { name: 'Accept and sign in' }));
    expect(
      await screen.findByText(/This invitation is unknown, has already been used/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to sign-in' })).toHaveAttribute('href', '/sign-in');
  });

  it('says when the desk does not take registrations (403)', async () => {
    registration(() =>
      problem(
        403,
        'forbidden',
        'This service desk does not allow self-registration; ask for an invite.',
      ),
    );
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(
      await screen.findByText(/This service desk does not accept registrations\. Ask your contact/),
    ).toBeInTheDocument();
  });

  it('names the desk field when there is no such desk (404)', async () => {
    registration(() => problem(404, 'not_found', 'There is no such service desk.'));
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/There is no service desk with this name/)).toBeInTheDocument();
  });

  it("explains at the e-mail when its domain is not one of the desk's customers (422)", async () => {
    registration(() =>
      problem(422, 'validation_failed', 'The request is invalid.', {
        errors: [
          {
            field: '/email',
            message: "self-registration is open to the e-mail domains of this desk's customers",
          },
        ],
      }),
    );
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user, 'nora@gmail.example');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(
      await screen.findByText(
        /accepts registrations only from e-mail addresses of its customers' domains/,
      ),
    ).toBeInTheDocument();
  });

  it('says the e-mail is taken (409) and offers sign-in', async () => {
    registration(() => problem(409, 'conflict', 'The e-mail address is taken.'));
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(
      await screen.findByText('An account with this e-mail address already exists.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to sign-in' })).toBeInTheDocument();
  });

  it('says when the desk is full (409 quota_exceeded)', async () => {
    registration(() =>
      problem(409, 'quota_exceeded', 'This service desk has reached its user limit.'),
    );
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/has reached its user limit/)).toBeInTheDocument();
    expect(screen.queryByText('An account with this e-mail address already exists.')).toBeNull();
  });

  it('tells how long to wait after too many attempts (429)', async () => {
    registration(() =>
      problem(429, 'rate_limited', 'Too many attempts.', {}, { 'Retry-After': '300' }),
    );
    const user = userEvent.setup();
    await renderApp('/register');
    await fillSelf(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(
      await screen.findByText('Too many attempts. Try again in 5 minutes.'),
    ).toBeInTheDocument();
  });

  it('sends someone already signed in to their start page', async () => {
    server.use(
      http.get('*/api/auth/status', () => HttpResponse.json(sessionOf('CLIENT'))),
      http.get('*/api/customers/:id/documents', () => HttpResponse.json(page([]))),
    );
    const { router } = await renderApp('/register');
    await screen.findByRole('heading', { name: 'Documents' });
    expect(router.state.location.pathname).toBe('/portal/documents');
  });

  it('speaks German', async () => {
    const bodies = registration(() =>
      problem(403, 'forbidden', 'This service desk does not allow self-registration.'),
    );
    const user = userEvent.setup();
    await renderApp('/register', 'de');
    await screen.findByRole('heading', { name: 'Konto erstellen' });
    await user.click(screen.getByRole('button', { name: 'Konto erstellen' }));
    expect(screen.getByText('Geben Sie den Kurznamen des Service-Desks ein.')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Service-Desk/), 'demo');
    await user.type(screen.getByLabelText(/^Ihr Name/), 'Nora Neu');
    await user.type(screen.getByLabelText(/^Geschäftliche E-Mail/), 'nora@acme.example');
    await user.type(screen.getByLabelText(/^Passwort$|^Passwort \*/), 'ein langes Geheimnis');
    await user.type(screen.getByLabelText(/^Passwort wiederholen/), 'ein langes Geheimnis');
    await user.click(screen.getByRole('button', { name: 'Konto erstellen' }));
    expect(await screen.findByText(/nimmt keine Registrierungen an/)).toBeInTheDocument();
    expect(bodies).toEqual([
      expect.objectContaining({ tenant: 'demo', locale: 'de', name: 'Nora Neu' }),
    ]);
  });
});

// Beside the link to registration, the one other change to the sign-in page: a wrong or used
// second factor is answered 401 `unauthenticated` (not `mfa_required`), and must not read as a
// wrong password.
describe('sign-in with a second factor', () => {
  it('says the code is wrong, not the password', async () => {
    const answers = [
      () => problem(401, 'mfa_required', 'Enter the code from your authenticator app.'),
      () => problem(401, 'unauthenticated', 'The second factor is wrong or was used.'),
    ];
    server.use(
      http.get('*/api/auth/status', () => problem(401, 'unauthenticated', 'Sign in first.')),
      http.post('*/api/auth/refresh', () => problem(401, 'unauthenticated', 'No refresh token.')),
      http.post('*/api/auth/login', () => answers.shift()!()),
    );
    const user = userEvent.setup();
    await renderApp('/sign-in');
    await user.type(await screen.findByLabelText(/E-mail/), 'nora@acme.example');
    await user.type(screen.getByLabelText(/Password/), 'a long enough secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText(/Code/), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(
      await screen.findByText('That code is not right; try the current one.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('The e-mail or password is not right.')).toBeNull();
  });
});
