// The account feature's screens, each loaded on demand; mounted by src/app/router.tsx inside the
// signed-in layout.
import type { RouteObject } from 'react-router';

export const accountRoutes: RouteObject[] = [
  {
    path: 'account',
    lazy: async () => ({ Component: (await import('./AccountPage')).AccountPage }),
  },
];
