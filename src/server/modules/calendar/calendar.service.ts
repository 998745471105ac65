import type { Kysely } from 'kysely';
import type {
  DaysOff,
  DueAnswer,
  ScheduleItem,
  ScheduleList,
  UnitOfficeHours,
} from '../../../core/calendar/calendar.schemas.ts';
import {
  type CalendarRules,
  createWorkCalendar,
  DEFAULT_CALENDAR_RULES,
  type DueDuration,
  formatVnIso,
  type OfficePeriod,
  type OfficialScheduleEntry,
  type WorkCalendar,
} from '../../../core/calendar/index.ts';
import { AppError } from '../../../core/errors.ts';
import {
  canAdministerCommune,
  canEditHolidaySchedule,
  type StaffPrincipal,
} from '../../../core/identity/roles.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import { createCalendarRepository } from './calendar.repository.ts';

type Actor = { staff: StaffPrincipal; requestId: string };

// Calendars are rebuilt from the database at most this often; writes in this process drop them at once.
const CACHE_TTL_MS = 60_000;

export function createCalendarService(db: Kysely<DB>, units: UnitsService) {
  const repo = createCalendarRepository(db);
  const cache = new Map<string, { calendar: WorkCalendar; at: number }>();

  async function scopeOf(unitCode: string | undefined) {
    if (!unitCode) return { unitCode: null, provinceCode: null };
    const unit = await units.getUnitRecord(unitCode);
    if (!unit.current) throw new AppError('UNIT_NOT_FOUND', { code: unitCode });
    return { unitCode: unit.code, provinceCode: unit.provinceCode, unit };
  }

  /** The calendar of a unit: national schedule, its province's additions, its own office hours. */
  async function getCalendar(unitCode?: string): Promise<WorkCalendar> {
    const key = unitCode ?? 'VN';
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.calendar;
    const scope = await scopeOf(unitCode);
    const [schedule, hours] = await Promise.all([
      repo.listSchedule({ provinceCode: scope.provinceCode }),
      scope.unitCode ? repo.findOfficeHours(scope.unitCode) : undefined,
    ]);
    const rules: Partial<CalendarRules> = {
      officialSchedule: schedule.map(({ date, kind, holiday, note }) => ({ date, kind, holiday, note })),
      ...(hours ? { officeHours: hours.office_hours, sameDayCutoff: hours.same_day_cutoff } : {}),
    };
    const calendar = createWorkCalendar(rules);
    cache.set(key, { calendar, at: Date.now() });
    return calendar;
  }

  return {
    getCalendar,

    async computeDue(start: Date, duration: DueDuration, unitCode?: string): Promise<DueAnswer> {
      const calendar = await getCalendar(unitCode);
      return {
        start: formatVnIso(start),
        clockStart: formatVnIso(calendar.nextWorkingMoment(start)),
        due: formatVnIso(calendar.computeDue(start, duration)),
        amount: duration.amount,
        unit: duration.unit,
        unitCode: unitCode ?? null,
      };
    },

    async listDaysOff(year: number, unitCode?: string): Promise<DaysOff> {
      const calendar = await getCalendar(unitCode);
      return { year, unitCode: unitCode ?? null, items: calendar.listDaysOff(year) };
    },

    async listSchedule(year: number | undefined, provinceCode: string | undefined): Promise<ScheduleList> {
      if (provinceCode) await units.getUnitRecord(provinceCode);
      return {
        items: await repo.listSchedule({ provinceCode: provinceCode ?? null, ...(year ? { year } : {}) }),
      };
    },

    async addScheduleEntry(
      actor: Actor,
      input: OfficialScheduleEntry & { provinceCode: string | null },
    ): Promise<ScheduleItem> {
      if (input.provinceCode) {
        const province = await units.getUnitRecord(input.provinceCode);
        if (province.level !== 'province' || !province.current) {
          throw new AppError('UNIT_NOT_FOUND', { code: input.provinceCode });
        }
      }
      if (!canEditHolidaySchedule(actor.staff, input.provinceCode)) throw new AppError('FORBIDDEN');
      const id = await db.transaction().execute(async (trx) => {
        if (await repo.findEntryOn(trx, input.provinceCode, input.date)) {
          throw new AppError('CONFLICT', {
            detail: `ngày ${input.date} đã có trong lịch; hãy xóa dòng cũ trước`,
          });
        }
        const entryId = await repo.insertEntry(trx, { ...input, createdBy: actor.staff.id });
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'holiday_schedule.add',
          entity: 'holiday_schedule_entry',
          entityId: entryId,
          unitCode: input.provinceCode ?? 'VN',
          details: { ...input },
          requestId: actor.requestId,
        });
        return entryId;
      });
      cache.clear();
      const { provinceCode, date, kind, holiday, note } = input;
      return { id, provinceCode, date, kind, holiday, note: note ?? '' };
    },

    async removeScheduleEntry(actor: Actor, id: number) {
      const entry = await repo.findEntry(id);
      if (!entry) throw new AppError('SCHEDULE_ENTRY_NOT_FOUND', { date: `#${id}`, scope: '—' });
      if (!canEditHolidaySchedule(actor.staff, entry.province_code)) throw new AppError('FORBIDDEN');
      await db.transaction().execute(async (trx) => {
        await repo.deleteEntry(trx, id);
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'holiday_schedule.remove',
          entity: 'holiday_schedule_entry',
          entityId: id,
          unitCode: entry.province_code ?? 'VN',
          details: { date: entry.date, kind: entry.kind, holiday: entry.holiday, note: entry.note },
          requestId: actor.requestId,
        });
      });
      cache.clear();
    },

    async getOfficeHours(unitCode: string): Promise<UnitOfficeHours> {
      const scope = await scopeOf(unitCode);
      const row = await repo.findOfficeHours(unitCode);
      return {
        unitCode: scope.unitCode ?? unitCode,
        officeHours: row?.office_hours ?? DEFAULT_CALENDAR_RULES.officeHours,
        sameDayCutoff: row?.same_day_cutoff ?? DEFAULT_CALENDAR_RULES.sameDayCutoff,
        isDefault: !row,
      };
    },

    async setOfficeHours(
      actor: Actor,
      unitCode: string,
      officeHours: OfficePeriod[],
      sameDayCutoff: string,
    ): Promise<UnitOfficeHours> {
      const scope = await scopeOf(unitCode);
      if (scope.unit?.level !== 'commune') throw new AppError('UNIT_NOT_FOUND', { code: unitCode });
      if (!canAdministerCommune(actor.staff, scope.unit)) throw new AppError('FORBIDDEN');
      try {
        createWorkCalendar({ officeHours, sameDayCutoff });
      } catch (err) {
        throw new AppError('VALIDATION_FAILED', {}, { officeHours: (err as Error).message });
      }
      await db.transaction().execute(async (trx) => {
        await repo.upsertOfficeHours(trx, unitCode, officeHours, sameDayCutoff, actor.staff.id);
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'office_hours.set',
          entity: 'unit_office_hours',
          entityId: unitCode,
          unitCode,
          details: { officeHours, sameDayCutoff },
          requestId: actor.requestId,
        });
      });
      cache.delete(unitCode);
      return this.getOfficeHours(unitCode);
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
