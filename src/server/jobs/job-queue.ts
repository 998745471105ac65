import { type Kysely, type QueryCreator, sql, type Transaction } from 'kysely';
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

/**
 * The outbox row of a row the same statement inserts (one round trip for both): `qc` has a CTE named
 * `made` whose rows carry the new `id`; each of them gets a job whose payload is `payload` with that id
 * under `idKey`, deduplicated as `dedupePrefix` + id. No `made` row (its insert was a duplicate), no job.
 * Returns how many jobs were enqueued.
 */
export async function enqueueJobsFor<P, K extends keyof P & string>(
  qc: QueryCreator<DB & { made: { id: number } }>,
  definition: JobDefinition<P>,
  payload: Omit<P, K>,
  options: { idKey: K; dedupePrefix: string; now: Date },
): Promise<number> {
  // The payload's shape is checked here as the job will parse it, with a stand-in id.
  definition.payload.parse({ ...payload, [options.idKey]: 1 });
  const rows = await qc
    .insertInto('job')
    .columns(['kind', 'payload', 'dedupe_key', 'run_at', 'max_attempts', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('made')
        .select([
          sql<string>`${definition.kind}`.as('kind'),
          sql<string>`(${JSON.stringify(payload)}::jsonb || jsonb_build_object(${options.idKey}::text, made.id))`.as(
            'payload',
          ),
          sql<string>`${options.dedupePrefix} || made.id`.as('dedupe_key'),
          sql<Date>`${options.now}::timestamptz`.as('run_at'),
          sql<number>`${definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}::int`.as('max_attempts'),
          sql<Date>`${options.now}::timestamptz`.as('created_at'),
        ]),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export type ClaimedJob = {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
};

/**
 * Leases up to `limit` due jobs of the given kinds to `runner` (`FOR UPDATE SKIP LOCKED` in a
 * materialized CTE: two processes on one PostgreSQL never claim the same row, and the row limit holds);
 * each lease ends after its kind's lease. A claim counts as a try; a job out of tries is not claimed
 * again (buryUnfinishedJobs puts it on the dead-letter list).
 */
export async function claimJobs(
  db: Kysely<DB>,
  runner: string,
  leases: Map<string, number>,
  now: Date,
  limit: number,
): Promise<ClaimedJob[]> {
  if (leases.size === 0 || limit < 1) return [];
  const kindList = sql.join([...leases.keys()]);
  const kinds = [...leases.entries()].map(([kind, ms]) => sql`(${kind}::text, ${ms}::integer)`);
  const rows = await sql<{
    id: number;
    kind: string;
    payload: unknown;
    attempts: number;
    max_attempts: number;
  }>`
    with picked as materialized (
      select id from job
      where state = 'pending' and run_at <= ${now} and attempts < max_attempts
        and (locked_until is null or locked_until <= ${now})
        and kind in (${kindList})
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    update job set
      attempts = job.attempts + 1,
      locked_by = ${runner},
      locked_until = ${now}::timestamptz + lease.ms * interval '1 millisecond'
    from picked, (values ${sql.join(kinds)}) as lease (kind, ms)
    where job.id = picked.id and job.kind = lease.kind
    returning job.id, job.kind, job.payload, job.attempts, job.max_attempts`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

/**
 * Jobs whose last try never finished (their process died, again and again) go to the dead-letter list
 * instead of being claimed once more; the runner calls this once a minute, not on every poll.
 */
export async function buryUnfinishedJobs(db: Kysely<DB>, kinds: string[], now: Date) {
  if (kinds.length === 0) return;
  await db
    .updateTable('job')
    .set({
      state: 'dead',
      finished_at: now,
      locked_until: null,
      locked_by: null,
      last_error:
        'Lần thử cuối không kết thúc (tiến trình đã dừng hoặc hết thời hạn) — the last try never finished',
    })
    .where('state', '=', 'pending')
    .where(sql<boolean>`attempts >= max_attempts`)
    .where('locked_until', '<=', now)
    .where('kind', 'in', kinds)
    .execute();
}

/** The job ran: done, if the lease is still this runner's try (else a later try owns the row). */
export async function completeJob(
  db: Kysely<DB> | Transaction<DB>,
  job: ClaimedJob,
  runner: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set({ state: 'done', finished_at: now, locked_until: null, locked_by: null, last_error: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', runner)
    .where('attempts', '=', job.attempts)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
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
      last_error: redactError(error).slice(0, 2000),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', runner)
    .where('attempts', '=', job.attempts)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * What a failed try says, as the administrator will read it: numbers that look like a phone or an ID
 * and e-mail addresses are masked (a provider's error may repeat the recipient's).
 */
export function redactError(message: string): string {
  return message.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[e-mail]').replace(/\+?\d[\d .-]{7,}\d/g, '[số]');
}
