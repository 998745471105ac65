import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { purgeIdempotencyKeys } from '../kernel/idempotency.ts';
import { defineJob } from './job-definition.ts';

const DAY_MS = 86_400_000;
/** Finished jobs are kept this long for the staff app's list; dead ones until someone retries them. */
export const DONE_JOBS_KEPT_DAYS = 30;

/** Deletes the finished jobs older than `before` (dead ones stay on the dead-letter list). */
export async function purgeDoneJobs(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('job')
    .where('state', '=', 'done')
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Once a day: the answers kept for retried writes past their retention, and old finished jobs. */
export function purgeJob(options: { idempotencyRetentionDays: number }) {
  return defineJob({
    kind: 'kernel.purge',
    payload: z.object({}),
    every: { ms: DAY_MS, payload: {} },
    leaseMs: 10 * 60_000,
    async run(_payload, { db, now }) {
      const at = now().getTime();
      await purgeIdempotencyKeys(db, new Date(at - options.idempotencyRetentionDays * DAY_MS));
      await purgeDoneJobs(db, new Date(at - DONE_JOBS_KEPT_DAYS * DAY_MS));
    },
  });
}
