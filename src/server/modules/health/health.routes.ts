import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Liveness, NotReady, Ready, SiteInfo } from '../../../core/health/health.schemas.ts';
import type { Database } from '../../db/connection.ts';
import { readDatabaseHealth } from '../../db/database-health.ts';
import type { StorageHealth } from '../../db/storage-health.ts';
import type { StartupState } from '../../startup-state.ts';

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
        response: { 200: SiteInfo },
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
        response: { 200: Liveness },
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
        response: { 200: Ready, 503: NotReady },
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
