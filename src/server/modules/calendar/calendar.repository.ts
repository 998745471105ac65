import type { Kysely, Transaction } from 'kysely';
import type { OfficePeriod, OfficialScheduleEntry } from '../../../core/calendar/index.ts';
import type { DB } from '../../db/schema.ts';

export type ScheduleRow = OfficialScheduleEntry & { id: number; provinceCode: string | null; note: string };

export function createCalendarRepository(db: Kysely<DB>) {
  return {
    /** National entries plus, when given, the province's own; optionally one year only. */
    async listSchedule(filter: { provinceCode?: string | null; year?: number }) {
      let q = db
        .selectFrom('holiday_schedule_entry')
        .selectAll()
        .where((eb) =>
          filter.provinceCode
            ? eb.or([eb('province_code', 'is', null), eb('province_code', '=', filter.provinceCode)])
            : eb('province_code', 'is', null),
        );
      if (filter.year !== undefined) {
        q = q.where('date', '>=', `${filter.year}-01-01`).where('date', '<=', `${filter.year}-12-31`);
      }
      const rows = await q.orderBy('date').orderBy('id').execute();
      return rows.map(
        (r): ScheduleRow => ({
          id: r.id,
          provinceCode: r.province_code,
          date: r.date,
          kind: r.kind,
          holiday: r.holiday as OfficialScheduleEntry['holiday'],
          note: r.note,
        }),
      );
    },

    async findEntry(id: number) {
      return db.selectFrom('holiday_schedule_entry').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findEntryOn(trx: Transaction<DB>, provinceCode: string | null, date: string) {
      let q = trx.selectFrom('holiday_schedule_entry').select('id').where('date', '=', date);
      q = provinceCode ? q.where('province_code', '=', provinceCode) : q.where('province_code', 'is', null);
      return q.executeTakeFirst();
    },

    async insertEntry(
      trx: Transaction<DB>,
      entry: OfficialScheduleEntry & { provinceCode: string | null; createdBy: number },
    ) {
      const { id } = await trx
        .insertInto('holiday_schedule_entry')
        .values({
          province_code: entry.provinceCode,
          date: entry.date,
          kind: entry.kind,
          holiday: entry.holiday,
          note: entry.note ?? '',
          created_by: entry.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    },

    async deleteEntry(trx: Transaction<DB>, id: number) {
      await trx.deleteFrom('holiday_schedule_entry').where('id', '=', id).execute();
    },

    async findOfficeHours(unitCode: string) {
      return db
        .selectFrom('unit_office_hours')
        .selectAll()
        .where('unit_code', '=', unitCode)
        .executeTakeFirst();
    },

    async upsertOfficeHours(
      trx: Transaction<DB>,
      unitCode: string,
      officeHours: OfficePeriod[],
      cutoff: string,
      updatedBy: number,
    ) {
      const values = {
        office_hours: JSON.stringify(officeHours),
        same_day_cutoff: cutoff,
        updated_by: updatedBy,
        updated_at: new Date(),
      };
      await trx
        .insertInto('unit_office_hours')
        .values({ unit_code: unitCode, ...values })
        .onConflict((oc) => oc.column('unit_code').doUpdateSet(values))
        .execute();
    },
  };
}

export type CalendarRepository = ReturnType<typeof createCalendarRepository>;
