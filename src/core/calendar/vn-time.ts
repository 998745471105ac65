/**
 * Vietnam civil time: a fixed UTC+7 offset with no daylight saving, so local dates and times follow from
 * epoch milliseconds by plain arithmetic and never from the process time zone (server and browser alike).
 */

export const VN_UTC_OFFSET_MINUTES = 420;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

const OFFSET_MS = VN_UTC_OFFSET_MINUTES * MS_PER_MINUTE;
const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

// ---- epoch-millisecond core (used by the calendar; dates are "day numbers" since 1970-01-01 local) ----

/** Days since 1970-01-01 of the Vietnam-local date that contains the instant. */
export function toDayNumber(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / MS_PER_DAY);
}

/** Epoch ms of local midnight that starts the given day number. */
export function dayStartMs(day: number): number {
  return day * MS_PER_DAY - OFFSET_MS;
}

export function dayNumberToLocalDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of a 'YYYY-MM-DD' string; throws when the string is not a real calendar date. */
export function localDateToDayNumber(date: string): number {
  const day = parseLocalDate(date);
  if (day === undefined) throw new RangeError(`Invalid local date (expected YYYY-MM-DD): ${date}`);
  return day;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function dayNumberWeekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isValidLocalDate(date: string): boolean {
  return parseLocalDate(date) !== undefined;
}

function parseLocalDate(date: string): number | undefined {
  const m = LOCAL_DATE_RE.exec(date);
  if (!m) return undefined;
  return civilToDayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
}

function civilToDayNumber(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // Date.UTC maps years 0–99 to 19xx; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return d.getTime() / MS_PER_DAY;
}

function assertValidInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

// ---- public Date API ----

/** Vietnam-local calendar date 'YYYY-MM-DD' of an instant. */
export function toLocalDate(instant: Date): string {
  return dayNumberToLocalDate(toDayNumber(assertValidInstant(instant)));
}

/** Whole minutes since local midnight (seconds are truncated). */
export function localMinutesOfDay(instant: Date): number {
  const ms = assertValidInstant(instant);
  return Math.floor((ms - dayStartMs(toDayNumber(ms))) / MS_PER_MINUTE);
}

/** The instant at `minutes` after local midnight of `date` (minutes may exceed a day or be fractional). */
export function fromLocal(date: string, minutes: number): Date {
  return new Date(dayStartMs(localDateToDayNumber(date)) + Math.round(minutes * MS_PER_MINUTE));
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay. */
export function dayOfWeek(date: string): number {
  return dayNumberWeekday(localDateToDayNumber(date));
}

export function addDaysToLocalDate(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer: ${days}`);
  return dayNumberToLocalDate(localDateToDayNumber(date) + days);
}

/** ISO 8601 in Vietnam time, e.g. 2025-07-01T08:00:00+07:00; milliseconds only when non-zero. */
export function formatVnIso(instant: Date): string {
  const ms = assertValidInstant(instant);
  // Shifting by the offset and reading UTC fields yields the local wall clock.
  const wall = new Date(ms + OFFSET_MS).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const fraction = wall.slice(19, 23) === '.000' ? '' : wall.slice(19, 23);
  return `${wall.slice(0, 19)}${fraction}+07:00`;
}

/**
 * Parses an ISO 8601 date or date-time. A value without an offset is read as Vietnam local time (not the
 * process time zone, unlike Date.parse), so '2025-07-01' is local midnight. Throws on anything invalid.
 */
export function parseIso(value: string): Date {
  const m = ISO_RE.exec(value.trim());
  const day = m ? civilToDayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (!m || day === undefined) throw new RangeError(`Invalid ISO date-time: ${value}`);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) throw new RangeError(`Invalid ISO date-time: ${value}`);
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const offsetMinutes = parseOffsetMinutes(m[8]);
  if (offsetMinutes === undefined) throw new RangeError(`Invalid ISO date-time offset: ${value}`);
  const wallMs = day * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return new Date(wallMs - offsetMinutes * MS_PER_MINUTE);
}

function parseOffsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined) return VN_UTC_OFFSET_MINUTES;
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
