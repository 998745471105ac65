import { getSolarDate } from '@dqcai/vn-lunar';

// Julian Day Number of 1970-01-01, to turn the library's JD into our local day numbers.
const JD_UNIX_EPOCH = 2_440_588;

/**
 * Local day number (days since 1970-01-01) of a date of the Vietnamese lunar calendar (UTC+7 new moons;
 * the Chinese UTC+8 calendar differs in some years, e.g. Tết 2030). Month 12 day 30 in a 29-day month
 * silently rolls over in the library, so callers derive month ends from the next month's first day.
 */
export function lunarToDayNumber(day: number, month: number, lunarYear: number, leap = false): number {
  return getSolarDate(day, month, lunarYear, leap).jd - JD_UNIX_EPOCH;
}

/** Day number of Tết (1st day of the 1st lunar month) of the lunar year starting in `year`. */
export function tetDayNumber(year: number): number {
  return lunarToDayNumber(1, 1, year);
}

/** Day number of the 10th day of the 3rd lunar month (never the leap 3rd month). */
export function hungKingsDayNumber(year: number): number {
  return lunarToDayNumber(10, 3, year, false);
}
