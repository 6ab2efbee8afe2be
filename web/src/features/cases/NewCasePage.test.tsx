import { notifications } from '@mantine/notifications';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionOf } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { byteLength, validateCase } from './validation';
import { deskOf } from './testing';

const titleBox = () => screen.getByRole('textbox', { name: 'Title' });

// Notifications live in a store of their own: none may outlast its test.
afterEach(() => act(() => notifications.clean()));

describe('new case', () => {
  it('asks for a title before sending anything', async () => {
    const desk = deskOf();
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    expect(await screen.findByRole('heading', { name: 'New case' })).toBeInTheDocument();
    await user.type(titleBox(), '   ');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    expect(titleBox()).toHaveAccessibleDescription(
      expect.stringContaining('Please fill in this field.'),
    );
    expect(titleBox()).toHaveAttribute('aria-invalid', 'true');
    expect(desk.posted).toEqual([]);
  });

  it("refuses a file larger than the tenant's limit before sending anything", async () => {
    const session = sessionOf('CLIENT');
    deskOf({ session: { ...session, tenant: { ...session.tenant!, max_upload_bytes: 1024 } } });
    const user = userEvent.setup();
    const { container } = await renderApp('/portal/cases/new');
    await screen.findByRole('heading', { name: 'New case' });
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, [
      new File(['x'.repeat(2048)], 'big.log', { type: 'text/plain' }),
      new File(['small'], 'small.txt', { type: 'text/plain' }),
    ]);
    expect(
      await screen.findByText(
        'Too large to send: big.log. This service desk accepts files up to 1 KB.',
      ),
    ).toBeInTheDocument();
    // The small one stays chosen; the large one is not.
    const picker = screen.getByRole('button', { name: /Attach files/ });
    expect(picker).toHaveTextContent('small.txt');
    expect(picker).not.toHaveTextContent('big.log');
  });

  it('counts bytes as the server does: 101 umlauts are too long a title', async () => {
    const desk = deskOf();
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    await user.click(await screen.findByRole('textbox', { name: 'Title' }));
    await user.paste('ä'.repeat(101));
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    expect(titleBox()).toHaveAccessibleDescription(expect.stringContaining('at most 200 bytes'));
    expect(desk.posted).toEqual([]);
  });

  it('opens the case with an Idempotency-Key and shows it', async () => {
    const desk = deskOf();
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    await user.type(await screen.findByRole('textbox', { name: 'Title' }), '  Mail is slow  ');
    await user.type(
      screen.getByRole('textbox', { name: 'Description' }),
      'Sending takes a minute.{enter}Since today.',
    );
    expect(screen.getByRole('textbox', { name: 'Priority' })).toHaveValue('Medium');
    await user.click(screen.getByRole('textbox', { name: 'Priority' }));
    await user.click(await screen.findByRole('option', { name: 'Critical' }));
    await user.type(screen.getByRole('textbox', { name: 'Category (optional)' }), 'email');
    await user.click(screen.getByRole('button', { name: 'Open case' }));

    expect(await screen.findByRole('heading', { level: 2, name: 'Mail is slow' })).toBeVisible();
    expect(screen.getByText('#1009')).toBeInTheDocument();
    expect(desk.posted).toHaveLength(1);
    expect(desk.posted[0]!.body).toEqual({
      title: 'Mail is slow',
      description: 'Sending takes a minute.\nSince today.',
      priority: 'critical',
      category: 'email',
    });
    expect(desk.posted[0]!.headers.get('Idempotency-Key')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('repeats the key for the same case and takes a new one for a changed case', async () => {
    deskOf();
    const keys: (string | null)[] = [];
    server.use(
      http.post('*/api/tickets', ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        return HttpResponse.json(
          { status: 503, title: 'Unavailable', code: 'unavailable', detail: 'Try again soon.' },
          { status: 503 },
        );
      }),
    );
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    await user.type(await screen.findByRole('textbox', { name: 'Title' }), 'Mail is slow');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again soon.');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    await waitFor(() => expect(keys).toHaveLength(2));
    await user.type(titleBox(), ' again');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("shows the server's field errors at their fields", async () => {
    deskOf();
    server.use(
      http.post('*/api/tickets', () =>
        HttpResponse.json(
          {
            status: 422,
            title: 'Unprocessable',
            code: 'validation_failed',
            detail: 'The ticket is invalid.',
            errors: [{ field: '/category', message: 'must not contain control characters' }],
          },
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    await user.type(await screen.findByRole('textbox', { name: 'Title' }), 'Mail is slow');
    await user.type(screen.getByRole('textbox', { name: 'Category (optional)' }), 'mail');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    const category = screen.getByRole('textbox', { name: 'Category (optional)' });
    await waitFor(() =>
      expect(category).toHaveAccessibleDescription(
        expect.stringContaining('must not contain control characters'),
      ),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says how long to wait after too many cases', async () => {
    deskOf();
    server.use(
      http.post('*/api/tickets', () =>
        HttpResponse.json(
          {
            status: 429,
            title: 'Too Many Requests',
            code: 'rate_limited',
            detail: 'You have opened 10 cases in the last hour.',
          },
          { status: 429, headers: { 'Retry-After': '780' } },
        ),
      ),
    );
    const user = userEvent.setup();
    await renderApp('/portal/cases/new');
    await user.type(await screen.findByRole('textbox', { name: 'Title' }), 'Mail is slow');
    await user.click(screen.getByRole('button', { name: 'Open case' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You have opened many cases in the last hour; try again in 13 minutes.',
    );
  });

  it('speaks German, with the wait in minutes', async () => {
    deskOf({ session: sessionOf('CLIENT', { locale: 'de' }) });
    server.use(
      http.post('*/api/tickets', () =>
        HttpResponse.json(
          { status: 429, title: 'Too Many Requests', code: 'rate_limited' },
          { status: 429, headers: { 'Retry-After': '30' } },
        ),
      ),
    );
    const user = userEvent.setup();
    await renderApp('/portal/cases/new', 'de');
    expect(await screen.findByRole('heading', { name: 'Neuer Fall' })).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Titel' }), 'E-Mail ist langsam');
    await user.click(screen.getByRole('button', { name: 'Fall eröffnen' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Sie haben in der letzten Stunde viele Fälle eröffnet; ' +
        'versuchen Sie es in 1 Minute erneut.',
    );
  });
});

describe('case validation', () => {
  it("mirrors the server's limits", () => {
    expect(byteLength('äöü')).toBe(6);
    expect(validateCase({ title: 'ok', description: '', category: '' })).toEqual({});
    expect(validateCase({ title: 'a\tb', description: '', category: '' }).title?.key).toBe(
      'cases.validation.control',
    );
    expect(validateCase({ title: 'ok', description: 'a\tb\r\nc', category: '' })).toEqual({});
    expect(
      validateCase({ title: 'ok', description: 'x'.repeat(20_001), category: '' }).description?.key,
    ).toBe('cases.validation.tooLong');
    expect(
      validateCase({ title: 'ok', description: '', category: 'c'.repeat(61) }).category?.key,
    ).toBe('cases.validation.tooLong');
  });
});
