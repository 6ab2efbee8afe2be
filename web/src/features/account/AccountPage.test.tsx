import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { SESSION_KEY, type SessionStatus } from '@/features/auth/session';
import { accountOf, GOOD_CODE, QR_SVG, RECOVERY } from './testing';

afterEach(() => vi.restoreAllMocks());

const section = (name: string) => screen.findByRole('region', { name });

describe('account: profile', () => {
  it("shows who is signed in and saves a new name to the account and the header's session", async () => {
    const fake = accountOf({ role: 'CLIENT' });
    const user = userEvent.setup();
    const { client } = await renderApp('/account');
    await screen.findByRole('heading', { name: 'Account and security' });
    const profile = await section('Profile');
    expect(within(profile).getByText('carl@acme.example')).toBeInTheDocument();
    expect(within(profile).getByText('Customer')).toBeInTheDocument();
    expect(within(profile).getByText('Demo Service Desk')).toBeInTheDocument();
    expect(within(profile).getByText("The service desk's language (English)")).toBeInTheDocument();

    const name = within(profile).getByLabelText(/^Name/);
    await user.clear(name);
    await user.click(within(profile).getByRole('button', { name: 'Save name' }));
    expect(within(profile).getByText('Enter your name.')).toBeInTheDocument();
    expect(fake.requests).toHaveLength(0);

    await user.type(name, 'Carl C. Client');
    await user.click(within(profile).getByRole('button', { name: 'Save name' }));
    await screen.findByText('Your name was saved.');
    expect(fake.requests).toEqual([
      {
        method: 'PUT',
        path: `/api/users/${fake.session.user.id}`,
        body: { name: 'Carl C. Client' },
      },
    ]);
    expect(client.getQueryData<SessionStatus>(SESSION_KEY)?.user.name).toBe('Carl C. Client');
  });
});

describe('account: password', () => {
  it('checks the new password as the server does before sending anything', async () => {
    const fake = accountOf();
    const user = userEvent.setup();
    await renderApp('/account');
    const form = await section('Password');
    const submit = within(form).getByRole('button', { name: 'Change password' });

    await user.click(submit);
    expect(within(form).getByText('Enter your current password.')).toBeInTheDocument();
    expect(within(form).getByText('Choose a new password.')).toBeInTheDocument();

    await user.type(within(form).getByLabelText(/^Current password/), 'kontor-demo-2026');
    const next = within(form).getByLabelText(/^New password/);
    await user.type(next, 'short');
    await user.click(submit);
    expect(
      within(form).getByText('The new password must be at least 12 characters long.'),
    ).toBeInTheDocument();

    await user.clear(next);
    await user.type(next, 'Carl@acme.example');
    await user.click(submit);
    expect(
      within(form).getByText('The new password must not be your e-mail address.'),
    ).toBeInTheDocument();

    await user.clear(next);
    await user.type(next, 'Password1234');
    await user.click(submit);
    expect(
      within(form).getByText('This password is too well known; choose another.'),
    ).toBeInTheDocument();

    await user.clear(next);
    await user.type(next, 'a long and new secret');
    await user.type(
      within(form).getByLabelText(/^Repeat the new password/),
      'a long and new secrex',
    );
    await user.click(submit);
    expect(within(form).getByText('The two new passwords differ.')).toBeInTheDocument();
    expect(fake.requests).toHaveLength(0);
  });

  it('changes the password, says other sign-ins end, and empties the form', async () => {
    const fake = accountOf();
    const user = userEvent.setup();
    await renderApp('/account');
    await screen.findByRole('heading', { name: 'Account and security' });
    expect(screen.getByText(/every other sign-in of your account ends/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Current password/), 'kontor-demo-2026');
    await user.type(screen.getByLabelText(/^New password/), 'a long and new secret');
    await user.type(screen.getByLabelText(/^Repeat the new password/), 'a long and new secret');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('Your password was changed. Other sign-ins have ended.');
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: '/api/auth/password',
        body: { current_password: 'kontor-demo-2026', new_password: 'a long and new secret' },
      },
    ]);
    expect(fake.password).toBe('a long and new secret');
    expect(screen.getByLabelText(/^Current password/)).toHaveValue('');
  });

  it("says so at the field when the current password is wrong (the server's 422)", async () => {
    const fake = accountOf();
    const user = userEvent.setup();
    const { router } = await renderApp('/account');
    await screen.findByRole('heading', { name: 'Account and security' });
    await user.type(screen.getByLabelText(/^Current password/), 'not my password');
    await user.type(screen.getByLabelText(/^New password/), 'a long and new secret');
    await user.type(screen.getByLabelText(/^Repeat the new password/), 'a long and new secret');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The current password is not right.')).toBeInTheDocument();
    // The session is fine: no refresh, one request, and the user is still here.
    expect(fake.refreshes).toBe(0);
    expect(fake.requests.filter((r) => r.path === '/api/auth/password')).toHaveLength(1);
    expect(router.state.location.pathname).toBe('/account');
    expect(fake.password).toBe('kontor-demo-2026');
  });

  it("shows the server's 422 at the new password, in the user's words", async () => {
    accountOf();
    const user = userEvent.setup();
    await renderApp('/account');
    await screen.findByRole('heading', { name: 'Account and security' });
    await user.type(screen.getByLabelText(/^Current password/), 'kontor-demo-2026');
    // Not on our list, but the server's (it says "is a well-known password").
    await user.type(screen.getByLabelText(/^New password/), 'QwertyQwerty');
    await user.type(screen.getByLabelText(/^Repeat the new password/), 'QwertyQwerty');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(
      await screen.findByText('This password is too well known; choose another.'),
    ).toBeInTheDocument();
  });
});

