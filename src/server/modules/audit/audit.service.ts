import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type AuditEntry = {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  unitCode?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** When it happened; the database clock is not used so that the hash can be recomputed exactly. */
  at?: Date;
};

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type HashedFields = {
  chain: string;
  seq: number;
  at: Date;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string;
  unitCode: string | null;
  details: unknown;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
};

export function hashAuditEntry(prevHash: string, e: HashedFields): string {
  const body = canonicalJson({ ...e, at: e.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Writes an audit entry at the end of its unit's hash chain. Inside the transaction of the change it
 * records, both land or neither; given the plain database (a read being audited) it takes a transaction
 * of its own. Either way the chain head row stays locked from taking its number to writing its hash, so
 * concurrent entries never chain onto the same predecessor.
 */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry) {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendToChain(trx, entry));
  return appendToChain(db, entry);
}

/**
 * The canonical JSON of `value` cut where `key`'s value goes: prefix + JSON of the value + suffix is
 * canonicalJson({ ...value, [key]: that value }), so the database can put in a value only it knows.
 */
export function canonicalJsonAround(value: Record<string, unknown>, key: string): [string, string] {
  const entries = Object.entries(value)
    .filter(([k, v]) => v !== undefined && k !== key)
    .map(([k, v]) => [k, `${JSON.stringify(k)}:${canonicalJson(v)}`] as const);
  const before = entries.filter(([k]) => k < key).sort(([a], [b]) => (a < b ? -1 : 1));
  const after = entries.filter(([k]) => k > key).sort(([a], [b]) => (a < b ? -1 : 1));
  const prefix = `{${before.map(([, e]) => `${e},`).join('')}${JSON.stringify(key)}:`;
  const suffix = `${after.map(([, e]) => `,${e}`).join('')}}`;
  return [prefix, suffix];
}

/**
 * One statement: the head takes the next number and the new hash, sha256(previous hash, newline, the
 * entry's canonical JSON with that number), computed by the database from the head it has locked, and
 * the entry is written with both. The same hash as hashAuditEntry (audit:verify recomputes it in Node).
 */
async function appendToChain(trx: Kysely<DB>, entry: AuditEntry) {
  const chain = entry.unitCode ?? 'VN';
  const fields: Omit<HashedFields, 'seq'> = {
    chain,
    at: entry.at ?? new Date(),
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    unitCode: entry.unitCode ?? null,
    details: JSON.parse(JSON.stringify(entry.details ?? {})),
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
  };
  const [prefix, suffix] = canonicalJsonAround({ ...fields, at: fields.at.toISOString() }, 'seq');
  const append = () =>
    trx
      .with('head', (db) =>
        db
          .updateTable('audit_chain_head')
          .set((eb) => ({
            seq: eb('seq', '+', 1),
            prev_hash: eb.ref('hash'),
            hash: sql<string>`encode(sha256(convert_to(${eb.ref('hash')} || ${`\n${prefix}`} || (${eb.ref('seq')} + 1)::text || ${suffix}, 'UTF8')), 'hex')`,
          }))
          .where('chain', '=', chain)
          .returning(['seq', 'prev_hash', 'hash']),
      )
      .insertInto('audit_log')
      .columns([
        'at',
        'actor_id',
        'action',
        'entity',
        'entity_id',
        'unit_code',
        'details',
        'request_id',
        'chain',
        'seq',
        'prev_hash',
        'hash',
        'ip',
        'user_agent',
      ])
      .expression((db) =>
        db.selectFrom('head').select((eb) => [
          // INSERT … SELECT reads untyped parameters as text: the typed columns say their type.
          sql<Date>`${fields.at}::timestamptz`.as('at'),
          sql<number | null>`${fields.actorId}::integer`.as('actor_id'),
          eb.val(fields.action).as('action'),
          eb.val(fields.entity).as('entity'),
          eb.val(fields.entityId).as('entity_id'),
          eb.val(fields.unitCode).as('unit_code'),
          sql<string>`${JSON.stringify(fields.details)}::jsonb`.as('details'),
          eb.val(fields.requestId).as('request_id'),
          eb.val(chain).as('chain'),
          'head.seq',
          sql<string>`head.prev_hash`.as('prev_hash'),
          'head.hash',
          eb.val(fields.ip).as('ip'),
          eb.val(fields.userAgent).as('user_agent'),
        ]),
      )
      .returning('seq')
      .executeTakeFirst();
  if (await append()) return;
  // A unit's first entry: its chain starts at the genesis hash.
  await trx
    .insertInto('audit_chain_head')
    .values({ chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  if (!(await append())) throw new Error(`The audit chain ${chain} has no head`);
}

/** Has this person done this action from this address since then (e.g. signed in from their own PC)? */
export async function hasActedFrom(
  db: Kysely<DB>,
  entry: { actorId: number; action: string; ip: string; since: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('actor_id', '=', entry.actorId)
    .where('action', '=', entry.action)
    .where('ip', '=', entry.ip)
    .where('at', '>', entry.since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listAudit(db: Kysely<DB>, entity: string, entityId: string | number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

export type AuditProblem = { chain: string; seq: number; problem: 'changed' | 'missing' | 'head_mismatch' };
export type AuditVerification = {
  ok: boolean;
  chains: number;
  entries: number;
  /** Entries written before the chain existed (migration 0003); they carry no hash. */
  unchained: number;
  problems: AuditProblem[];
};

/** Recomputes every chain: an edited entry, a deleted one, or a cut-off tail is reported. */
export async function verifyAuditChains(
  db: Kysely<DB>,
  onProgress?: (done: number, total: number) => void,
): Promise<AuditVerification> {
  const heads = await db.selectFrom('audit_chain_head').selectAll().orderBy('chain').execute();
  const unchained = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chain', 'is', null)
    .executeTakeFirstOrThrow();
  const problems: AuditProblem[] = [];
  let entries = 0;
  const PAGE = 5000;
  for (const [i, head] of heads.entries()) {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    // Keyset paging: each page starts after the last seq seen, so a long chain stays linear.
    for (let after = 0; ; ) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('chain', '=', head.chain)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) problems.push({ chain: head.chain, seq: expectedSeq, problem: 'missing' });
        const recomputed = hashAuditEntry(prev, {
          chain: head.chain,
          seq,
          at: row.at,
          actorId: row.actor_id,
          action: row.action,
          entity: row.entity,
          entityId: row.entity_id,
          unitCode: row.unit_code,
          details: row.details,
          requestId: row.request_id,
          ip: row.ip,
          userAgent: row.user_agent,
        });
        if (row.prev_hash !== prev || row.hash !== recomputed) {
          problems.push({ chain: head.chain, seq, problem: 'changed' });
        }
        prev = row.hash ?? '';
        expectedSeq = seq + 1;
        entries++;
      }
      if (rows.length < PAGE) break;
      after = Number(rows.at(-1)?.seq);
    }
    if (Number(head.seq) !== expectedSeq - 1 || head.hash !== prev) {
      problems.push({ chain: head.chain, seq: Number(head.seq), problem: 'head_mismatch' });
    }
    onProgress?.(i + 1, heads.length);
  }
  return {
    ok: problems.length === 0,
    chains: heads.length,
    entries,
    unchained: Number(unchained.n),
    problems,
  };
}
