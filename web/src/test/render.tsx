// Renders the real app (routes, providers, guards) at a path, in memory.
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders, makeQueryClient } from '@/app/providers';
import { routes } from '@/app/router';
import i18n from '@/lib/i18n';

export async function renderApp(path: string, language: 'en' | 'de' = 'en') {
  await i18n.changeLanguage(language);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  const view = render(
    <AppProviders client={client}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, router, client };
}
