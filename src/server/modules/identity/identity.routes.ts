import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { StaffRole } from '../../../core/identity/roles.ts';
import { Me, StaffList } from '../../../core/identity/staff.schemas.ts';
import { PageNumber, PageSize } from '../../../core/paging.ts';
import { originOf, requireStaff, SESSION_COOKIE } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { IdentityService } from './identity.service.ts';
import { findPasswordWeakness } from './password-policy.ts';

const NewPassword = z
  .string({ error: 'Vui lòng nhập mật khẩu mới' })
  .max(200, { error: 'Mật khẩu mới tối đa 200 ký tự' })
  .superRefine((p, ctx) => {
    const weakness = findPasswordWeakness(p);
    if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
  });

export const identityRoutes: FastifyPluginAsyncZod<{
  identity: IdentityService;
  units: Pick<UnitsService, 'getUnitRecord'>;
  loginRateLimit: { max: number; timeWindowMs: number };
}> = async (app, { identity, units, loginRateLimit }) => {
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: loginRateLimit.max, timeWindow: loginRateLimit.timeWindowMs } },
      schema: {
        tags: ['identity'],
        summary: 'Staff sign-in; sets an httpOnly session cookie and returns the CSRF token for writes',
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
        response: {
          200: Me,
          400: ErrorBody,
          401: ErrorBody,
          423: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply): Promise<Me> => {
      const { token, csrfToken, expiresAt } = await identity.login(
        request.body.username,
        request.body.password,
        originOf(request),
      );
      const session = await identity.findSession(token);
      if (!session) throw new Error('a new session was not found');
      // A second sign-in in the same browser (another officer at a shared counter PC) ends the first.
      const earlier = request.cookies[SESSION_COOKIE];
      if (earlier) await identity.logout(earlier);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: expiresAt,
      });
      return { csrfToken, user: session.principal };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['identity'], summary: 'End the session', response: { 204: z.null(), 403: ErrorBody } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && request.staff) await identity.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/staff',
    {
      schema: {
        tags: ['identity'],
        summary:
          "The officers who handle dossiers in one's own commune, or in another of one's province (`unit`), to assign or forward to (assigneeId)",
        querystring: z.object({
          role: StaffRole.optional(),
          q: z.string().trim().max(100).optional(),
          /** Another commune of one's province (the competent one of a dossier received for it). */
          unit: z
            .string()
            .regex(/^\d{5}$/, 'Mã xã, phường gồm 5 chữ số')
            .optional(),
          page: PageNumber,
          pageSize: PageSize(100, 50),
        }),
        response: {
          200: StaffList,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const { unit } = request.query;
      if (unit !== undefined && unit !== staff.unitCode) {
        const record = await units.getUnitRecord(unit).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'UNIT_NOT_FOUND') return null;
          throw err;
        });
        if (!record?.current || record.level !== 'commune' || record.provinceCode !== staff.provinceCode) {
          throw new AppError(
            'VALIDATION_FAILED',
            {},
            { 'query.unit': `Không có xã, phường hiện hành mã ${unit} trong tỉnh của bạn` },
          );
        }
      }
      return identity.listColleagues(staff, request.query);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who is signed in, with the CSRF token of the session (for a reloaded page)',
        response: { 200: Me, 401: ErrorBody },
      },
    },
    async (request): Promise<Me> => {
      const user = requireStaff(request);
      const session = await identity.findSession(request.cookies[SESSION_COOKIE] ?? '');
      return { csrfToken: session?.csrfToken ?? '', user };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { rateLimit: { max: loginRateLimit.max, timeWindow: loginRateLimit.timeWindowMs } },
      schema: {
        tags: ['identity'],
        summary: 'Change one’s own password; other sessions of the account end',
        body: z.object({
          currentPassword: z.string({ error: 'Vui lòng nhập mật khẩu hiện tại' }).min(1, {
            error: 'Vui lòng nhập mật khẩu hiện tại',
          }),
          newPassword: NewPassword,
        }),
        response: { 204: z.null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      await identity.changePassword(
        staff,
        request.cookies[SESSION_COOKIE] ?? '',
        request.body.currentPassword,
        request.body.newPassword,
        originOf(request),
      );
      return reply.status(204).send(null);
    },
  );
};
