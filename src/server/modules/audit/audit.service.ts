import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type AuditEntry = {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  unitCode?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
};

/** Writes an audit row; call it with the transaction of the change it records, so both land or neither. */
export async function recordAudit(trx: Kysely<DB> | Transaction<DB>, entry: AuditEntry) {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      unit_code: entry.unitCode ?? null,
      details: JSON.stringify(entry.details ?? {}),
      request_id: entry.requestId ?? null,
    })
    .execute();
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
