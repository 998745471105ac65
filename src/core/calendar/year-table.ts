import type { NormalizedRules } from './calendar-rules.ts';
import { HOLIDAY_NAMES, type HolidayKey, listStatutoryHolidays } from './holidays.ts';
import { dayNumberWeekday, localDateToDayNumber } from './vn-time.ts';

/** Why a day is off: a holiday key, or 'official' for an ad-hoc official day off (holiday 'other'). */
export type DayOffReason = HolidayKey | 'official';

export type DayOff = {
  date: string;
  reason: DayOffReason;
  /** 'statutory' = computed from the Labour Code; 'official' = taken from the official schedule. */
  source: 'statutory' | 'official';
  compensatory: boolean;
  name_vi: string;
  name_en: string;
  note?: string;
};

/** One solar year resolved day by day, so hot loops are a typed-array lookup. */
export type YearTable = {
  year: number;
  firstDay: number;
  /** Exclusive. */
  endDay: number;
  /** 1 = working day, indexed by day - firstDay. */
  working: Uint8Array;
  workingDayCount: number;
  daysOff: DayOff[];
  offByDay: ReadonlyMap<number, DayOff>;
  swappedWorkingDays: ReadonlySet<number>;
};

const OTHER_NAMES = { name_vi: 'Ngày nghỉ theo thông báo chính thức', name_en: 'Official day off' };

export function buildYearTable(year: number, n: NormalizedRules): YearTable {
  const statutory = listStatutoryHolidays(year, {
    weekendDays: n.rules.weekendDays,
    ...(n.rules.cultureDayFromYear === undefined ? {} : { cultureDayFromYear: n.rules.cultureDayFromYear }),
  });
  const official = n.officialByYear.get(year) ?? [];
  const replaced = new Set<string>();
  for (const e of official) if (e.kind === 'day_off' && e.holiday !== 'other') replaced.add(e.holiday);

  const off = new Map<number, DayOff>();
  for (const h of statutory) {
    if (replaced.has(h.holiday)) continue;
    const { holiday, ...rest } = h;
    off.set(localDateToDayNumber(h.date), { ...rest, reason: holiday, source: 'statutory' });
  }
  const swapped = new Set<number>();
  for (const e of official) {
    const day = localDateToDayNumber(e.date);
    if (e.kind === 'working_day') {
      swapped.add(day);
      continue;
    }
    const names = e.holiday === 'other' ? OTHER_NAMES : HOLIDAY_NAMES[e.holiday];
    off.set(day, {
      date: e.date,
      reason: e.holiday === 'other' ? 'official' : e.holiday,
      source: 'official',
      compensatory: false,
      ...names,
      ...(e.note === undefined ? {} : { note: e.note }),
    });
  }
  // An explicit official working day wins over any computed or listed day off on the same date.
  for (const day of swapped) off.delete(day);

  const firstDay = localDateToDayNumber(`${year}-01-01`);
  const endDay = firstDay + (isLeapYear(year) ? 366 : 365);
  const working = new Uint8Array(endDay - firstDay);
  let workingDayCount = 0;
  for (let day = firstDay; day < endDay; day++) {
    const isWorking = swapped.has(day) || (!off.has(day) && !n.weekend.has(dayNumberWeekday(day)));
    if (isWorking) {
      working[day - firstDay] = 1;
      workingDayCount++;
    }
  }
  const daysOff = [...off.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  return {
    year,
    firstDay,
    endDay,
    working,
    workingDayCount,
    daysOff,
    offByDay: off,
    swappedWorkingDays: swapped,
  };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
