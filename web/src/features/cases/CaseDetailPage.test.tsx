import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '@/lib/format';
import { attachmentOf, commentOf, sessionOf, ticketOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { deskOf } from './testing';

const vpn = ticketOf();
const path = `/portal/cases/${vpn.id}`;

afterEach(() => vi.restoreAllMocks());
// Notifications live in a store of their own: none may outlast its test.
afterEach(() => act(() => notifications.clean()));

describe('portal case detail', () => {
  it('shows the case, its conversation oldest first, its files and its history', async () => {
    deskOf({ tickets: [ticketOf()] });
    await renderApp(path);
    expect(
      await screen.findByRole('heading', { level: 2, name: 'VPN drops every hour' }),
    ).toBeVisible();
    expect(screen.getByText('#1001')).toBeInTheDocument();
    expect(screen.getByText('In progress')).toBeInTheDocument();
    expect(screen.getByText('High')).toBeInTheDocument();
    expect(
      screen.getByText('Since Monday the VPN disconnects about once an hour.'),
    ).toBeInTheDocument();

    const conversation = screen.getByRole('region', { name: 'Conversation' });
    const items = await within(conversation).findAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('It happened again at 10:00.'),
      expect.stringContaining('We are looking into it.'),
    ]);
    expect(within(items[0]!).getByText('You')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Erik Expert')).toBeInTheDocument();
    const answered = formatDateTime('2026-11-02T11:00:00Z', 'en'); // in the machine's time zone
    expect(within(items[1]!).getByText(answered)).toBeInTheDocument();

    const files = screen.getByRole('region', { name: 'Files' });
    expect(await within(files).findByText('vpn-log.txt')).toBeInTheDocument();
    expect(within(files).getByText(/12 KB/)).toBeInTheDocument();

    const history = screen.getByRole('region', { name: 'History' });
    expect(await within(history).findByText('Case opened')).toBeInTheDocument();
    expect(
      within(history).getByText('Status changed from Assigned to In progress'),
    ).toBeInTheDocument();
    // The conversation shows comments; the timeline does not repeat them.
    expect(within(history).queryByText(/comment/i)).not.toBeInTheDocument();
  });

  it('downloads a file through a signed link', async () => {
    const desk = deskOf({ tickets: [ticketOf()] });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    const user = userEvent.setup();
    await renderApp(path);
    await user.click(await screen.findByRole('button', { name: 'Download vpn-log.txt' }));
    await waitFor(() => expect(clicked).toEqual([`/api/files/signed-${attachmentOf().id}`]));
    expect(desk.downloads).toEqual([attachmentOf().id]);
  });

  it('sends a reply and shows it in the conversation', async () => {
    const desk = deskOf({ tickets: [ticketOf()] });
    const user = userEvent.setup();
    await renderApp(path);
    const conversation = await screen.findByRole('region', { name: 'Conversation' });
    await within(conversation).findAllByRole('listitem');
    await user.type(
      screen.getByRole('textbox', { name: 'Your reply' }),
      'Still dropping.{enter}Log attached.',
    );
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(
      await within(conversation).findByText(/Still dropping\.\s+Log attached\./),
    ).toBeVisible();
    expect(desk.posted.map((p) => p.body)).toEqual([
      { body: 'Still dropping.\nLog attached.', visibility: 'public' },
    ]);
    expect(within(conversation).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByRole('textbox', { name: 'Your reply' })).toHaveValue('');
  });

  it('asks for a reply before sending one', async () => {
    const desk = deskOf({ tickets: [ticketOf()] });
    const user = userEvent.setup();
    await renderApp(path);
    await user.type(await screen.findByRole('textbox', { name: 'Your reply' }), '   ');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(screen.getByRole('textbox', { name: 'Your reply' })).toHaveAccessibleDescription(
      'Please fill in this field.',
    );
    expect(desk.posted).toEqual([]);
  });

  it('says so when the case was closed meanwhile', async () => {
    const desk = deskOf({ tickets: [ticketOf()] });
    const user = userEvent.setup();
    await renderApp(path);
    await user.type(await screen.findByRole('textbox', { name: 'Your reply' }), 'One more thing');
    desk.tickets[0]!.status = 'closed';
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    // The answer (409) is explained, and the page catches up: the case is closed now.
    expect(await screen.findByText('This case is closed')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Your reply' })).not.toBeInTheDocument();
  });

  it('has no reply box on a closed case, only a note', async () => {
    deskOf({ tickets: [ticketOf({ status: 'closed' })] });
    await renderApp(path);
    expect(await screen.findByText('This case is closed')).toBeInTheDocument();
    expect(screen.getByText('Closed')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Your reply' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Close case' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New case' })).toHaveAttribute(
      'href',
      '/portal/cases/new',
    );
  });

  it('closes the case after a confirmation', async () => {
    const desk = deskOf({ tickets: [ticketOf()] });
    const user = userEvent.setup();
    await renderApp(path);
    await user.click(await screen.findByRole('button', { name: 'Close case' }));
    expect(desk.patched).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Yes, close the case' }));
    expect(await screen.findByText('This case is closed')).toBeInTheDocument();
    expect(desk.patched).toEqual([{ status: 'closed' }]);
    expect(screen.queryByRole('textbox', { name: 'Your reply' })).not.toBeInTheDocument();
  });

  it('reopens a resolved case', async () => {
    const desk = deskOf({ tickets: [ticketOf({ status: 'resolved' })] });
    const user = userEvent.setup();
    await renderApp(path);
    await user.click(await screen.findByRole('button', { name: 'Reopen case' }));
    await waitFor(() => expect(desk.patched).toEqual([{ status: 'in_progress' }]));
    expect(await screen.findByText('In progress')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reopen case' })).not.toBeInTheDocument();
  });

  it('offers no reopening of a case that is not resolved', async () => {
    deskOf({ tickets: [ticketOf({ status: 'waiting_customer' })] });
    await renderApp(path);
    expect(await screen.findByRole('button', { name: 'Close case' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reopen case' })).not.toBeInTheDocument();
  });

  it('names who wrote each comment, and the service team for a removed account', async () => {
    const colleague = '0190f1a2-0000-7000-8000-0000000000u2';
    deskOf({
      role: 'CUSTOMER_ADMIN',
      tickets: [ticketOf({ requester_id: colleague })],
      comments: [
        commentOf({
          id: 'c1',
          author_id: colleague,
          author_name: 'Cora Colleague',
          body: 'Any news?',
        }),
        commentOf({ id: 'c2', author_id: null, author_name: null, body: 'Fixed on our side.' }),
      ],
    });
    await renderApp(path);
    const conversation = await screen.findByRole('region', { name: 'Conversation' });
    const items = await within(conversation).findAllByRole('listitem');
    expect(within(items[0]!).getByText('Cora Colleague')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Service team')).toBeInTheDocument();
  });

  it('says when a case does not exist', async () => {
    deskOf({ tickets: [] });
    await renderApp(path);
    expect(
      await screen.findByText('This case does not exist, or you may not see it.'),
    ).toBeVisible();
    expect(screen.getByRole('link', { name: '← All cases' })).toHaveAttribute(
      'href',
      '/portal/cases',
    );
  });

  it('speaks German', async () => {
    deskOf({ tickets: [ticketOf()], session: sessionOf('CLIENT', { locale: 'de' }) });
    await renderApp(path, 'de');
    expect(await screen.findByRole('region', { name: 'Unterhaltung' })).toBeInTheDocument();
    expect(await screen.findByText('Sie')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Ihre Antwort' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Fall schließen' })).toBeInTheDocument();
    expect(
      await screen.findByText('Status von Zugewiesen zu In Bearbeitung geändert'),
    ).toBeInTheDocument();
  });
});
