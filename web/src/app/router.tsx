// The app's routes. Screens are loaded on demand (one chunk per feature screen); every screen
// behind sign-in goes through RequireSession, which remembers the page for after sign-in.
import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import { accountRoutes } from '@/features/account/routes';
import { adminRoutes } from '@/features/admin/routes';
import { publicRoutes } from '@/features/auth/routes';
import { isCustomer, signedOut, useSession } from '@/features/auth/session';
import { deskRoutes } from '@/features/desk/routes';
import { platformRoutes } from '@/features/platform/routes';
import { usersRoutes } from '@/features/users/routes';
import { AppLayout } from './AppLayout';
import { RouteError } from './RouteError';

export function PageLoader() {
  return (
    <Center h="50vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { data: session, isPending } = useSession();
  const location = useLocation();
  if (isPending) return <PageLoader />;
  if (!session) {
    if (signedOut()) return <Navigate to="/sign-in" replace />;
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  // A tenant that requires a second factor for staff answers nothing else until they enrol.
  if (session.mfa_enrolment_required && location.pathname !== '/account') {
    return <Navigate to="/account" replace />;
  }
  return <>{children}</>;
}

// Where a user starts: customers in their portal, technicians and managers at the queue, the
// platform operator at the tenants.
export function homeOf(role: string) {
  if (role === 'ADMIN') return '/platform/tenants';
  return isCustomer(role as never) ? '/portal/documents' : '/desk';
}
function Home() {
  const { data: session } = useSession();
  if (!session) return <PageLoader />;
  return <Navigate to={homeOf(session.role)} replace />;
}

export const routes = [
  {
    path: '/sign-in',
    HydrateFallback: PageLoader,
    lazy: async () => ({ Component: (await import('@/features/auth/SignInPage')).SignInPage }),
    errorElement: <RouteError />,
  },
  ...publicRoutes.map((r) => ({ HydrateFallback: PageLoader, errorElement: <RouteError />, ...r })),
  {
    element: (
      <RequireSession>
        <AppLayout>
          <Outlet />
        </AppLayout>
      </RequireSession>
    ),
    errorElement: <RouteError />,
    HydrateFallback: PageLoader,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'portal/cases',
        lazy: async () => ({
          Component: (await import('@/features/cases/CasesPage')).CasesPage,
        }),
      },
      {
        path: 'portal/cases/new',
        lazy: async () => ({
          Component: (await import('@/features/cases/NewCasePage')).NewCasePage,
        }),
      },
      {
        path: 'portal/cases/:id',
        lazy: async () => ({
          Component: (await import('@/features/cases/CaseDetailPage')).CaseDetailPage,
        }),
      },
      {
        path: 'portal/documents',
        lazy: async () => ({
          Component: (await import('@/features/documents/DocumentsPage')).PortalDocumentsPage,
        }),
      },
      {
        path: 'customers/:id',
        lazy: async () => ({
          Component: (await import('@/app/pages/CustomerPage')).CustomerPage,
        }),
      },
      { path: 'documents', element: <Navigate to="/customers" replace /> },
      ...deskRoutes,
      ...usersRoutes,
      ...adminRoutes,
      ...accountRoutes,
      ...platformRoutes,
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes, { hydrationData: undefined });
}
