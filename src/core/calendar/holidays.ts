import { hungKingsDayNumber, tetDayNumber } from './lunar.ts';
import { dayNumberToLocalDate, dayNumberWeekday, localDateToDayNumber } from './vn-time.ts';

export const HOLIDAY_KEYS = [
  'new_year',
  'tet',
  'hung_kings',
  'reunification_labour',
  'national_day',
  'culture_day',
] as const;
export type HolidayKey = (typeof HOLIDAY_KEYS)[number];

export type StatutoryHoliday = {
  date: string;
  holiday: HolidayKey;
  name_vi: string;
  name_en: string;
  compensatory: boolean;
};

export type HolidayOptions = {
  /** First year in which 24 November (Vietnamese Culture Day) is a day off; default 2026 (to confirm). */
  cultureDayFromYear?: number;
  /** Weekly rest days (0 = Sunday … 6 = Saturday) that trigger a compensatory day; default Sat + Sun. */
  weekendDays?: readonly number[];
};

export const DEFAULT_CULTURE_DAY_FROM_YEAR = 2026;
export const MIN_HOLIDAY_YEAR = 1900;
export const MAX_HOLIDAY_YEAR = 2199;

export const HOLIDAY_NAMES: Record<HolidayKey, { name_vi: string; name_en: string }> = {
  new_year: { name_vi: 'Tết Dương lịch', name_en: "New Year's Day" },
  tet: { name_vi: 'Tết Âm lịch', name_en: 'Lunar New Year (Tết)' },
  hung_kings: { name_vi: 'Giỗ Tổ Hùng Vương', name_en: 'Hùng Kings Commemoration Day' },
  reunification_labour: {
    name_vi: 'Ngày Chiến thắng và Quốc tế Lao động',
    name_en: 'Reunification Day and International Labour Day',
  },
  national_day: { name_vi: 'Quốc khánh', name_en: 'National Day' },
  culture_day: { name_vi: 'Ngày Văn hóa Việt Nam', name_en: 'Vietnamese Culture Day' },
};

type Day = { day: number; holiday: HolidayKey; name_vi: string; name_en: string };

/**
 * Statutory days off of a solar year under Labour Code 2019 art. 112, plus compensatory days for those
 * falling on a weekly rest day or on another holiday. This is the law's default; the government's yearly official schedule
 * (bridges, swapped Saturdays) overrides it in WorkCalendar.
 */
export function listStatutoryHolidays(year: number, options: HolidayOptions = {}): StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < MIN_HOLIDAY_YEAR || year > MAX_HOLIDAY_YEAR) {
    throw new RangeError(
      `Holiday year must be an integer in ${MIN_HOLIDAY_YEAR}–${MAX_HOLIDAY_YEAR}: ${year}`,
    );
  }
  const weekend = new Set(options.weekendDays ?? [0, 6]);
  const base = listBaseDays(year, options.cultureDayFromYear ?? DEFAULT_CULTURE_DAY_FROM_YEAR);
  const taken = new Set(base.map((d) => d.day));
  const result: StatutoryHoliday[] = [];
  const listed = new Set<number>();
  for (const d of base) {
    result.push(toHoliday(d, false));
    // Two holidays on one date (Hùng Kings on 30/4, as in 1917 and 1947) must not cost a day off either.
    const coincides = listed.has(d.day);
    listed.add(d.day);
    if (!coincides && !weekend.has(dayNumberWeekday(d.day))) continue;
    // Processing in date order lets consecutive weekend holidays (Tết) take consecutive free days.
    let next = d.day + 1;
    while (weekend.has(dayNumberWeekday(next)) || taken.has(next)) next++;
    taken.add(next);
    result.push(
      toHoliday(
        { ...d, day: next, name_vi: `Nghỉ bù ${d.name_vi}`, name_en: `${d.name_en} (compensatory)` },
        true,
      ),
    );
  }
  return result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function toHoliday(d: Day, compensatory: boolean): StatutoryHoliday {
  return {
    date: dayNumberToLocalDate(d.day),
    holiday: d.holiday,
    name_vi: d.name_vi,
    name_en: d.name_en,
    compensatory,
  };
}

function listBaseDays(year: number, cultureDayFromYear: number): Day[] {
  const at = (month: number, day: number) =>
    localDateToDayNumber(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  const named = (day: number, holiday: HolidayKey, names = HOLIDAY_NAMES[holiday]): Day => ({
    day,
    holiday,
    ...names,
  });
  const tet = tetDayNumber(year);
  const days: Day[] = [
    named(at(1, 1), 'new_year'),
    // Tết: the last day of the old lunar year (29th or 30th of month 12, whichever ends it) + days 1–4.
    named(tet - 1, 'tet', { name_vi: 'Tết Âm lịch (ngày cuối năm)', name_en: "Lunar New Year's Eve" }),
    ...[0, 1, 2, 3].map((i) =>
      named(tet + i, 'tet', {
        name_vi: `Tết Âm lịch (mùng ${i + 1})`,
        name_en: `Lunar New Year (day ${i + 1})`,
      }),
    ),
    named(hungKingsDayNumber(year), 'hung_kings'),
    named(at(4, 30), 'reunification_labour', {
      name_vi: 'Ngày Chiến thắng (30/4)',
      name_en: 'Reunification Day (30 April)',
    }),
    named(at(5, 1), 'reunification_labour', {
      name_vi: 'Ngày Quốc tế Lao động (1/5)',
      name_en: 'International Labour Day (1 May)',
    }),
    named(at(9, 2), 'national_day'),
    named(nationalDayAdjacent(at(9, 2)), 'national_day', {
      name_vi: 'Quốc khánh (ngày liền kề)',
      name_en: 'National Day (adjacent day)',
    }),
  ];
  if (year >= cultureDayFromYear) days.push(named(at(11, 24), 'culture_day'));
  return days.sort((a, b) => a.day - b.day);
}

/**
 * The law says "2 September and one day before or after it" and leaves the choice to each year's
 * official schedule. Default: the side that bridges to a weekend (Tue/Fri/Sat → 1 Sep; Mon/Thu/Sun →
 * 3 Sep); Wednesday bridges nothing and takes 3 Sep. The official schedule replaces this guess.
 */
function nationalDayAdjacent(sep2: number): number {
  const weekday = dayNumberWeekday(sep2);
  return weekday === 2 || weekday === 5 || weekday === 6 ? sep2 - 1 : sep2 + 1;
}
