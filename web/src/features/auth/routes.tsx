// Screens reachable without a session besides sign-in (e.g. registration); mounted by
// src/app/router.tsx outside the signed-in layout.
import type { RouteObject } from 'react-router';

export const publicRoutes: RouteObject[] = [
  {
    path: '/register',
    lazy: async () => ({ Component: (await import('./RegisterPage')).RegisterPage }),
  },
];
