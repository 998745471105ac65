import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../db/schema.ts';
import { canonicalJson } from '../modules/audit/audit.service.ts';

export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,200}$/, { error: 'Idempotency-Key: 8–200 ký tự chữ, số, dấu . _ : -' })
  .optional();

export type Answer<T> = { status: number; body: T };

/** The key was stored by another request while this one worked: its transaction rolls back. */
class KeyTaken extends Error {}

/**
 * Runs a write once per (scope, key): the answer is stored under the key as the last statement of the
 * write's own transaction, so both land or neither, and a failed write leaves no key. A retry that races
 * the first request waits on that row, finds the key taken, rolls back all it did, and gets the stored
 * answer; one that comes after gets it the same way (its work is undone, never a second dossier).
 * `prepare` does the reads the write needs (procedure, units, calendar) before the transaction. When the
 * retry is refused (an AppError: a retired procedure, a deactivated officer, a dossier the first request
 * moved on) and the key holds an answer, the retry gets that first answer, even if the world changed since.
 */
export async function runIdempotent<T, P>(
  db: Kysely<DB>,
  request: { scope: string; key: string | undefined; route: string; fingerprint: unknown },
  prepare: () => Promise<P>,
  work: (trx: Transaction<DB>, prepared: P) => Promise<Answer<T>>,
): Promise<Answer<T> & { replayed: boolean }> {
  const { scope, key, route } = request;
  const requestHash = createHash('sha256').update(canonicalJson(request.fingerprint)).digest('hex');
  const replayOr = async (err: unknown) => {
    const stored =
      key && (err instanceof AppError || err instanceof KeyTaken)
        ? await findAnswer<T>(db, scope, key)
        : null;
    if (!stored) throw err instanceof KeyTaken ? new AppError('IDEMPOTENCY_KEY_REUSED') : err;
    return checkedReplay(stored, route, requestHash);
  };
  let prepared: P;
  try {
    prepared = await prepare();
  } catch (err) {
    return replayOr(err);
  }
  if (!key) return { ...(await db.transaction().execute((trx) => work(trx, prepared))), replayed: false };
  try {
    const answer = await db.transaction().execute(async (trx) => {
      const done = await work(trx, prepared);
      const stored = await trx
        .insertInto('idempotency_key')
        .values({
          scope,
          key,
          route,
          request_hash: requestHash,
          status_code: done.status,
          response: JSON.stringify(done.body),
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!stored) throw new KeyTaken();
      return done;
    });
    return { ...answer, replayed: false };
  } catch (err) {
    return replayOr(err);
  }
}

type Stored = { route: string; request_hash: string; status_code: number | null; response: unknown };

function findAnswer<T>(db: Kysely<DB>, scope: string, key: string) {
  return db
    .selectFrom('idempotency_key')
    .select(['route', 'request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst() as Promise<(Stored & { response: T }) | undefined>;
}

/** The first answer, if the retry is the same request (same route, same body) and it was answered. */
function checkedReplay<T>(
  stored: (Stored & { response: T }) | undefined,
  route: string,
  requestHash: string,
) {
  if (
    !stored ||
    stored.route !== route ||
    stored.request_hash !== requestHash ||
    stored.status_code === null
  ) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED');
  }
  return { status: stored.status_code, body: stored.response, replayed: true };
}

/** Forgets the answers kept for retries of writes made before `before`; how many were removed. */
export async function purgeIdempotencyKeys(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db.deleteFrom('idempotency_key').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
