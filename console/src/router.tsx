// The console's routes (under /console/). Only sign-in is in the first bundle; every other page is its own chunk,
// loaded when first visited.
import type { ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { SignInPage } from './pages/sign-in';
import { RouteError } from './layout/route-error';

/** A page loaded on first visit: its module and the component it exports. */
const lazyPage =
  <M,>(load: () => Promise<M>, pick: (module: M) => ComponentType) =>
  async () => ({ Component: pick(await load()) });

export const router = createBrowserRouter(
  [
    { path: '/sign-in', Component: SignInPage, ErrorBoundary: RouteError },
    {
      path: '/invitations/:token',
      lazy: lazyPage(
        () => import('./pages/invitation'),
        (m) => m.InvitationPage,
      ),
      ErrorBoundary: RouteError,
    },
    {
      path: '/',
      lazy: lazyPage(
        () => import('./layout/shell'),
        (m) => m.Shell,
      ),
      ErrorBoundary: RouteError,
      children: [
        {
          index: true,
          lazy: lazyPage(
            () => import('./pages/home'),
            (m) => m.HomePage,
          ),
        },
        {
          path: 'robots',
          lazy: lazyPage(
            () => import('./pages/robots'),
            (m) => m.RobotsPage,
          ),
        },
        {
          path: 'robots/:id',
          lazy: lazyPage(
            () => import('./pages/robot'),
            (m) => m.RobotPage,
          ),
        },
        {
          path: 'report',
          lazy: lazyPage(
            () => import('./pages/report'),
            (m) => m.ReportStartPage,
          ),
        },
        {
          path: 'report/:id',
          lazy: lazyPage(
            () => import('./pages/report'),
            (m) => m.ReportPage,
          ),
        },
        {
          path: 'import',
          lazy: lazyPage(
            () => import('./pages/import'),
            (m) => m.ImportPage,
          ),
        },
        {
          path: 'issue',
          lazy: lazyPage(
            () => import('./pages/issue'),
            (m) => m.IssuePage,
          ),
        },
        {
          path: 'models',
          lazy: lazyPage(
            () => import('./pages/models'),
            (m) => m.ModelsPage,
          ),
        },
        {
          path: 'admin',
          lazy: lazyPage(
            () => import('./pages/admin/admin-page'),
            (m) => m.AdminPage,
          ),
        },
        {
          path: 'account',
          lazy: lazyPage(
            () => import('./pages/account'),
            (m) => m.AccountPage,
          ),
        },
        {
          path: '*',
          lazy: lazyPage(
            () => import('./pages/not-found'),
            (m) => m.NotFoundPage,
          ),
        },
      ],
    },
  ],
  { basename: '/console' },
);
