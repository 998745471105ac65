import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import type { DB } from '../../db/schema.ts';
import { canonicalJson } from '../audit/audit.service.ts';

export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,200}$/, { error: 'Idempotency-Key: 8–200 ký tự chữ, số, dấu . _ : -' })
  .optional();

export type Answer<T> = { status: number; body: T };

/**
 * Runs a write once per (scope, key): the key row is claimed in the write's own transaction, so a retry
 * that races the first request waits for it and then gets its stored answer; a failed write leaves no key.
 */
export async function runIdempotent<T>(
  db: Kysely<DB>,
  request: { scope: string; key: string | undefined; route: string; fingerprint: unknown },
  work: (trx: Transaction<DB>) => Promise<Answer<T>>,
): Promise<Answer<T> & { replayed: boolean }> {
  const { scope, key, route } = request;
  if (!key) return { ...(await db.transaction().execute(work)), replayed: false };
  const requestHash = createHash('sha256').update(canonicalJson(request.fingerprint)).digest('hex');
  const fresh = await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_key')
      .values({ scope, key, route, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return null;
    const answer = await work(trx);
    await trx
      .updateTable('idempotency_key')
      .set({ status_code: answer.status, response: JSON.stringify(answer.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return answer;
  });
  if (fresh) return { ...fresh, replayed: false };
  const stored = await db
    .selectFrom('idempotency_key')
    .select(['route', 'request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (stored.route !== route || stored.request_hash !== requestHash || stored.status_code === null) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED');
  }
  return { status: stored.status_code, body: stored.response as T, replayed: true };
}
