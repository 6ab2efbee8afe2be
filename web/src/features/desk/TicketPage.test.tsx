import { notifications } from '@mantine/notifications';
import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACME, ME, sessionOf, ticketOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { CLIENT, COLLEAGUE, deskFake } from './testing';
// The screens load lazily in the app; loaded here up front so the first test does not wait.
import './TicketPage';

// Screens with many requests: give them time on a busy machine (this file only).
configure({ asyncUtilTimeout: 4000 });

const vpn = () =>
  ticketOf({
    requester_id: CLIENT,
    sla_response_due: '2026-11-02T12:30:00Z',
    first_response_at: '2026-11-02T11:00:00Z',
    sla_resolution_due: '2026-11-04T12:15:00Z',
  });
const path = `/desk/tickets/${vpn().id}`;

const options = (name: string) =>
  within(screen.getByRole('listbox', { name }))
    .getAllByRole('option')
    .map((o) => o.textContent);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-04T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  act(() => notifications.clean());
});

describe('desk ticket', { timeout: 20_000 }, () => {
  it('shows the ticket, the conversation with notes set apart, files and named history', async () => {
    deskFake({ tickets: [vpn()] });
    await renderApp(path);
    expect(
      await screen.findByRole('heading', { level: 2, name: '#1001 VPN drops every hour' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('In progress')[0]).toBeInTheDocument();
    expect(screen.getByText('Since Monday the VPN disconnects about once an hour.')).toBeVisible();
    expect(await screen.findByRole('link', { name: 'Acme Corporation' })).toHaveAttribute(
      'href',
      `/customers/${ACME}`,
    );

    const conversation = screen.getByRole('region', { name: 'Conversation' });
    const items = await within(conversation).findAllByRole('listitem');
    expect(items).toHaveLength(3);
    const [question, note, reply] = items as [HTMLElement, HTMLElement, HTMLElement];
    // The customer's message, with their name.
    expect(within(question).getByText('Carl Client')).toBeInTheDocument();
    expect(within(question).getByText('Customer')).toBeInTheDocument();
    // The internal note: its badge (with words for screen readers), its own look, its file.
    expect(note).toHaveAttribute('data-visibility', 'internal');
    expect(within(note).getByText('Internal note')).toBeInTheDocument();
    expect(within(note).getByText(/only staff see this/)).toHaveClass('visually-hidden');
    expect(note.style.background).toContain('yellow');
    expect(within(note).getByText('Erik Expert')).toBeInTheDocument();
    expect(await within(note).findByText('gateway.pcap')).toBeInTheDocument();
    // The public reply looks like one.
    expect(reply).toHaveAttribute('data-visibility', 'public');
    expect(within(reply).getByText('Reply')).toBeInTheDocument();
    expect(within(reply).queryByText('Internal note')).not.toBeInTheDocument();
    expect(reply.style.background).toBe('');

    // The requester as the server names them.
    expect(screen.getByText('Carl Client', { selector: 'dd' })).toBeInTheDocument();

    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByText(/answered/)).toBeInTheDocument();
    expect(within(details).getByText('due in 2 h 15 min')).toBeInTheDocument();

    const files = screen.getByRole('region', { name: 'Files' });
    expect(await within(files).findByText('vpn-log.txt')).toBeInTheDocument();
    const internalFile = within(files).getByText('gateway.pcap').closest('li')!;
    expect(within(internalFile).getByText('Internal')).toBeInTheDocument();

    const history = screen.getByRole('region', { name: 'History' });
    expect(await within(history).findByText('Carl Client opened the ticket')).toBeInTheDocument();
    expect(
      within(history).getByText('Mia Manager assigned the ticket to Erik Expert'),
    ).toBeInTheDocument();
    expect(
      within(history).getByText('Erik Expert changed the status from Assigned to In progress'),
    ).toBeInTheDocument();
    expect(within(history).getByText('Erik Expert added an internal note')).toBeInTheDocument();
  });

  it('sends an internal note and a public reply with the right visibility', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const conversation = await screen.findByRole('region', { name: 'Conversation' });
    await within(conversation).findAllByRole('listitem');
    const composer = screen.getByRole('region', { name: 'Respond' });

    // A reply by default, and it says who will read it.
    expect(within(composer).getByRole('radio', { name: 'Reply' })).toBeChecked();
    expect(within(composer).getByText('The customer will see this.')).toBeInTheDocument();
    expect(within(composer).getByRole('button', { name: 'Send reply' })).toBeInTheDocument();

    await user.click(within(composer).getByRole('radio', { name: 'Internal note' }));
    expect(within(composer).getByText('Only staff see this.')).toBeInTheDocument();
    const noteBox = within(composer).getByRole('textbox', { name: 'Internal note for staff' });
    expect(noteBox).toHaveAccessibleDescription('Only staff see this.');
    await user.type(noteBox, 'Customer runs an old client; check version.');
    await user.click(within(composer).getByRole('button', { name: 'Add internal note' }));
    expect(await screen.findByText('Your internal note was added.')).toBeInTheDocument();
    const note = (
      await within(conversation).findByText('Customer runs an old client; check version.')
    ).closest('li')!;
    expect(note).toHaveAttribute('data-visibility', 'internal');
    expect(within(note).getByText('Internal note')).toBeInTheDocument();
    expect(within(note).getByText('Tom Technician')).toBeInTheDocument();

    await user.click(within(composer).getByRole('radio', { name: 'Reply' }));
    await user.type(
      within(composer).getByRole('textbox', { name: 'Reply to the customer' }),
      'Please update your VPN client.',
    );
    await user.click(within(composer).getByRole('button', { name: 'Send reply' }));
    const reply = (await within(conversation).findByText('Please update your VPN client.')).closest(
      'li',
    )!;
    expect(reply).toHaveAttribute('data-visibility', 'public');
    expect(within(reply).queryByText('Internal note')).not.toBeInTheDocument();

    expect(fake.posted.map((p) => p.body)).toEqual([
      { body: 'Customer runs an old client; check version.', visibility: 'internal' },
      { body: 'Please update your VPN client.', visibility: 'public' },
    ]);
    const history = screen.getByRole('region', { name: 'History' });
    expect(await within(history).findByText('Tom Technician replied')).toBeInTheDocument();
  });

  it('asks for text before sending', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    await user.click(await screen.findByRole('button', { name: 'Send reply' }));
    expect(
      screen.getByRole('textbox', { name: 'Reply to the customer' }),
    ).toHaveAccessibleDescription(expect.stringContaining('Please write something first.'));
    expect(fake.posted).toEqual([]);
  });

  it('assigns with If-Match, to oneself and to a colleague', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const details = await screen.findByRole('region', { name: 'Details' });
    await waitFor(() =>
      expect(within(details).getByRole('textbox', { name: 'Assignee' })).toHaveValue('Erik Expert'),
    );

    await user.click(within(details).getByRole('button', { name: 'Assign to me' }));
    await waitFor(() =>
      expect(within(details).getByRole('textbox', { name: 'Assignee' })).toHaveValue(
        'Tom Technician',
      ),
    );
    expect(fake.patches).toEqual([{ id: vpn().id, body: { assigned_to: ME }, ifMatch: '"3"' }]);
    expect(within(details).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();
    const history = screen.getByRole('region', { name: 'History' });
    expect(await within(history).findByText('Tom Technician took the ticket')).toBeInTheDocument();

    await user.click(within(details).getByRole('textbox', { name: 'Assignee' }));
    await user.click(await screen.findByRole('option', { name: 'Ella Engineer' }));
    await waitFor(() => expect(fake.patches).toHaveLength(2));
    expect(fake.patches[1]).toEqual({
      id: vpn().id,
      body: { assigned_to: COLLEAGUE },
      ifMatch: '"4"',
    });
    expect(
      await within(history).findByText('Tom Technician assigned the ticket to Ella Engineer'),
    ).toBeInTheDocument();

    await user.click(within(details).getByRole('textbox', { name: 'Assignee' }));
    await user.click(await screen.findByRole('option', { name: 'Unassigned' }));
    await waitFor(() => expect(fake.patches).toHaveLength(3));
    expect(fake.patches[2]!.body).toEqual({ assigned_to: null });
    expect(
      await within(history).findByText('Tom Technician unassigned the ticket from Ella Engineer'),
    ).toBeInTheDocument();
  });

  it('offers only the status changes the workflow allows', async () => {
    deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    const { unmount } = await renderApp(path);
    const details = await screen.findByRole('region', { name: 'Details' });
    await user.click(within(details).getByRole('textbox', { name: 'Status' }));
    expect(options('Status')).toEqual([
      'In progress',
      'New',
      'Assigned',
      'Waiting for customer',
      'Resolved',
      'Closed',
    ]);
    unmount();

    // Unassigned: "assigned" needs an assignee.
    deskFake({ tickets: [ticketOf({ status: 'new', assigned_to: null })] });
    const second = await renderApp(path);
    await user.click(
      within(await screen.findByRole('region', { name: 'Details' })).getByRole('textbox', {
        name: 'Status',
      }),
    );
    expect(options('Status')).toEqual([
      'New',
      'In progress',
      'Waiting for customer',
      'Resolved',
      'Closed',
    ]);
    second.unmount();

    // Resolved: reopen or close.
    deskFake({ tickets: [ticketOf({ status: 'resolved', resolved_at: '2026-11-03T10:00:00Z' })] });
    await renderApp(path);
    const resolved = await screen.findByRole('region', { name: 'Details' });
    expect(within(resolved).queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();
    expect(within(resolved).getByText(/resolved Nov 3, 2026/)).toBeInTheDocument();
    await user.click(within(resolved).getByRole('textbox', { name: 'Status' }));
    expect(options('Status')).toEqual(['Resolved', 'In progress', 'Closed']);
  });

  it('resolves the ticket', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const details = await screen.findByRole('region', { name: 'Details' });
    await user.click(within(details).getByRole('button', { name: 'Resolve' }));
    await waitFor(() =>
      expect(within(details).getByRole('textbox', { name: 'Status' })).toHaveValue('Resolved'),
    );
    expect(fake.patches).toEqual([{ id: vpn().id, body: { status: 'resolved' }, ifMatch: '"3"' }]);
    expect(await screen.findByText('Status set to Resolved.')).toBeInTheDocument();
    const history = screen.getByRole('region', { name: 'History' });
    expect(
      await within(history).findByText(
        'Tom Technician changed the status from In progress to Resolved',
      ),
    ).toBeInTheDocument();
  });

  it('says the ticket changed meanwhile (412), reloads it, and the next try uses the new version', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const details = await screen.findByRole('region', { name: 'Details' });
    // Someone else raises the priority meanwhile.
    Object.assign(fake.tickets[0]!, { priority: 'critical', version: 4 });
    await user.click(within(details).getByRole('button', { name: 'Resolve' }));
    const alert = await within(details).findByRole('alert');
    expect(alert).toHaveTextContent('Changed meanwhile — reloaded');
    expect(alert).toHaveTextContent('Someone changed this ticket while you were looking at it.');
    expect(fake.patches[0]!.ifMatch).toBe('"3"');
    // Reloaded: the page shows the other change.
    await waitFor(() =>
      expect(within(details).getByRole('textbox', { name: 'Priority' })).toHaveValue('Critical'),
    );
    await user.click(within(details).getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(fake.patches).toHaveLength(2));
    expect(fake.patches[1]!.ifMatch).toBe('"4"');
    await waitFor(() =>
      expect(within(details).getByRole('textbox', { name: 'Status' })).toHaveValue('Resolved'),
    );
  });

  it('reports a 409 the same way, and a refused change with the reason', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const details = await screen.findByRole('region', { name: 'Details' });
    fake.conflictOnce.add(vpn().id);
    await user.click(within(details).getByRole('textbox', { name: 'Priority' }));
    await user.click(await screen.findByRole('option', { name: 'Low' }));
    expect(await within(details).findByRole('alert')).toHaveTextContent(
      'Changed meanwhile — reloaded',
    );
    expect(fake.patches[0]).toEqual({ id: vpn().id, body: { priority: 'low' }, ifMatch: '"3"' });

    // Closed by someone else meanwhile: the server refuses the step (422) and says why.
    fake.tickets[0]!.status = 'closed';
    await user.click(within(details).getByRole('button', { name: 'Resolve' }));
    expect(await within(details).findByRole('alert')).toHaveTextContent(
      'cannot change from closed to resolved',
    );
    // Reloaded: the closed ticket takes no more messages.
    expect(await screen.findByText('This ticket is closed')).toBeInTheDocument();
  });

  it('disables the composer on a closed ticket, with the reason', async () => {
    deskFake({ tickets: [ticketOf({ status: 'closed', closed_at: '2026-11-03T10:00:00Z' })] });
    await renderApp(path);
    expect(await screen.findByText('This ticket is closed')).toBeInTheDocument();
    expect(screen.getByText(/A closed ticket takes no more replies, notes or files/)).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Respond' })).not.toBeInTheDocument();
    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByRole('textbox', { name: 'Status' })).toBeDisabled();
    expect(within(details).getByText('Closed is final.')).toBeInTheDocument();
    expect(within(details).queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();
  });

  it('downloads a file through a signed link', async () => {
    const fake = deskFake({ tickets: [vpn()] });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    const user = userEvent.setup();
    await renderApp(path);
    const files = await screen.findByRole('region', { name: 'Files' });
    await user.click(await within(files).findByRole('button', { name: 'Download gateway.pcap' }));
    await waitFor(() =>
      expect(clicked).toEqual(['/api/files/signed-0190f1a2-0000-7000-8000-0000000000a2']),
    );
    expect(fake.downloads).toEqual(['0190f1a2-0000-7000-8000-0000000000a2']);
  });

  it('asks for a file before uploading', async () => {
    deskFake({ tickets: [vpn()] });
    const user = userEvent.setup();
    await renderApp(path);
    const files = await screen.findByRole('region', { name: 'Files' });
    await user.click(within(files).getByRole('textbox', { name: 'Visible to' }));
    await user.click(await screen.findByRole('option', { name: 'Staff only (internal)' }));
    await user.click(within(files).getByRole('button', { name: 'Upload' }));
    expect(within(files).getByText('Choose a file first.')).toBeInTheDocument();
  });

  it('says when a ticket does not exist', async () => {
    deskFake({ tickets: [] });
    await renderApp(path);
    expect(
      await screen.findByText('This ticket does not exist, or you may not see it.'),
    ).toBeVisible();
    expect(screen.getByRole('link', { name: '← Queue' })).toHaveAttribute('href', '/desk');
  });

  it('names the requester as the server does, with no comment and no user list', async () => {
    deskFake({ tickets: [{ ...vpn(), requester_name: 'Carla Customer' }], comments: [] });
    await renderApp(path);
    expect(await screen.findByText('Carla Customer', { selector: 'dd' })).toBeInTheDocument();
    expect(screen.getByText('No replies or notes yet.')).toBeInTheDocument();
  });

  it('speaks German', async () => {
    deskFake({
      tickets: [vpn()],
      session: sessionOf('EXPERT', { name: 'Tom Technician', locale: 'de' }),
    });
    await renderApp(path, 'de');
    const conversation = await screen.findByRole('region', { name: 'Unterhaltung' });
    expect(await within(conversation).findByText('Interne Notiz')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Antwort senden' })).toBeInTheDocument();
    expect(screen.getByText('Der Kunde sieht diese Nachricht.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Lösen' })).toBeInTheDocument();
    expect(
      await screen.findByText('Mia Manager hat das Ticket Erik Expert zugewiesen'),
    ).toBeInTheDocument();
  });
});
