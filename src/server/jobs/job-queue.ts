import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { DEFAULT_MAX_ATTEMPTS, type JobDefinition } from './job-definition.ts';

/**
 * The outbox: a write that causes a side effect calls this in its own transaction, so the job exists
 * exactly when the write does. A second enqueue with the same `dedupeKey` is ignored (returns null).
 */
export async function enqueueJob<P>(
  trx: Transaction<DB> | Kysely<DB>,
  definition: JobDefinition<P>,
  payload: P,
  options: { now: Date; runAt?: Date; dedupeKey?: string },
): Promise<number | null> {
  const parsed = definition.payload.parse(payload);
  const row = await trx
    .insertInto('job')
    .values({
      kind: definition.kind,
      payload: JSON.stringify(parsed),
      dedupe_key: options.dedupeKey ?? null,
      run_at: options.runAt ?? options.now,
      max_attempts: definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      created_at: options.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export type ClaimedJob = {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
};

/**
 * Leases up to `limit` due jobs of the given kinds to `runner` (`FOR UPDATE SKIP LOCKED`: two processes
 * on one PostgreSQL never claim the same row); each lease ends after its kind's lease. A claim counts
 * as a try, so a job that kills its process still reaches the dead-letter list.
 */
export async function claimJobs(
  db: Kysely<DB>,
  runner: string,
  leases: Map<string, number>,
  now: Date,
  limit: number,
): Promise<ClaimedJob[]> {
  if (leases.size === 0 || limit < 1) return [];
  const kinds = [...leases.entries()].map(([kind, ms]) => sql`(${kind}::text, ${ms}::integer)`);
  const rows = await sql<{
    id: number;
    kind: string;
    payload: unknown;
    attempts: number;
    max_attempts: number;
  }>`
    update job set
      attempts = job.attempts + 1,
      locked_by = ${runner},
      locked_until = ${now}::timestamptz + lease.ms * interval '1 millisecond'
    from (values ${sql.join(kinds)}) as lease (kind, ms)
    where job.kind = lease.kind and job.id in (
      select id from job
      where state = 'pending' and run_at <= ${now}
        and (locked_until is null or locked_until <= ${now})
        and kind in (${sql.join([...leases.keys()])})
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning job.id, job.kind, job.payload, job.attempts, job.max_attempts`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

/** The job ran: done, if the lease is still this runner's try (else a later try owns the row). */
export async function completeJob(db: Kysely<DB>, job: ClaimedJob, runner: string, now: Date) {
  await db
    .updateTable('job')
    .set({ state: 'done', finished_at: now, locked_until: null, locked_by: null, last_error: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', runner)
    .where('attempts', '=', job.attempts)
    .where('state', '=', 'pending')
    .execute();
}

/** The try failed: again after `retryInMs`, or dead once its tries are spent. */
export async function failJob(
  db: Kysely<DB>,
  job: ClaimedJob,
  runner: string,
  now: Date,
  error: string,
  retryInMs: number,
) {
  const dead = job.attempts >= job.maxAttempts;
  await db
    .updateTable('job')
    .set({
      state: dead ? 'dead' : 'pending',
      finished_at: dead ? now : null,
      run_at: dead ? now : new Date(now.getTime() + retryInMs),
      locked_until: null,
      locked_by: null,
      last_error: error.slice(0, 2000),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', runner)
    .where('attempts', '=', job.attempts)
    .where('state', '=', 'pending')
    .execute();
}
