import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, StoreConsentStatus, StoreConsentTable } from '../../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type StoreConsentRow = Selectable<StoreConsentTable>;

export type NewConsentRequest = {
  dossierId: number;
  dossierCode: string;
  citizenId: string;
  channel: 'sms' | 'portal';
  requestedBy: number;
  unitCode: string;
  unitName: string;
  requestedAt: Date;
  answerBy: Date;
  codeHash: string | null;
  phoneLast3: string | null;
};

/** The only door to store_consent. */
export function createStoreConsentRepository() {
  return {
    /** Inserts a request; the dossier's earlier pending requests of the same channel are replaced. */
    async insertRequest(trx: Transaction<DB>, r: NewConsentRequest): Promise<StoreConsentRow> {
      await trx
        .updateTable('store_consent')
        .set({ status: 'replaced' })
        .where('dossier_id', '=', r.dossierId)
        .where('channel', '=', r.channel)
        .where('status', '=', 'pending')
        .execute();
      return trx
        .insertInto('store_consent')
        .values({
          dossier_id: r.dossierId,
          dossier_code: r.dossierCode,
          citizen_id: r.citizenId,
          channel: r.channel,
          status: 'pending',
          requested_by: r.requestedBy,
          unit_code: r.unitCode,
          unit_name: r.unitName,
          requested_at: r.requestedAt,
          answer_by: r.answerBy,
          code_hash: r.codeHash,
          phone_last3: r.phoneLast3,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Requests made for the dossier since `since` (the per-dossier rate limit). */
    async countRequestsSince(db: Db, dossierId: number, since: Date): Promise<number> {
      const { n } = await db
        .selectFrom('store_consent')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('dossier_id', '=', dossierId)
        .where('requested_at', '>', since)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    /** The dossier's latest pending request of a channel, locked for the answer. */
    findPendingForUpdate(trx: Transaction<DB>, dossierId: number, channel: 'sms' | 'portal') {
      return trx
        .selectFrom('store_consent')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .where('channel', '=', channel)
        .where('status', '=', 'pending')
        .orderBy('id', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
    },

    findByIdForUpdate(trx: Transaction<DB>, id: number) {
      return trx.selectFrom('store_consent').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    /** The dossier's newest grant still in force at `at`, if any. */
    findLiveGrant(db: Db, dossierId: number, at: Date) {
      return db
        .selectFrom('store_consent')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .where('status', '=', 'granted')
        .where('expires_at', '>', at)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** The dossier's newest request still waiting for an answer at `at`. */
    findLivePending(db: Db, dossierId: number, at: Date) {
      return db
        .selectFrom('store_consent')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .where('status', '=', 'pending')
        .where('answer_by', '>', at)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** Requests from the counter waiting for this citizen's approval in the portal. */
    listPendingForCitizen(db: Db, citizenId: string, at: Date) {
      return db
        .selectFrom('store_consent')
        .select(['id', 'dossier_id', 'dossier_code', 'unit_name', 'requested_at', 'answer_by'])
        .where('citizen_id', '=', citizenId)
        .where('channel', '=', 'portal')
        .where('status', '=', 'pending')
        .where('answer_by', '>', at)
        .orderBy('id', 'desc')
        .execute();
    },

    async setStatus(
      trx: Transaction<DB>,
      id: number,
      status: StoreConsentStatus,
      extra: { tries?: number; grantedAt?: Date; expiresAt?: Date; grantedByCitizen?: number } = {},
    ) {
      await trx
        .updateTable('store_consent')
        .set({
          status,
          ...(extra.tries !== undefined ? { tries: extra.tries } : {}),
          ...(extra.grantedAt ? { granted_at: extra.grantedAt } : {}),
          ...(extra.expiresAt ? { expires_at: extra.expiresAt } : {}),
          ...(extra.grantedByCitizen ? { granted_by_citizen: extra.grantedByCitizen } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async setTries(trx: Transaction<DB>, id: number, tries: number) {
      await trx.updateTable('store_consent').set({ tries }).where('id', '=', id).execute();
    },
  };
}
