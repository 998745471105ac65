import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../core/errors.ts';
import type { StaffPrincipal } from '../../core/identity/roles.ts';
import { type IdentityService, type RequestOrigin, sameToken } from '../modules/identity/identity.service.ts';

export const SESSION_COOKIE = 'motcua_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffPrincipal | null;
  }
}

/** The signed-in staff member, or 401. */
export function requireStaff(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new AppError('UNAUTHENTICATED');
  return request.staff;
}

/** Where a request came from, for the audit log. */
export function originOf(request: FastifyRequest): RequestOrigin {
  const agent = request.headers['user-agent'];
  return { requestId: request.id, ip: request.ip ?? null, userAgent: agent ? agent.slice(0, 300) : null };
}

/** The signed-in officer with where the request came from: what services need to act and audit. */
export function actorOf(request: FastifyRequest) {
  return { staff: requireStaff(request), ...originOf(request) };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing in has no session yet; its own defences are the rate limit and the lock-out. Verifying a PDF
// is public and reads no session: a signed-in officer's browser may post the page's form without a token.
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/verify', '/verify']);

/** Scheme, host and port of a URL (default ports left out); 'null' or garbage counts as foreign. */
function originOfUrl(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * A cookie-authenticated write must come from our own pages: another site's is 403. The whole origin
 * counts (scheme, host and port): http://host:3001 or the plain-http twin of an https site is foreign.
 * Behind a trusted proxy the scheme is the one it forwards (X-Forwarded-Proto).
 */
export function assertSameOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  const host = request.headers.host;
  const ours = host ? originOfUrl(`${request.protocol}://${host}`) : null;
  if (
    (origin && ours && originOfUrl(origin) !== ours) ||
    request.headers['sec-fetch-site'] === 'cross-site'
  ) {
    throw new AppError('FORBIDDEN');
  }
}

/**
 * Reads the session cookie into request.staff. A cookie-authenticated write must come from our own
 * origin and carry the session's CSRF token in X-CSRF-Token (the cookie is SameSite=Strict as well).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { identity: IdentityService }) => {
  await app.register(fastifyCookie);
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const unsafe = !SAFE_METHODS.has(request.method);
    const path = request.url.split('?')[0] ?? '';
    if (unsafe && CSRF_EXEMPT.has(path)) return;
    // The citizen's routes have their own session and token (citizen-auth.ts): an officer signed in on
    // the same browser must not make a citizen's write fail on the staff token.
    if (path.startsWith('/api/citizen/')) return;
    if (unsafe) assertSameOrigin(request);
    const session = await opts.identity.findSession(token);
    if (!session) return;
    if (unsafe) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameToken(given, session.csrfToken))
        throw new AppError('CSRF_INVALID');
    }
    request.staff = session.principal;
  });
});
