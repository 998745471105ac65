import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/connection.ts';
import { readDatabaseHealth } from '../../db/database-health.ts';
import type { StorageHealth } from '../../db/storage-health.ts';
import type { StartupState } from '../../startup-state.ts';

const DatabaseHealth = z.object({
  kind: z.enum(['embedded', 'postgresql']),
  /** Whether a commit reaches the disk before it is acknowledged (PostgreSQL's fsync setting). */
  fsync: z.boolean(),
});

export const healthRoutes: FastifyPluginAsyncZod<{
  database: Database;
  startup: StartupState;
  storage: StorageHealth;
  demo: boolean;
}> = async (app, { database, startup, storage, demo }) => {
  app.get(
    '/api/public/site',
    {
      schema: {
        tags: ['health'],
        summary:
          'What kind of installation this is: `demo` is true while demo data is on (invented accounts with a published password, the demo certificate authority trusted)',
        response: { 200: z.object({ demo: z.boolean() }) },
      },
    },
    () => ({ demo }),
  );

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
          200: z.object({ status: z.literal('ready'), database: DatabaseHealth }),
          503: z.object({
            status: z.enum(['loading', 'unavailable']),
            database: DatabaseHealth,
            /** Why writes fail, when they do: the disk is full, read-only, not writable… */
            storage: z.enum(['full', 'read-only', 'not-a-folder', 'not-writable', 'io']).optional(),
            stage: z.string().optional(),
            progress: z.number().optional(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const health = await readDatabaseHealth(database);
      if (!health.answering && !health.loading) {
        return reply.status(503).send({ status: 'unavailable' as const, database: health.database });
      }
      const storageFailure = storage.check();
      if (storageFailure) {
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, database: health.database, storage: storageFailure });
      }
      if (!startup.ready || health.loading) {
        return reply.status(503).send({
          status: 'loading' as const,
          database: health.database,
          stage: startup.stage,
          progress: startup.progress,
        });
      }
      return { status: 'ready' as const, database: health.database };
    },
  );
};
