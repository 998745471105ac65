import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobList, JobState } from '../../core/jobs/jobs.schemas.ts';
import { PageNumber, PageSize } from '../../core/paging.ts';
import { actorOf, requireStaff } from '../plugins/auth.ts';
import { errorResponses } from '../plugins/openapi.ts';
import type { JobsService } from './jobs.service.ts';

const ListQuery = z.object({
  state: JobState.optional(),
  kind: z.string().trim().max(60, { error: 'Loại công việc tối đa 60 ký tự' }).optional(),
  page: PageNumber,
  pageSize: PageSize(100, 20),
});
const Id = z.object({ id: z.coerce.number().int().positive({ error: 'Mã không hợp lệ' }) });
const errors = errorResponses(400, 401, 403, 404, 409);

/** The system administrator's window on the outbox: what waits, what is done, what is dead and why. */
export const jobsRoutes: FastifyPluginAsyncZod<{ jobs: JobsService }> = async (app, { jobs }) => {
  app.get(
    '/api/admin/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'The job runner’s jobs (messages, reports, purges), newest first, with counts per state',
        description: 'System administrators only. Payloads are not shown: they may name a citizen.',
        querystring: ListQuery,
        response: { 200: JobList, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return jobs.list(requireStaff(request), request.query);
    },
  );

  app.post(
    '/api/admin/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Run a dead job again, its tries given back (audited)',
        params: Id,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { staff, ...origin } = actorOf(request);
      await jobs.retry(staff, origin, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
