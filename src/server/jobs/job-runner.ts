import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { type AnyJobDefinition, backoffMs, DEFAULT_LEASE_MS, type JobFinish } from './job-definition.ts';
import {
  buryUnfinishedJobs,
  type ClaimedJob,
  claimJobs,
  completeJob,
  enqueueJob,
  failJob,
} from './job-queue.ts';

/** How long stop() waits for handlers that ran past their lease. */
const STOP_GRACE_MS = 10_000;

export type JobRunnerOptions = {
  db: Kysely<DB>;
  definitions: AnyJobDefinition[];
  now?: () => Date;
  /** How long an idle runner waits before looking again (wake() cuts it short). Default 1 s. */
  pollMs?: number;
  /** Jobs run at once. Default 2. */
  concurrency?: number;
  /** Errors of the runner itself and of failed tries; personal data stays out (only kind, id, message). */
  log?: (fields: Record<string, unknown>, message: string) => void;
  random?: () => number;
};

export type JobRunner = {
  /** Who holds a lease: host, process and a random part (two runners in one process differ). */
  readonly id: string;
  /** Look for due jobs now (after a write that enqueued one). */
  wake(): void;
  /**
   * One pass: once a minute enqueue the recurring slots that are due and bury the jobs whose last try
   * never finished; then claim and run what is due. How many ran.
   */
  runOnce(): Promise<number>;
  /** Starts the loop (the server); tests drive runOnce() themselves. */
  start(): void;
  /** Ends the loop and waits for the tries under way. */
  stop(): Promise<void>;
};

/**
 * Delivers the outbox: claims due jobs under a lease, runs each definition's handler with its parsed
 * payload, marks it done, or schedules the next try with backoff until its tries are spent. A runner
 * that dies leaves its leases to expire; the jobs are then claimed again (at least once).
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = options.concurrency ?? 2;
  const log = options.log ?? (() => {});
  const random = options.random ?? Math.random;
  const id = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const byKind = new Map(options.definitions.map((d) => [d.kind, d]));
  const leases = new Map(options.definitions.map((d) => [d.kind, d.leaseMs ?? DEFAULT_LEASE_MS]));
  const running = new Set<Promise<void>>();
  // Handlers whose try timed out but which have not settled yet: they still take a slot.
  const overrun = new Set<Promise<void>>();
  let lastRecurring = Number.NEGATIVE_INFINITY;
  let looping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;

  async function enqueueRecurring(at: Date) {
    for (const definition of options.definitions) {
      if (!definition.every) continue;
      const slot = Math.floor(at.getTime() / definition.every.ms) * definition.every.ms;
      await enqueueJob(db, definition, definition.every.payload, {
        now: at,
        runAt: new Date(slot),
        dedupeKey: `every:${definition.kind}:${new Date(slot).toISOString()}`,
      });
    }
  }

  async function runJob(job: ClaimedJob) {
    const definition = byKind.get(job.kind);
    if (!definition) return;
    const leaseMs = leases.get(job.kind) ?? DEFAULT_LEASE_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('the lease ended')), leaseMs);
    try {
      const parsed = definition.payload.safeParse(job.payload);
      if (!parsed.success) {
        // A payload that no longer fits its schema will not fit on the next try either.
        await failJob(
          db,
          { ...job, maxAttempts: job.attempts },
          id,
          now(),
          `payload: ${parsed.error.message}`,
          0,
        );
        return;
      }
      const handler = definition.run(parsed.data, {
        db,
        jobId: job.id,
        attempt: job.attempts,
        now,
        signal: controller.signal,
      });
      let finish: JobFinish | null = null;
      const outcome = await Promise.race([
        handler.then((last) => {
          finish = typeof last === 'function' ? last : null;
          return null;
        }),
        new Promise<Error>((resolve) =>
          controller.signal.addEventListener('abort', () =>
            resolve(new Error(`timed out after ${leaseMs} ms`)),
          ),
        ),
      ]).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      if (controller.signal.aborted) {
        // The try is over, its handler may not be: it keeps its slot until it settles, so this runner
        // does not start another try beside it (a handler should stop on `signal`).
        const settled = handler.then(
          () => undefined,
          () => undefined,
        );
        overrun.add(settled);
        void settled.finally(() => {
          overrun.delete(settled);
          wakeUp?.();
        });
      }
      if (outcome === null) {
        const last = finish as JobFinish | null;
        if (last) {
          await db.transaction().execute(async (trx) => {
            await last(trx);
            // The lease was lost (another runner took the job): its write goes with it, not without it.
            if (!(await completeJob(trx, job, id, now())))
              throw new Error('the lease was lost before the job finished');
          });
        } else {
          await completeJob(db, job, id, now());
        }
      } else {
        log({ job: job.id, kind: job.kind, attempt: job.attempts, error: outcome.message }, 'a job failed');
        await failJob(db, job, id, now(), outcome.message, backoffMs(job.attempts, random));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async function runOnce(): Promise<number> {
    const at = now();
    if (at.getTime() - lastRecurring >= 60_000) {
      lastRecurring = at.getTime();
      await enqueueRecurring(at);
      await buryUnfinishedJobs(db, [...leases.keys()], at);
    }
    const free = concurrency - running.size - overrun.size;
    const jobs = await claimJobs(db, id, leases, at, free);
    for (const job of jobs) {
      const run = runJob(job)
        .catch((err: unknown) =>
          log({ job: job.id, kind: job.kind, error: String(err) }, 'the job runner failed'),
        )
        .finally(() => {
          running.delete(run);
          // Claims come in batches under load: the loop looks again once half the slots are free.
          if (running.size + overrun.size <= Math.floor(concurrency / 2)) wakeUp?.();
        });
      running.add(run);
    }
    if (!looping) await Promise.all(running);
    return jobs.length;
  }

  return {
    id,
    wake: () => wakeUp?.(),
    runOnce,
    start() {
      if (loop) return;
      looping = true;
      loop = (async () => {
        while (looping) {
          let claimed = 0;
          try {
            claimed = await runOnce();
          } catch (err) {
            log(
              { error: err instanceof Error ? err.message : String(err) },
              'the job runner could not claim jobs',
            );
          }
          if (!looping) break;
          // Full, or nothing due: wait for a try to end, a wake(), or the poll.
          if (claimed === 0 || running.size + overrun.size >= concurrency) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, pollMs);
              timer.unref();
              wakeUp = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wakeUp = null;
          }
        }
      })();
    },
    async stop() {
      looping = false;
      wakeUp?.();
      await loop;
      loop = null;
      await Promise.all(running);
      // A handler past its lease gets a little longer; the job is tried again anyway.
      await Promise.race([Promise.all(overrun), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    },
  };
}
