import { HOLIDAY_KEYS, type HolidayKey } from './holidays.ts';
import { isValidLocalDate, MS_PER_MINUTE } from './vn-time.ts';

/** One office period in Vietnam local time, 'HH:MM'–'HH:MM' (start inclusive, end exclusive). */
export type OfficePeriod = { start: string; end: string };

/**
 * One line of the government's yearly schedule. `day_off` entries for a holiday key replace the computed
 * days of that holiday in that year; `working_day` turns a rest day into a working day (swapped Saturday);
 * `day_off` with holiday 'other' simply adds a day off.
 */
export type OfficialScheduleEntry = {
  date: string;
  kind: 'day_off' | 'working_day';
  holiday: HolidayKey | 'other';
  note?: string;
};

export type CalendarRules = {
  officeHours: OfficePeriod[];
  /** 0 = Sunday … 6 = Saturday. */
  weekendDays: number[];
  /** 'HH:MM': same-day procedures received at or after it are due the next working day. */
  sameDayCutoff: string;
  officialSchedule: OfficialScheduleEntry[];
  cultureDayFromYear?: number;
};

/** 07:00–11:30 and 13:30–17:00: 8 working hours a day. */
export const DEFAULT_OFFICE_HOURS: readonly Readonly<OfficePeriod>[] = Object.freeze([
  Object.freeze({ start: '07:00', end: '11:30' }),
  Object.freeze({ start: '13:30', end: '17:00' }),
]);

export const DEFAULT_CALENDAR_RULES: Readonly<CalendarRules> = Object.freeze({
  officeHours: DEFAULT_OFFICE_HOURS.map((p) => ({ ...p })),
  weekendDays: [0, 6],
  sameDayCutoff: '15:00',
  officialSchedule: [],
});

/** Office periods as milliseconds after local midnight, ordered and disjoint. */
export type PeriodMs = { start: number; end: number };

export type NormalizedRules = {
  rules: CalendarRules;
  periods: PeriodMs[];
  dailyMs: number;
  cutoffMs: number;
  weekend: ReadonlySet<number>;
  /** Official entries grouped by the solar year of their date. */
  officialByYear: ReadonlyMap<number, OfficialScheduleEntry[]>;
};

const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an 'HH:MM' clock time (00:00–23:59); throws a descriptive Error. */
export function parseClock(value: string, what: string): number {
  const m = CLOCK_RE.exec(value);
  if (!m)
    throw new Error(`Calendar rules: ${what} must be a time 'HH:MM' between 00:00 and 23:59, got '${value}'`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Fills defaults (rule objects are copied, so the caller's stay untouched), validates everything and precomputes what the calendar's hot paths need. */
export function normalizeRules(input: Partial<CalendarRules> = {}): NormalizedRules {
  const rules: CalendarRules = {
    officeHours: (input.officeHours ?? DEFAULT_CALENDAR_RULES.officeHours).map((p) => ({ ...p })),
    weekendDays: [...(input.weekendDays ?? DEFAULT_CALENDAR_RULES.weekendDays)],
    sameDayCutoff: input.sameDayCutoff ?? DEFAULT_CALENDAR_RULES.sameDayCutoff,
    officialSchedule: (input.officialSchedule ?? []).map((e) => ({ ...e })),
    ...(input.cultureDayFromYear === undefined ? {} : { cultureDayFromYear: input.cultureDayFromYear }),
  };
  const periods = normalizePeriods(rules.officeHours);
  validateWeekend(rules.weekendDays);
  const cutoffMs = parseClock(rules.sameDayCutoff, 'sameDayCutoff') * MS_PER_MINUTE;
  if (rules.cultureDayFromYear !== undefined && !Number.isInteger(rules.cultureDayFromYear)) {
    throw new Error(`Calendar rules: cultureDayFromYear must be an integer, got ${rules.cultureDayFromYear}`);
  }
  return {
    rules,
    periods,
    dailyMs: periods.reduce((sum, p) => sum + p.end - p.start, 0),
    cutoffMs,
    weekend: new Set(rules.weekendDays),
    officialByYear: groupOfficialSchedule(rules.officialSchedule),
  };
}

function normalizePeriods(officeHours: OfficePeriod[]): PeriodMs[] {
  if (officeHours.length === 0) throw new Error('Calendar rules: officeHours needs at least one period');
  const periods = officeHours.map((p, i) => {
    const start = parseClock(p.start, `officeHours[${i}].start`) * MS_PER_MINUTE;
    const end = parseClock(p.end, `officeHours[${i}].end`) * MS_PER_MINUTE;
    if (start >= end)
      throw new Error(`Calendar rules: officeHours[${i}] must start before it ends (${p.start}–${p.end})`);
    return { start, end };
  });
  periods.forEach((p, i) => {
    const prev = periods[i - 1];
    // Touching periods (…–11:30, 11:30–…) are allowed: the shared instant belongs to the later one.
    if (prev && p.start < prev.end) {
      throw new Error(
        `Calendar rules: officeHours[${i}] must start after officeHours[${i - 1}] ends (ordered, non-overlapping)`,
      );
    }
  });
  return periods;
}

function validateWeekend(days: number[]): void {
  for (const d of days) {
    if (!Number.isInteger(d) || d < 0 || d > 6) {
      throw new Error(`Calendar rules: weekendDays must hold integers 0 (Sunday) to 6 (Saturday), got ${d}`);
    }
  }
  if (new Set(days).size === 7) throw new Error('Calendar rules: weekendDays cannot cover the whole week');
}

function groupOfficialSchedule(entries: OfficialScheduleEntry[]): Map<number, OfficialScheduleEntry[]> {
  const kindByDate = new Map<string, OfficialScheduleEntry['kind']>();
  const byYear = new Map<number, OfficialScheduleEntry[]>();
  entries.forEach((e, i) => {
    if (!isValidLocalDate(e.date)) {
      throw new Error(
        `Calendar rules: officialSchedule[${i}].date must be a real date YYYY-MM-DD, got '${e.date}'`,
      );
    }
    if (e.kind !== 'day_off' && e.kind !== 'working_day') {
      throw new Error(
        `Calendar rules: officialSchedule[${i}].kind must be 'day_off' or 'working_day', got '${e.kind}'`,
      );
    }
    if (e.holiday !== 'other' && !(HOLIDAY_KEYS as readonly string[]).includes(e.holiday)) {
      throw new Error(`Calendar rules: officialSchedule[${i}].holiday is unknown: '${e.holiday}'`);
    }
    const seen = kindByDate.get(e.date);
    if (seen !== undefined && seen !== e.kind) {
      throw new Error(`Calendar rules: officialSchedule has both a day off and a working day on ${e.date}`);
    }
    kindByDate.set(e.date, e.kind);
    const year = Number(e.date.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), e]);
  });
  return byYear;
}
