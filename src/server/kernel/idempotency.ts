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

/**
 * Runs a write once per (scope, key): the key row is claimed in the write's own transaction, so a retry
 * that races the first request waits for it and then gets its stored answer; a failed write leaves no key.
 * `prepare` does the reads the write needs (procedure, units, calendar) before the transaction; when it
 * refuses (an AppError) a retry of a request that already succeeded still gets its first answer, even if
 * the world changed since (a retired procedure, a deactivated officer).
 */
export async function runIdempotent<T, P>(
  db: Kysely<DB>,
  request: { scope: string; key: string | undefined; route: string; fingerprint: unknown },
  prepare: () => Promise<P>,
  work: (trx: Transaction<DB>, prepared: P) => Promise<Answer<T>>,
): Promise<Answer<T> & { replayed: boolean }> {
  const { scope, key, route } = request;
  const requestHash = createHash('sha256').update(canonicalJson(request.fingerprint)).digest('hex');
  let prepared: P;
  try {
    prepared = await prepare();
  } catch (err) {
    const stored = key && err instanceof AppError ? await findAnswer<T>(db, scope, key) : null;
    if (!stored) throw err;
    return checkedReplay(stored, route, requestHash);
  }
  if (!key) return { ...(await db.transaction().execute((trx) => work(trx, prepared))), replayed: false };
  const fresh = await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_key')
      .values({ scope, key, route, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return null;
    const answer = await work(trx, prepared);
    await trx
      .updateTable('idempotency_key')
      .set({ status_code: answer.status, response: JSON.stringify(answer.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return answer;
  });
  if (fresh) return { ...fresh, replayed: false };
  return checkedReplay(await findAnswer<T>(db, scope, key), route, requestHash);
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
