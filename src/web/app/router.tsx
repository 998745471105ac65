import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { HomePage } from '../features/portal/HomePage.tsx';
import { Lazy } from './Lazy.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { PortalLayout } from './PortalLayout.tsx';

// Each face is its own chunk: a citizen on a phone never downloads the counter or the back office.
const CataloguePage = lazy(() => import('../features/portal/CataloguePage.tsx'));
const ProcedurePage = lazy(() => import('../features/portal/ProcedurePage.tsx'));
const TrackPage = lazy(() => import('../features/tracking/TrackPage.tsx'));
const SignInPage = lazy(() => import('../features/citizen/SignInPage.tsx'));
const MyDossiersPage = lazy(() => import('../features/citizen/MyDossiersPage.tsx'));
const MyDossierPage = lazy(() => import('../features/citizen/MyDossierPage.tsx'));
const SubmitPage = lazy(() => import('../features/citizen/submit/SubmitPage.tsx'));
const StaffApp = lazy(() => import('../features/staff/StaffApp.tsx'));
const BoardPage = lazy(() => import('../features/stats/BoardPage.tsx'));

export const router = createBrowserRouter([
  {
    path: '/',
    element: <PortalLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'procedures', element: <Lazy page={CataloguePage} /> },
      { path: 'procedures/:code', element: <Lazy page={ProcedurePage} /> },
      { path: 'track', element: <Lazy page={TrackPage} /> },
      { path: 'track/:code', element: <Lazy page={TrackPage} /> },
      { path: 'signin', element: <Lazy page={SignInPage} /> },
      { path: 'my', element: <Lazy page={MyDossiersPage} /> },
      { path: 'my/:id', element: <Lazy page={MyDossierPage} /> },
      { path: 'submit/:code', element: <Lazy page={SubmitPage} /> },
      { path: 'board', element: <Lazy page={BoardPage} /> },
      { path: 'board/:unit', element: <Lazy page={BoardPage} /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: '/staff/*', element: <Lazy page={StaffApp} /> },
]);
