import { notifications } from '@mantine/notifications';
import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';
import { brandShades, primaryContrast } from './contrast';
import { tenantOf } from './testing';

// The machine is shared; the first screen of a file loads its chunk slowly.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => act(() => notifications.clean()));

const preview = () => screen.getByRole('region', { name: 'Live preview' });
// The CSS variables the preview's own provider writes, scoped to the preview element.
const previewCss = () =>
  [...document.querySelectorAll('style[data-mantine-styles]')]
    .map((s) => s.textContent ?? '')
    .filter((css) => css.includes('#kontor-branding-preview'))
    .join('\n');
const rootCss = () =>
  [...document.querySelectorAll('style[data-mantine-styles]')]
    .map((s) => s.textContent ?? '')
    .filter((css) => !css.includes('#kontor-branding-preview'))
    .join('\n');
const header = () => screen.getByRole('banner');

async function setColor(label: string, value: string) {
  const user = userEvent.setup();
  const input = screen.getByRole('textbox', { name: label });
  await user.clear(input);
  await user.type(input, value);
}

describe('branding', { timeout: 30_000 }, () => {
  it('previews the draft live, without touching the app around it', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/branding');
    expect(await screen.findByRole('heading', { name: 'Branding' })).toBeInTheDocument();
    const name = await screen.findByRole('textbox', { name: 'Product name' });
    expect(name).toHaveValue('Demo Desk');
    expect(within(preview()).getByTestId('preview-name')).toHaveTextContent('Demo Desk');

    await user.clear(name);
    await user.type(name, 'Northwind Help');
    expect(within(preview()).getByTestId('preview-name')).toHaveTextContent('Northwind Help');
    // The app's own header keeps the saved name until saving.
    expect(within(header()).getByText('Demo Desk')).toBeInTheDocument();

    const before = brandShades('#2f9e44').filled;
    const after = brandShades('#5f3dc4').filled;
    expect(previewCss()).toContain(before);
    await setColor('Primary colour', '#5f3dc4');
    await waitFor(() => expect(previewCss()).toContain(`--mantine-color-brand-6: ${after}`));
    expect(preview()).toHaveAttribute('data-primary-shade', after);
    expect(rootCss()).not.toContain(after);
    // A colour half typed keeps the last whole one.
    await setColor('Primary colour', '#12');
    expect(preview()).toHaveAttribute('data-primary-shade', after);
    expect(tenant.settingsPuts).toHaveLength(0);
  });

  it('saves only what changed and the app takes the new branding at once', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/branding');
    const name = await screen.findByRole('textbox', { name: 'Product name' });
    const save = screen.getByRole('button', { name: 'Save branding' });
    expect(save).toBeDisabled();
    await user.clear(name);
    await user.type(name, 'Northwind Help');
    await setColor('Primary colour', '#5F3DC4');
    const fetchesBefore = tenant.sessionFetches;
    await user.click(save);
    expect(
      await screen.findByText('The branding was saved; the app now wears it.'),
    ).toBeInTheDocument();
    expect(tenant.settingsPuts).toEqual([
      { branding: { product_name: 'Northwind Help', primary_color: '#5f3dc4' } },
    ]);
    await waitFor(() => expect(tenant.sessionFetches).toBeGreaterThan(fetchesBefore));
    expect(await within(header()).findByText('Northwind Help')).toBeInTheDocument();
    await waitFor(() => expect(rootCss()).toContain(brandShades('#5f3dc4').filled));
    expect(screen.getByRole('button', { name: 'Save branding' })).toBeDisabled();
  });

  it('resets the form to the saved values', async () => {
    tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/branding');
    const name = await screen.findByRole('textbox', { name: 'Product name' });
    await user.type(name, ' Plus');
    await setColor('Accent colour', '#c92a2a');
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(name).toHaveValue('Demo Desk');
    expect(screen.getByRole('textbox', { name: 'Accent colour' })).toHaveValue('#f59f00');
    expect(within(preview()).getByTestId('preview-name')).toHaveTextContent('Demo Desk');
    expect(screen.getByRole('button', { name: 'Reset' })).toBeDisabled();
  });

  it('says which shade buttons get and why, when the colour is too light to read', async () => {
    tenantOf();
    await renderApp('/admin/branding');
    await screen.findByRole('textbox', { name: 'Product name' });
    await setColor('Primary colour', '#74c0fc');
    const note = await screen.findByTestId('contrast');
    const { shade } = primaryContrast('#74c0fc');
    expect(note).toHaveTextContent(`buttons and links use ${shade}, a darker shade of this colour`);
    expect(note).toHaveTextContent(/the colour itself has \d(\.\d)?:1/);
    expect(preview()).toHaveAttribute('data-primary-shade', shade);

    await setColor('Primary colour', '#5f3dc4');
    await waitFor(() => expect(screen.getByTestId('contrast')).toHaveTextContent(/meets WCAG AA/));
    expect(preview()).toHaveAttribute('data-primary-shade', '#5f3dc4');

    // A colour no shade of which is legible: said plainly.
    await setColor('Primary colour', '#ffd43b');
    expect(await screen.findByText('Low contrast')).toBeInTheDocument();
  });

  it('checks the fields and shows the server’s field errors at them', async () => {
    const tenant = tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/branding');
    const name = await screen.findByRole('textbox', { name: 'Product name' });
    const logo = screen.getByRole('textbox', { name: 'Logo address' });
    await user.type(logo, 'http://insecure.example/logo.png');
    await user.click(screen.getByRole('button', { name: 'Save branding' }));
    expect(
      await screen.findByText(/Enter an https:\/\/ address or a path starting with \//),
    ).toBeInTheDocument();
    expect(tenant.settingsPuts).toHaveLength(0);

    await user.clear(logo);
    await user.clear(name);
    await user.type(name, 'Forbidden');
    await user.click(screen.getByRole('button', { name: 'Save branding' }));
    expect(await screen.findByText('is reserved')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(tenant.settingsPuts).toEqual([{ branding: { product_name: 'Forbidden' } }]);
  });

  it('shows the logo with a fallback when it cannot be loaded', async () => {
    tenantOf();
    const user = userEvent.setup();
    await renderApp('/admin/branding');
    await screen.findByRole('textbox', { name: 'Product name' });
    await user.type(screen.getByRole('textbox', { name: 'Logo address' }), '/static/nothing.png');
    const img = screen.getByRole('img', { name: 'Logo preview' });
    expect(img).toHaveAttribute('src', '/static/nothing.png');
    fireEvent.error(img);
    expect(
      await screen.findByText('The logo could not be loaded from this address.'),
    ).toBeInTheDocument();
  });

  it('speaks German', async () => {
    tenantOf({ locale: 'de' });
    await renderApp('/admin/branding', 'de');
    expect(await screen.findByRole('heading', { name: 'Erscheinungsbild' })).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Produktname' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Live-Vorschau' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Erscheinungsbild speichern' })).toBeInTheDocument();
  });
});
