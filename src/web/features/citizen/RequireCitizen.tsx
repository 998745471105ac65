import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { CitizenMe } from '../../api/citizen.ts';
import { PageLoader } from '../../app/Lazy.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { signInPath, useCitizenMe } from './use-citizen.ts';

/** The page for a signed-in citizen; anyone else goes to sign in and comes back here after. */
export function RequireCitizen({ children }: { children: (me: CitizenMe) => ReactNode }) {
  const me = useCitizenMe();
  const location = useLocation();
  if (me.signedOut) {
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  }
  if (me.error) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <PageLoader />;
  return <>{children(me.data)}</>;
}
