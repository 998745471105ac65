import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../core/errors.ts';
import type { StaffPrincipal } from '../../core/identity/roles.ts';
import type { IdentityService } from '../modules/identity/identity.service.ts';

export const SESSION_COOKIE = 'motcua_session';

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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host of an Origin header; 'null' or garbage counts as foreign. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Reads the session cookie into request.staff. Cookie-authenticated writes must come from our own
 * origin (the cookie is SameSite=Strict too): a cross-site form can never act for an officer.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { identity: IdentityService }) => {
  await app.register(fastifyCookie);
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    if (!SAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      const site = request.headers['sec-fetch-site'];
      const host = request.headers.host;
      if ((origin && host && originHost(origin) !== host) || site === 'cross-site') {
        throw new AppError('FORBIDDEN');
      }
    }
    request.staff = await opts.identity.findPrincipal(token);
  });
});
