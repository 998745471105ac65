import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { UnitLink, UnitSummary } from '../../../core/units/units.schemas.ts';
import type { AdminUnitTable, DB } from '../../db/schema.ts';

type UnitRow = Omit<Selectable<AdminUnitTable>, 'source' | 'name_folded' | 'bare_name_folded'>;

export type UnitRecord = UnitSummary & { id: number };

export function toSummary({ id: _id, ...summary }: UnitRecord): UnitSummary {
  return summary;
}

function toRecord(r: UnitRow): UnitRecord {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    level: r.level,
    provinceCode: r.province_code,
    provinceName: r.province_name,
    districtCode: r.district_code,
    districtName: r.district_name,
    current: r.valid_to === null,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

const UNIT_COLUMNS = [
  'u.id',
  'u.code',
  'u.name',
  'u.type',
  'u.level',
  'u.province_code',
  'u.province_name',
  'u.district_code',
  'u.district_name',
  'u.valid_from',
  'u.valid_to',
] as const;

function selectUnits(db: Kysely<DB>) {
  return db.selectFrom('admin_unit as u').select(UNIT_COLUMNS);
}

type Era = 'current' | 'before_2025' | 'all';

function filterEra<Q extends SelectQueryBuilder<DB & { u: DB['admin_unit'] }, 'u', object>>(
  q: Q,
  era: Era,
): Q {
  if (era === 'current') return q.where('u.valid_to', 'is', null) as Q;
  if (era === 'before_2025') return q.where('u.valid_to', 'is not', null) as Q;
  return q;
}

export function createUnitsRepository(db: Kysely<DB>) {
  return {
    /** Every period of a code, newest first. */
    async listPeriodsOfCode(code: string): Promise<UnitRecord[]> {
      const rows = await selectUnits(db)
        .where('u.code', '=', code)
        .orderBy(sql`u.valid_to is null`, 'desc')
        .orderBy('u.valid_to', 'desc')
        .execute();
      return rows.map(toRecord);
    },

    async listPredecessors(unitId: number): Promise<UnitLink[]> {
      return linked(db, unitId, 'new_unit_id', 'old_unit_id');
    },

    async listSuccessors(unitId: number): Promise<UnitLink[]> {
      return linked(db, unitId, 'old_unit_id', 'new_unit_id');
    },

    async search(options: {
      folded: string | undefined;
      era: Era;
      level?: 'province' | 'district' | 'commune' | undefined;
      provinceCode?: string | undefined;
      limit: number;
      offset: number;
    }): Promise<{ items: UnitRecord[]; total: number }> {
      let q = filterEra(db.selectFrom('admin_unit as u'), options.era);
      if (options.level) q = q.where('u.level', '=', options.level);
      if (options.provinceCode) q = q.where('u.province_code', '=', options.provinceCode);
      const folded = options.folded;
      const escaped = folded?.replace(/[\\%_]/g, (c) => `\\${c}`);
      let total: number | undefined;
      if (folded && escaped !== undefined) {
        const substring = q.where('u.bare_name_folded', 'like', `%${escaped}%`);
        // Trigram similarity forgives a typo, but only when the plain text matches nothing: otherwise
        // "tan giang" would drown the two Tân Giang among every unit that shares a syllable.
        const { n } = await substring
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(n) > 0 || folded.length < 4) {
          q = substring;
          total = Number(n);
        } else {
          q = q.where(sql<boolean>`u.bare_name_folded % ${folded}`);
        }
      }
      total ??= Number(
        (await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      );
      let ordered = q.select(UNIT_COLUMNS);
      if (folded && escaped !== undefined) {
        ordered = ordered
          .orderBy(
            sql`case when u.bare_name_folded = ${folded} then 0
                     when u.bare_name_folded like ${`${escaped}%`} then 1
                     when u.bare_name_folded like ${`%${escaped}%`} then 2 else 3 end`,
          )
          .orderBy(sql`similarity(u.bare_name_folded, ${folded})`, 'desc');
      }
      const rows = await ordered
        .orderBy(sql`u.valid_to is null`, 'desc')
        .orderBy(sql`case u.level when 'province' then 0 when 'district' then 1 else 2 end`)
        .orderBy('u.province_code')
        .orderBy('u.code')
        .limit(options.limit)
        .offset(options.offset)
        .execute();
      return { items: rows.map(toRecord), total };
    },

    /** Exact matches of a folded bare name, for the address normaliser. */
    async findByBareName(
      folded: string,
      level: 'province' | 'district' | 'commune',
      filter: { provinceCodes?: string[]; districtCode?: string; era?: Era },
    ): Promise<UnitRecord[]> {
      let q = filterEra(selectUnits(db), filter.era ?? 'all')
        .where('u.level', '=', level)
        .where('u.bare_name_folded', '=', folded);
      if (filter.provinceCodes?.length) q = q.where('u.province_code', 'in', filter.provinceCodes);
      if (filter.districtCode) q = q.where('u.district_code', '=', filter.districtCode);
      const rows = await q.orderBy('u.code').limit(50).execute();
      return rows.map(toRecord);
    },

    async countUnits() {
      const rows = await db
        .selectFrom('admin_unit')
        .select([
          'level',
          'source',
          sql<boolean>`valid_to is null`.as('current'),
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .groupBy(['level', 'source', sql`valid_to is null`])
        .execute();
      const emptyDistricts = await db
        .selectFrom('admin_unit as d')
        .where('d.level', '=', 'district')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('admin_unit as c')
                .select('c.id')
                .where('c.level', '=', 'commune')
                .whereRef('c.district_code', '=', 'd.code')
                .where('c.source', '=', 'official'),
            ),
          ),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        rows: rows.map((r) => ({ ...r, n: Number(r.n) })),
        districtsWithoutCommunes: Number(emptyDistricts.n),
      };
    },
  };
}

async function linked(
  db: Kysely<DB>,
  unitId: number,
  fromColumn: 'old_unit_id' | 'new_unit_id',
  toColumn: 'old_unit_id' | 'new_unit_id',
): Promise<UnitLink[]> {
  const rows = await selectUnits(db)
    .innerJoin('unit_succession as s', `s.${toColumn}`, 'u.id')
    .where(`s.${fromColumn}`, '=', unitId)
    .select(['s.relation', 's.note_vi'])
    .orderBy('u.level')
    .orderBy('u.code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    type: r.type,
    provinceCode: r.province_code,
    provinceName: r.province_name,
    districtName: r.district_name,
    relation: r.relation,
    note: r.note_vi,
  }));
}

export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
