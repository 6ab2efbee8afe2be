// The platform feature's screens, each loaded on demand; mounted by src/app/router.tsx inside the
// signed-in layout.
import type { RouteObject } from 'react-router';

export const platformRoutes: RouteObject[] = [
  {
    path: 'platform/tenants',
    lazy: async () => ({ Component: (await import('./TenantsPage')).TenantsPage }),
  },
  {
    path: 'platform/tenants/new',
    lazy: async () => ({ Component: (await import('./NewTenantPage')).NewTenantPage }),
  },
  {
    path: 'platform/tenants/:id',
    lazy: async () => ({ Component: (await import('./TenantPage')).TenantPage }),
  },
];
