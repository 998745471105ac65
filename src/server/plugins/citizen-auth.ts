import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../core/errors.ts';
import type { CitizenPrincipal } from '../../core/identity/citizen.ts';
import type { CitizensService } from '../modules/citizens/citizens.service.ts';
import type { CitizenActor } from '../modules/dossiers/online-intake.ts';
import { sameToken } from '../modules/identity/identity.service.ts';
import { assertSameOrigin, CSRF_HEADER, originOf } from './auth.ts';

export const CITIZEN_COOKIE = 'motcua_citizen';

declare module 'fastify' {
  interface FastifyRequest {
    citizen: CitizenPrincipal | null;
    citizenCsrf: string | null;
  }
}

/** The citizen signed in with VNeID, or 401. */
export function requireCitizen(request: FastifyRequest): CitizenPrincipal {
  if (!request.citizen) throw new AppError('UNAUTHENTICATED');
  return request.citizen;
}

export function citizenActorOf(request: FastifyRequest): CitizenActor {
  return { citizen: requireCitizen(request), ...originOf(request) };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reads the citizen's session cookie on /api/citizen/*. A write must come from our own origin with the
 * session's CSRF token (the cookie is SameSite=Lax: it has to survive the return from VNeID).
 */
export const citizenAuthPlugin = fp(async (app: FastifyInstance, opts: { citizens: CitizensService }) => {
  app.decorateRequest('citizen', null);
  app.decorateRequest('citizenCsrf', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/citizen/')) return;
    const token = request.cookies[CITIZEN_COOKIE];
    if (!token) return;
    const unsafe = !SAFE.has(request.method);
    if (unsafe) assertSameOrigin(request);
    const session = await opts.citizens.findSession(token);
    if (!session) return;
    if (unsafe) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameToken(given, session.csrfToken))
        throw new AppError('CSRF_INVALID');
    }
    request.citizen = session.citizen;
    request.citizenCsrf = session.csrfToken;
  });
});
