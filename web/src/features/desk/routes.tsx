// The desk feature's screens, each loaded on demand; mounted by src/app/router.tsx inside the
// signed-in layout. (The customer page, /customers/:id, composes this feature with documents and
// lives in src/app/pages.)
import type { RouteObject } from 'react-router';

export const deskRoutes: RouteObject[] = [
  {
    path: 'desk',
    lazy: async () => ({ Component: (await import('./QueuePage')).QueuePage }),
  },
  {
    path: 'desk/tickets/:id',
    lazy: async () => ({ Component: (await import('./TicketPage')).TicketPage }),
  },
  {
    path: 'customers',
    lazy: async () => ({ Component: (await import('./CustomersPage')).CustomersPage }),
  },
];
