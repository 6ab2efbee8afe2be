// The frame's own rules: signing out leaves no page behind for the next person, and a staff user
// whose tenant requires a second factor is taken to set it up before anything else.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { accountOf } from '@/features/account/testing';
import { sessionOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';

describe('the app frame', () => {
  it('signs out to a sign-in page that remembers no page', async () => {
    accountOf();
    let loggedOut = 0;
    server.use(
      http.post('*/api/auth/logout', () => {
        loggedOut += 1;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    const { router } = await renderApp('/account');
    await screen.findByRole('heading', { name: 'Account and security' });
    await user.click(screen.getByRole('button', { name: 'Account' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(router.state.location.search).toBe('');
    expect(loggedOut).toBe(1);
  });

  it('takes staff who must enrol a second factor to their account first', async () => {
    accountOf({ session: { ...sessionOf('EXPERT'), mfa_enrolment_required: true } });
    const { router } = await renderApp('/desk');
    await waitFor(() => expect(router.state.location.pathname).toBe('/account'));
    expect(await screen.findByRole('heading', { name: 'Account and security' })).toBeVisible();
  });
});
