// The admin feature's screens (MANAGER), each loaded on demand; mounted by src/app/router.tsx
// inside the signed-in layout.
import type { RouteObject } from 'react-router';

export const adminRoutes: RouteObject[] = [
  {
    path: 'admin/sla',
    lazy: async () => ({ Component: (await import('./SlaPage')).SlaPage }),
  },
  {
    path: 'admin/settings',
    lazy: async () => ({ Component: (await import('./SettingsPage')).SettingsPage }),
  },
  {
    path: 'admin/branding',
    lazy: async () => ({ Component: (await import('./BrandingPage')).BrandingPage }),
  },
  {
    path: 'admin/audit',
    lazy: async () => ({ Component: (await import('./AuditPage')).AuditPage }),
  },
];