describe('account: second factor', () => {
  it('sets it up with the QR code or the grouped key, confirms a code and shows the recovery codes once', async () => {
    const fake = accountOf({ role: 'EXPERT' });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:codes';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const user = userEvent.setup();
    const { client } = await renderApp('/account');
    const mfa = await section('Two-factor authentication');
    expect(within(mfa).getByText('Off')).toBeInTheDocument();
    await user.click(within(mfa).getByRole('button', { name: 'Set up two-factor authentication' }));

    const qr = await within(mfa).findByRole('img', { name: 'QR code for your authenticator app' });
    expect(qr.getAttribute('src')).toBe(
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(QR_SVG)}`,
    );
    // Never the markup itself in the page.
    expect(mfa.querySelector('svg path[d="M0 0h7v7H0z"]')).toBeNull();
    expect(within(mfa).getByLabelText(/^Setup key/)).toHaveValue(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );

    const code = within(mfa).getByLabelText(/^Code from the app/);
    await user.type(code, '12');
    await user.click(within(mfa).getByRole('button', { name: 'Turn on' }));
    expect(within(mfa).getByText('Enter the 6 digits the app shows.')).toBeInTheDocument();
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/auth/mfa/setup']);

    await user.clear(code);
    await user.type(code, '111111');
    await user.click(within(mfa).getByRole('button', { name: 'Turn on' }));
    expect(await within(mfa).findByText(/That code does not match/)).toBeInTheDocument();

    await user.clear(code);
    await user.type(code, GOOD_CODE);
    await user.click(within(mfa).getByRole('button', { name: 'Turn on' }));
    const list = await within(mfa).findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(RECOVERY);
    expect(fake.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/api/auth/mfa/verify',
      body: { code: GOOD_CODE },
    });
    expect(within(mfa).getByText('On')).toBeInTheDocument();
    expect(client.getQueryData<SessionStatus>(SESSION_KEY)?.user.mfa_enabled).toBe(true);

    await user.click(within(mfa).getByRole('button', { name: 'Download as text' }));
    expect(click).toHaveBeenCalled();
    const text = await created[0]!.text();
    expect(text).toContain('Recovery codes for carl@acme.example (Demo Desk)');
    for (const c of RECOVERY) expect(text).toContain(c);

    await user.click(within(mfa).getByRole('button', { name: 'I have saved my codes' }));
    expect(within(mfa).queryByRole('list', { name: 'Recovery codes' })).toBeNull();
    for (const c of RECOVERY) expect(screen.queryByText(c)).toBeNull();
    expect(
      within(mfa).getByRole('button', { name: 'Turn off two-factor authentication' }),
    ).toBeInTheDocument();
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/api/auth/mfa/setup',
      '/api/auth/mfa/verify',
      '/api/auth/mfa/verify',
    ]);
  });

  it('turns it off with the password, and says so when the password is wrong', async () => {
    const fake = accountOf({ session: sessionOf('MANAGER', { mfa_enabled: true }) });
    const user = userEvent.setup();
    const { client } = await renderApp('/account');
    const mfa = await section('Two-factor authentication');
    expect(within(mfa).getByText('On')).toBeInTheDocument();
    await user.click(
      within(mfa).getByRole('button', { name: 'Turn off two-factor authentication' }),
    );
    await user.click(within(mfa).getByRole('button', { name: 'Turn off' }));
    expect(within(mfa).getByText('Enter your password.')).toBeInTheDocument();

    await user.type(within(mfa).getByLabelText(/^Your password/), 'wrong password');
    await user.click(within(mfa).getByRole('button', { name: 'Turn off' }));
    expect(await within(mfa).findByText('The password is not right.')).toBeInTheDocument();
    expect(fake.session.user.mfa_enabled).toBe(true);

    await user.clear(within(mfa).getByLabelText(/^Your password/));
    await user.type(within(mfa).getByLabelText(/^Your password/), 'kontor-demo-2026');
    await user.click(within(mfa).getByRole('button', { name: 'Turn off' }));
    await screen.findByText('Two-factor authentication is off.');
    expect(fake.requests.at(-1)).toEqual({
      method: 'DELETE',
      path: '/api/auth/mfa',
      body: { password: 'kontor-demo-2026' },
    });
    await waitFor(() => expect(within(mfa).getByText('Off')).toBeInTheDocument());
    expect(client.getQueryData<SessionStatus>(SESSION_KEY)?.user.mfa_enabled).toBe(false);
  });

  it('explains first, and puts the second factor first, when the desk requires one', async () => {
    accountOf({ session: { ...sessionOf('EXPERT'), mfa_enrolment_required: true } });
    await renderApp('/account');
    const alert = (await screen.findByText('Set up two-factor authentication to continue')).closest(
      '[role="alert"]',
    );
    expect(alert).not.toBeNull();
    expect(alert).toHaveTextContent('the other screens stay closed to you');
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(['Two-factor authentication', 'Profile', 'Password']);
  });
});

describe('account in German', () => {
  it('speaks German', async () => {
    accountOf({
      session: { ...sessionOf('EXPERT', { locale: 'de' }), mfa_enrolment_required: true },
    });
    const user = userEvent.setup();
    await renderApp('/account', 'de');
    await screen.findByRole('heading', { name: 'Konto und Sicherheit' });
    expect(
      screen
        .getByText('Richten Sie die Zwei-Faktor-Authentifizierung ein, um fortzufahren')
        .closest('[role="alert"]'),
    ).not.toBeNull();
    expect(screen.getByRole('heading', { name: 'Passwort' })).toBeInTheDocument();
    expect(screen.getByText('Deutsch')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Passwort ändern' }));
    expect(screen.getByText('Geben Sie Ihr aktuelles Passwort ein.')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Zwei-Faktor-Authentifizierung einrichten' }),
    );
    expect(await screen.findByLabelText(/^Einrichtungsschlüssel/)).toBeInTheDocument();
  });
});
