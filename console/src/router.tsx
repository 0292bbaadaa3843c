// The console's routes (under /console/). Only sign-in is in the first bundle; every other page is its own chunk,
// loaded when first visited.
import { Navigate, createBrowserRouter } from 'react-router';
import { SignInPage } from './pages/sign-in';
import { RouteError } from './layout/route-error';

export const router = createBrowserRouter(
  [
    { path: '/sign-in', Component: SignInPage, ErrorBoundary: RouteError },
    {
      path: '/invitations/:token',
      lazy: async () => ({ Component: (await import('./pages/invitation')).InvitationPage }),
      ErrorBoundary: RouteError,
    },
    {
      path: '/',
      lazy: async () => ({ Component: (await import('./layout/shell')).Shell }),
      ErrorBoundary: RouteError,
      children: [
        // The to-do home page comes with GET /v1/organisations/{orgId}/todo; until then, the robot search.
        { index: true, element: <Navigate to="/robots" replace /> },
        { path: 'robots', lazy: async () => ({ Component: (await import('./pages/robots')).RobotsPage }) },
        { path: 'robots/:id', lazy: async () => ({ Component: (await import('./pages/robot')).RobotPage }) },
        {
          path: 'report',
          lazy: async () => ({ Component: (await import('./pages/report')).ReportStartPage }),
        },
        {
          path: 'report/:id',
          lazy: async () => ({ Component: (await import('./pages/report')).ReportPage }),
        },
        { path: '*', lazy: async () => ({ Component: (await import('./pages/not-found')).NotFoundPage }) },
      ],
    },
  ],
  { basename: '/console' },
);
