import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.ts';

/** What a job's handler is given. It runs at least once: a handler must be safe to run again. */
export type JobContext = {
  db: Kysely<DB>;
  /** The job's row id: the deduplication id to give an outside provider (tracking_id, RequestId). */
  jobId: number;
  /** 1 on the first try. */
  attempt: number;
  now: () => Date;
  /** Fires when the lease ends: past it, another runner may take the job. */
  signal: AbortSignal;
};

/**
 * One kind of job, defined once: its payload's schema (checked when enqueued and again when read back),
 * how often it is tried before it goes to the dead-letter list, how long one try may hold it, and what
 * it does. A recurring job is enqueued by the runner once per period (one row per slot, whichever
 * process gets there first).
 */
export type JobDefinition<P> = {
  kind: string;
  payload: z.ZodType<P>;
  /** Tries before the job is dead (the system administrator sees it and may retry it). Default 8. */
  maxAttempts?: number;
  /** How long one try holds the job. Default 60 s. */
  leaseMs?: number;
  /** Enqueue once per period of this length, aligned on the epoch (e.g. every hour on the hour). */
  every?: { ms: number; payload: P };
  /**
   * Does the job. It may return its last write instead of making it: the runner commits that write and
   * the job's completion in one transaction (one commit per job, and never one without the other).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is the usual one
  run(payload: P, context: JobContext): Promise<void | JobFinish>;
};

/** A job's last write, committed by the runner together with the job's completion. */
export type JobFinish = (trx: Transaction<DB>) => Promise<void>;

/** A definition with its payload type kept (a helper for inference only). */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

// The runner holds definitions of any payload; each is only ever called with its own parsed payload.
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of definitions.
export type AnyJobDefinition = JobDefinition<any>;

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_LEASE_MS = 60_000;

/**
 * The wait before try n+1 after n failed tries: 5 s, 10 s, 20 s … up to an hour, with up to half of it
 * taken off at random so that jobs failed together (a provider down) do not come back together.
 */
export function backoffMs(failedTries: number, random: () => number = Math.random): number {
  const full = Math.min(5_000 * 2 ** Math.max(0, failedTries - 1), 3_600_000);
  return Math.round(full * (1 - random() / 2));
}
