import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { StaffPrincipal } from '../../core/identity/roles.ts';
import type { JobList, JobState, JobSummary } from '../../core/jobs/jobs.schemas.ts';
import type { DB } from '../db/schema.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import type { RequestOrigin } from '../modules/identity/identity.service.ts';

export type JobListQuery = { state?: JobState; kind?: string; page: number; pageSize: number };

/** The system administrator's view of the job runner: the lists, and a retry for a dead job. */
export function createJobsService(deps: { db: Kysely<DB>; now: () => Date; wake: () => void }) {
  const { db } = deps;

  function mayManage(staff: StaffPrincipal) {
    if (staff.role !== 'system_admin') throw new AppError('FORBIDDEN', {});
  }

  return {
    async list(staff: StaffPrincipal, query: JobListQuery): Promise<JobList> {
      mayManage(staff);
      let filtered = db.selectFrom('job');
      if (query.state) filtered = filtered.where('state', '=', query.state);
      if (query.kind) filtered = filtered.where('kind', 'like', `${query.kind.replace(/[%_\\]/g, '\\$&')}%`);
      const [rows, total, counts, kinds] = await Promise.all([
        filtered
          .select([
            'id',
            'kind',
            'state',
            'attempts',
            'max_attempts',
            'run_at',
            'created_at',
            'finished_at',
            'last_error',
          ])
          .orderBy('id', 'desc')
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize)
          .execute(),
        filtered.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
        db
          .selectFrom('job')
          .select(['state', sql<number>`count(*)::int`.as('n')])
          .groupBy('state')
          .execute(),
        db.selectFrom('job').select('kind').distinct().orderBy('kind').execute(),
      ]);
      const byState = Object.fromEntries(counts.map((c) => [c.state, c.n]));
      return {
        items: rows.map(
          (r): JobSummary => ({
            id: Number(r.id),
            kind: r.kind,
            state: r.state,
            attempts: r.attempts,
            maxAttempts: r.max_attempts,
            runAt: r.run_at.toISOString(),
            createdAt: r.created_at.toISOString(),
            finishedAt: r.finished_at?.toISOString() ?? null,
            lastError: r.last_error,
          }),
        ),
        total: total.n,
        page: query.page,
        pageSize: query.pageSize,
        counts: { pending: byState.pending ?? 0, done: byState.done ?? 0, dead: byState.dead ?? 0 },
        kinds: kinds.map((k) => k.kind),
      };
    },

    /** A dead job gets its tries back and runs again now; audited. */
    async retry(staff: StaffPrincipal, origin: RequestOrigin, id: number) {
      mayManage(staff);
      const at = deps.now();
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('job')
          .select(['state', 'kind', 'attempts'])
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw new AppError('JOB_NOT_FOUND', { id });
        if (row.state !== 'dead') throw new AppError('JOB_NOT_DEAD', { id, state: row.state });
        await trx
          .updateTable('job')
          .set({
            state: 'pending',
            attempts: 0,
            run_at: at,
            finished_at: null,
            locked_until: null,
            locked_by: null,
          })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, {
          actorId: staff.id,
          action: 'job.retry',
          entity: 'job',
          entityId: id,
          details: { kind: row.kind, attemptsBefore: row.attempts },
          at,
          ...origin,
        });
      });
      deps.wake();
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
