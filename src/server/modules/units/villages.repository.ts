import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type VillageRow = {
  id: number;
  commune_code: string;
  old_commune_code: string | null;
  kind: string;
  names: { name: string; validFrom: string; validTo: string | null }[];
};

type Db = Kysely<DB> | Transaction<DB>;

export function createVillagesRepository(db: Kysely<DB>) {
  async function loadNames(trx: Db, ids: number[]) {
    if (!ids.length) return new Map<number, VillageRow['names']>();
    const rows = await trx
      .selectFrom('village_name')
      .select(['village_id', 'name', 'valid_from', 'valid_to'])
      .where('village_id', 'in', ids)
      .orderBy('valid_from')
      .execute();
    const byVillage = new Map<number, VillageRow['names']>();
    for (const r of rows) {
      const list = byVillage.get(r.village_id) ?? [];
      list.push({ name: r.name, validFrom: r.valid_from, validTo: r.valid_to });
      byVillage.set(r.village_id, list);
    }
    return byVillage;
  }

  return {
    async findVillage(id: number, trx: Db = db): Promise<VillageRow | null> {
      const v = await trx.selectFrom('village').selectAll().where('id', '=', id).executeTakeFirst();
      if (!v) return null;
      const names = (await loadNames(trx, [id])).get(id) ?? [];
      return {
        id: v.id,
        commune_code: v.commune_code,
        old_commune_code: v.old_commune_code,
        kind: v.kind,
        names,
      };
    },

    /** Villages of a commune; with a search text, those any of whose names (past or present) match. */
    async listVillages(communeCode: string, filter: { folded?: string; limit: number; offset: number }) {
      let q = db.selectFrom('village as v').where('v.commune_code', '=', communeCode);
      if (filter.folded) {
        const pattern = `%${filter.folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('village_name as n')
              .select('n.id')
              .whereRef('n.village_id', '=', 'v.id')
              .where('n.name_folded', 'like', pattern),
          ),
        );
      }
      const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll('v').orderBy('v.id').limit(filter.limit).offset(filter.offset).execute();
      const names = await loadNames(
        db,
        rows.map((r) => r.id),
      );
      return {
        total: Number(n),
        items: rows.map((v) => ({
          id: v.id,
          commune_code: v.commune_code,
          old_commune_code: v.old_commune_code,
          kind: v.kind,
          names: names.get(v.id) ?? [],
        })),
      };
    },

    async insertVillage(
      trx: Transaction<DB>,
      input: {
        communeCode: string;
        oldCommuneCode: string | null;
        kind: string;
        name: string;
        validFrom: string;
      },
    ): Promise<number> {
      const { id } = await trx
        .insertInto('village')
        .values({ commune_code: input.communeCode, old_commune_code: input.oldCommuneCode, kind: input.kind })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('village_name')
        .values({
          village_id: id,
          name: input.name,
          name_folded: sql<string>`vn_fold(${input.name})`,
          valid_from: input.validFrom,
        })
        .execute();
      return id;
    },

    /** Closes the open name the day before `effectiveFrom` and opens the new one. */
    async renameVillage(trx: Transaction<DB>, villageId: number, name: string, effectiveFrom: string) {
      await trx
        .updateTable('village_name')
        .set({ valid_to: sql<string>`(${effectiveFrom}::date - 1)` })
        .where('village_id', '=', villageId)
        .where('valid_to', 'is', null)
        .execute();
      await trx
        .insertInto('village_name')
        .values({
          village_id: villageId,
          name,
          name_folded: sql<string>`vn_fold(${name})`,
          valid_from: effectiveFrom,
        })
        .execute();
    },

    /** Locks the village row so two renames at once are applied one after the other. */
    async lockVillage(trx: Transaction<DB>, villageId: number) {
      return trx
        .selectFrom('village')
        .select('id')
        .where('id', '=', villageId)
        .forUpdate()
        .executeTakeFirst();
    },
  };
}

export type VillagesRepository = ReturnType<typeof createVillagesRepository>;
