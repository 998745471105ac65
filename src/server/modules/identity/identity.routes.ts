import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StaffRole } from '../../../core/identity/roles.ts';
import { requireStaff, SESSION_COOKIE } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { IdentityService } from './identity.service.ts';

const Principal = z.object({
  id: z.number(),
  username: z.string(),
  fullName: z.string(),
  role: StaffRole,
  unitCode: z.string(),
  provinceCode: z.string().nullable(),
});

export const identityRoutes: FastifyPluginAsyncZod<{ identity: IdentityService }> = async (
  app,
  { identity },
) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['identity'],
        summary: 'Staff sign-in; sets an httpOnly session cookie',
        body: z.object({
          username: z
            .string({ error: 'Vui lòng nhập tên đăng nhập' })
            .trim()
            .min(1, { error: 'Vui lòng nhập tên đăng nhập' })
            .max(100),
          password: z
            .string({ error: 'Vui lòng nhập mật khẩu' })
            .min(1, { error: 'Vui lòng nhập mật khẩu' })
            .max(200),
        }),
        response: { 200: z.object({ user: Principal }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = await identity.login(request.body.username, request.body.password);
      const user = await identity.findPrincipal(token);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: expiresAt,
      });
      return { user: user as z.infer<typeof Principal> };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'End the session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await identity.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who is signed in',
        response: { 200: z.object({ user: Principal }), 401: ErrorBody },
      },
    },
    async (request) => ({ user: requireStaff(request) }),
  );
};
