import { useQuery } from '@tanstack/react-query';
import { type CitizenMe, getCitizenMe } from '../../api/citizen.ts';
import { ApiError } from '../../api/client.ts';

/** The citizen signed in, asked once per page load (the header and the pages share it). */
export function useCitizenMe() {
  const query = useQuery<CitizenMe, Error>({
    queryKey: ['citizen-me'],
    queryFn: getCitizenMe,
    retry: (count, error) => error instanceof ApiError && error.isNetwork && count < 2,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const signedOut = query.error instanceof ApiError && query.error.status === 401;
  return { ...query, signedOut };
}

/** A path inside this site only: VNeID sends the browser back there, so never another origin. */
export function safeReturnTo(value: string | null, fallback = '/my') {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  return value;
}

/** The sign-in page that comes back to where the citizen is now. */
export function signInPath(returnTo: string) {
  return `/signin?returnTo=${encodeURIComponent(returnTo)}`;
}
