// The users feature's screens, each loaded on demand; mounted by src/app/router.tsx inside the
// signed-in layout: a manager's users of the tenant, a customer admin's users of the organisation.
import type { RouteObject } from 'react-router';

export const usersRoutes: RouteObject[] = [
  {
    path: 'admin/users',
    lazy: async () => ({ Component: (await import('./UsersPage')).AdminUsersPage }),
  },
  {
    path: 'portal/users',
    lazy: async () => ({ Component: (await import('./UsersPage')).PortalUsersPage }),
  },
];
