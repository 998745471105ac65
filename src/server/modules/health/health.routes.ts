import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/connection.ts';
import type { StartupState } from '../../startup-state.ts';

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database; startup: StartupState }> = async (
  app,
  { database, startup },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database answers and the reference data is loaded',
        response: {
          200: z.object({ status: z.literal('ready'), database: z.string() }),
          503: z.object({
            status: z.enum(['loading', 'unavailable']),
            database: z.string(),
            stage: z.string().optional(),
            progress: z.number().optional(),
          }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: database.kind });
      }
      if (!startup.ready) {
        return reply.status(503).send({
          status: 'loading' as const,
          database: database.kind,
          stage: startup.stage,
          progress: startup.progress,
        });
      }
      return { status: 'ready' as const, database: database.kind };
    },
  );
};
