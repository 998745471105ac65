import { createHash } from 'node:crypto';
import { type Kysely, type QueryCreator, type RawBuilder, sql, type Transaction } from 'kysely';
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
 * The canonical JSON of `value` cut where the values of `keys` go (top-level keys): the parts joined with
 * those values' JSON between them, in the keys' sorted order, are canonicalJson({ ...value, ...those }),
 * so the database can put in values only it knows (the entry's number, the new case's id).
 */
export function canonicalJsonParts(value: Record<string, unknown>, keys: readonly string[]): string[] {
  const holes = [...keys].sort();
  const entries = Object.entries(value)
    .filter(([k, v]) => v !== undefined && !holes.includes(k))
    .map(([k, v]) => [k, `${JSON.stringify(k)}:${canonicalJson(v)}`] as const);
  const all = [
    ...entries.map(([k, e]) => ({ k, e, hole: false })),
    ...holes.map((k) => ({ k, e: '', hole: true })),
  ];
  all.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const parts = [''];
  all.forEach((item, i) => {
    const comma = i > 0 ? ',' : '';
    if (item.hole) {
      parts[parts.length - 1] += `${comma}${JSON.stringify(item.k)}:`;
      parts.push('');
    } else {
      parts[parts.length - 1] += `${comma}${item.e}`;
    }
  });
  parts[0] = `{${parts[0]}`;
  parts[parts.length - 1] += '}';
  return parts;
}

/** The columns of an audit entry, in the order the CTE below selects them. */
const AUDIT_COLUMNS = [
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
] as const;

/**
 * An audit entry as two CTEs another module's write can add to its own statement (one round trip for
 * the change and its audit): `audit_head` takes the chain's next number and computes the new hash in SQL
 * (sha256 of the previous hash, a newline and the entry's canonical JSON with that number), keeping the
 * previous one in prev_hash; `audit_entry` writes the entry from them. `entityId`, when given as SQL, is
 * the id the same statement creates (e.g. `(select id from d)`). `audit_entry` has no row when the
 * chain has no head yet: the caller then records the entry with recordAudit.
 */
export function withAuditEntry<D extends DB>(
  qc: QueryCreator<D>,
  entry: Omit<AuditEntry, 'entityId'> & { entityId: string | number | RawBuilder<unknown> },
  /** A JSON string in the entry the statement replaces by what it made (a code it allocated). */
  fill?: { placeholder: string; json: RawBuilder<string> },
): QueryCreator<D & AuditCtes> {
  const filled = (text: RawBuilder<unknown>) =>
    fill ? sql`replace(${text}, ${JSON.stringify(fill.placeholder)}, ${fill.json})` : text;
  const chain = entry.unitCode ?? 'VN';
  const entityIdSql = isRaw(entry.entityId) ? entry.entityId : null;
  const at = entry.at ?? new Date();
  const details = JSON.parse(JSON.stringify(entry.details ?? {}));
  const fields = {
    chain,
    at: at.toISOString(),
    actorId: entry.actorId ?? null,
    action: entry.action,
    entity: entry.entity,
    ...(entityIdSql ? {} : { entityId: String(entry.entityId) }),
    unitCode: entry.unitCode ?? null,
    details,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
  };
  const holes = entityIdSql ? ['entityId', 'seq'] : ['seq'];
  const parts = canonicalJsonParts(fields, holes);
  const entityText = entityIdSql
    ? sql<string>`(${entityIdSql})::text`
    : sql<string>`${String(entry.entityId)}`;
  return (qc as unknown as QueryCreator<DB>)
    .with('audit_head', (db) =>
      db
        .updateTable('audit_chain_head')
        .set((eb) => {
          const body = entityIdSql
            ? sql`${parts[0]} || to_json(${entityText})::text || ${parts[1]} || (${eb.ref('seq')} + 1)::text || ${parts[2]}`
            : sql`${parts[0]} || (${eb.ref('seq')} + 1)::text || ${parts[1]}`;
          return {
            seq: eb('seq', '+', 1),
            prev_hash: eb.ref('hash'),
            hash: sql<string>`encode(sha256(convert_to(${eb.ref('hash')} || ${'\n'} || ${filled(body)}, 'UTF8')), 'hex')`,
          };
        })
        .where('chain', '=', chain)
        .returning(['seq', 'prev_hash', 'hash']),
    )
    .with('audit_entry', (db) =>
      db
        .insertInto('audit_log')
        .columns([...AUDIT_COLUMNS])
        .expression((eb) =>
          eb.selectFrom('audit_head').select((s) => [
            // INSERT … SELECT reads untyped parameters as text: the typed columns say their type.
            sql<Date>`${at}::timestamptz`.as('at'),
            sql<number | null>`${entry.actorId}::integer`.as('actor_id'),
            s.val(entry.action).as('action'),
            s.val(entry.entity).as('entity'),
            entityText.as('entity_id'),
            s.val(entry.unitCode ?? null).as('unit_code'),
            sql<string>`(${filled(sql`${JSON.stringify(details)}`)})::jsonb`.as('details'),
            s.val(entry.requestId ?? null).as('request_id'),
            s.val(chain).as('chain'),
            'audit_head.seq',
            sql<string>`audit_head.prev_hash`.as('prev_hash'),
            'audit_head.hash',
            s.val(entry.ip ?? null).as('ip'),
            s.val(entry.userAgent ?? null).as('user_agent'),
          ]),
        )
        .returning('seq'),
    ) as unknown as QueryCreator<D & AuditCtes>;
}

/** What withAuditEntry adds to a statement. */
type AuditCtes = {
  audit_head: { seq: number; prev_hash: string | null; hash: string };
  audit_entry: { seq: number };
};

function isRaw(value: unknown): value is RawBuilder<unknown> {
  return typeof value === 'object' && value !== null && 'toOperationNode' in value;
}

/** Writes the entry at the end of its chain; a unit's first entry starts its chain at the genesis hash. */
async function appendToChain(trx: Kysely<DB>, entry: AuditEntry) {
  const append = () => withAuditEntry(trx, entry).selectFrom('audit_entry').select('seq').executeTakeFirst();
  if (await append()) return;
  await startChain(trx, entry.unitCode ?? 'VN');
  if (!(await append())) throw new Error(`The audit chain ${entry.unitCode ?? 'VN'} has no head`);
}

/** A unit's chain head at the genesis hash, if it has none yet. */
async function startChain(trx: Kysely<DB>, chain: string) {
  await trx
    .insertInto('audit_chain_head')
    .values({ chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
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
