export {
  DEFAULT_CULTURE_DAY_FROM_YEAR,
  HOLIDAY_KEYS,
  HOLIDAY_NAMES,
  type HolidayKey,
  type HolidayOptions,
  listStatutoryHolidays,
  MAX_HOLIDAY_YEAR,
  MIN_HOLIDAY_YEAR,
  type StatutoryHoliday,
} from './holidays.ts';
export { Duration, LocalDate, OfficialScheduleEntry } from './schemas.ts';
export {
  addDaysToLocalDate,
  dayOfWeek,
  formatVnIso,
  fromLocal,
  isValidLocalDate,
  localMinutesOfDay,
  parseIso,
  toLocalDate,
  VN_UTC_OFFSET_MINUTES,
} from './vn-time.ts';
export {
  type CalendarRules,
  createWorkCalendar,
  type DayOff,
  type DayOffReason,
  type DayStatus,
  DEFAULT_CALENDAR_RULES,
  DEFAULT_OFFICE_HOURS,
  DURATION_UNITS,
  type DueDuration,
  type DurationUnit,
  type OfficePeriod,
  type Pause,
  WorkCalendar,
} from './work-calendar.ts';
