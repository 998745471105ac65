import { type CalendarRules, type NormalizedRules, normalizeRules } from './calendar-rules.ts';
import {
  dayNumberWeekday,
  dayStartMs,
  localDateToDayNumber,
  MS_PER_DAY,
  MS_PER_HOUR,
  toDayNumber,
} from './vn-time.ts';
import { WorkingDayIndex } from './working-day-index.ts';
import type { DayOff, DayOffReason } from './year-table.ts';

export type { CalendarRules, OfficePeriod, OfficialScheduleEntry } from './calendar-rules.ts';
export { DEFAULT_CALENDAR_RULES, DEFAULT_OFFICE_HOURS } from './calendar-rules.ts';
export type { DayOff, DayOffReason } from './year-table.ts';

export const DURATION_UNITS = ['working_days', 'working_hours', 'calendar_days', 'same_day'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
/** `amount` is ignored for 'same_day'; it must be a whole number for 'calendar_days'. */
export type DueDuration = { amount: number; unit: DurationUnit };
/** A supplement request: the clock stops from `start` to `end`. */
export type Pause = { start: Date; end: Date };

export type DayStatus = {
  date: string;
  isWorkingDay: boolean;
  reason: 'working_day' | 'swapped_working_day' | 'weekend' | DayOffReason;
  dayOff?: DayOff;
};

/**
 * The working-time calendar of one unit. Every method is pure (the per-year cache is invisible).
 *
 * Clock positions: a working moment lies in [period start, period end) of a working day; a due date may
 * also sit exactly on a period end (inclusive), which is how "07:00 + 8 h = 17:00 the same day" reads.
 * addWorkingHours(s, h) is the earliest instant T ≥ s that lies in a closed office period of a working
 * day and has exactly h working hours in [s, T). That single definition makes it monotonic and additive
 * (add(add(s, a), b) = add(s, a + b), also for b = 0) and makes workingHoursBetween its inverse.
 */
export class WorkCalendar {
  readonly rules: Readonly<CalendarRules>;
  readonly workingHoursPerDay: number;
  private readonly n: NormalizedRules;
  private readonly days: WorkingDayIndex;

  constructor(rules: Partial<CalendarRules> = {}) {
    this.n = normalizeRules(rules);
    this.rules = this.n.rules;
    this.workingHoursPerDay = this.n.dailyMs / MS_PER_HOUR;
    this.days = new WorkingDayIndex(this.n);
  }

  isWorkingDay(localDate: string): boolean {
    return this.days.isWorking(localDateToDayNumber(localDate));
  }

  /** Inside an office period of a working day: start inclusive, end exclusive. */
  isWorkingTime(instant: Date): boolean {
    const ms = toMs(instant);
    const day = toDayNumber(ms);
    const tod = ms - dayStartMs(day);
    return this.days.isWorking(day) && this.n.periods.some((p) => tod >= p.start && tod < p.end);
  }

  getDayStatus(localDate: string): DayStatus {
    const day = localDateToDayNumber(localDate);
    const table = this.days.tableOfDay(day);
    const dayOff = table.offByDay.get(day);
    if (dayOff) return { date: localDate, isWorkingDay: false, reason: dayOff.reason, dayOff };
    const weekend = this.n.weekend.has(dayNumberWeekday(day));
    if (table.swappedWorkingDays.has(day) && weekend) {
      return { date: localDate, isWorkingDay: true, reason: 'swapped_working_day' };
    }
    return { date: localDate, isWorkingDay: !weekend, reason: weekend ? 'weekend' : 'working_day' };
  }

  /** Holidays, compensatory and official days off of a year (ordinary weekends left out), by date. */
  listDaysOff(year: number): DayOff[] {
    return this.days.tableOfYear(year).daysOff.map((d) => ({ ...d }));
  }

  /** The clock start: the instant itself inside office time, else the next office period's start. */
  nextWorkingMoment(instant: Date): Date {
    return new Date(this.nextWorkingMomentMs(toMs(instant)));
  }

  /** `hours` ≥ 0, fractional allowed (rounded to the millisecond). See the class comment. */
  addWorkingHours(start: Date, hours: number): Date {
    return new Date(this.addWorkingMs(toMs(start), toAmountMs(hours, MS_PER_HOUR, 'hours')));
  }

  /** One working day = the daily office time (8 h by default), so half days are fine. */
  addWorkingDays(start: Date, days: number): Date {
    return new Date(this.addWorkingMs(toMs(start), toAmountMs(days, this.n.dailyMs, 'days')));
  }

  /** Clock start + whole days × 24 h; a day off moves the due date to the next working day, same time. */
  addCalendarDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0)
      throw new RangeError(`Calendar days must be a whole number ≥ 0: ${days}`);
    const due = this.nextWorkingMomentMs(toMs(start)) + days * MS_PER_DAY;
    const day = toDayNumber(due);
    return new Date(due + (this.days.firstWorkingDayFrom(day) - day) * MS_PER_DAY);
  }

  /** Before the cut-off: end of that day's office hours; at or after it: end of the next working day. */
  sameDayDue(start: Date): Date {
    const clock = this.nextWorkingMomentMs(toMs(start));
    const day = toDayNumber(clock);
    const dueDay = clock - dayStartMs(day) < this.n.cutoffMs ? day : this.days.nextWorkingDay(day);
    return new Date(dayStartMs(dueDay) + this.lastPeriodEnd());
  }

  computeDue(start: Date, duration: DueDuration): Date {
    switch (duration.unit) {
      case 'working_days':
        return this.addWorkingDays(start, duration.amount);
      case 'working_hours':
        return this.addWorkingHours(start, duration.amount);
      case 'calendar_days':
        return this.addCalendarDays(start, duration.amount);
      case 'same_day':
        return this.sameDayDue(start);
      default:
        throw new RangeError(`Unknown duration unit: ${String((duration as { unit: unknown }).unit)}`);
    }
  }

  /** Working hours in [a, b); 0 when b ≤ a. */
  workingHoursBetween(a: Date, b: Date): number {
    return this.workingMsBetween(toMs(a), toMs(b)) / MS_PER_HOUR;
  }

  /** Adds the working time inside the pause to the due date; never earlier than `due`. */
  extendForPause(due: Date, pause: Pause): Date {
    return this.extendForPauses(due, [pause]);
  }

  /** Overlapping pauses count once: the clock cannot be stopped twice at the same time. */
  extendForPauses(due: Date, pauses: readonly Pause[]): Date {
    const intervals = pauses
      .map((p) => {
        const start = toMs(p.start);
        const end = toMs(p.end);
        if (end < start) throw new RangeError('A pause must not end before it starts');
        return { start, end };
      })
      .sort((x, y) => x.start - y.start);
    let total = 0;
    let cursor = Number.NEGATIVE_INFINITY;
    for (const { start, end } of intervals) {
      const from = Math.max(start, cursor);
      if (end > from) total += this.workingMsBetween(from, end);
      cursor = Math.max(cursor, end);
    }
    return new Date(this.addWorkingMs(toMs(due), total));
  }

  private lastPeriodEnd(): number {
    return this.n.periods[this.n.periods.length - 1]?.end ?? 0;
  }

  private nextWorkingMomentMs(ms: number): number {
    const day = toDayNumber(ms);
    if (this.days.isWorking(day)) {
      const tod = ms - dayStartMs(day);
      for (const p of this.n.periods) {
        if (tod < p.end) return tod >= p.start ? ms : dayStartMs(day) + p.start;
      }
    }
    return dayStartMs(this.days.nextWorkingDay(day)) + (this.n.periods[0]?.start ?? 0);
  }

  private isInClosedPeriod(ms: number): boolean {
    const day = toDayNumber(ms);
    const tod = ms - dayStartMs(day);
    return this.days.isWorking(day) && this.n.periods.some((p) => tod >= p.start && tod <= p.end);
  }

  private addWorkingMs(ms: number, amount: number): number {
    if (amount === 0) return this.isInClosedPeriod(ms) ? ms : this.nextWorkingMomentMs(ms);
    const clock = this.nextWorkingMomentMs(ms);
    let day = toDayNumber(clock);
    let tod = clock - dayStartMs(day);
    let remaining = amount;
    for (;;) {
      for (const p of this.n.periods) {
        if (tod >= p.end) continue;
        const from = Math.max(tod, p.start);
        // `<=`: an amount that runs out exactly at a period end stays on that end (07:00 + 8 h = 17:00).
        if (remaining <= p.end - from) return dayStartMs(day) + from + remaining;
        remaining -= p.end - from;
      }
      day = this.days.nextWorkingDay(day);
      tod = 0;
      // Skip whole working days at once; `>` keeps an exact multiple on the last day's closing time.
      while (remaining > this.n.dailyMs) {
        remaining -= this.n.dailyMs;
        day = this.days.nextWorkingDay(day);
      }
    }
  }

  private workingMsBetween(a: number, b: number): number {
    if (b <= a) return 0;
    const dayA = toDayNumber(a);
    const dayB = toDayNumber(b);
    const todA = a - dayStartMs(dayA);
    const todB = b - dayStartMs(dayB);
    if (dayA === dayB) return this.workInDay(dayA, todA, todB);
    const fullDays = this.days.countWorkingDays(dayA + 1, dayB);
    return this.workInDay(dayA, todA, MS_PER_DAY) + fullDays * this.n.dailyMs + this.workInDay(dayB, 0, todB);
  }

  private workInDay(day: number, from: number, to: number): number {
    if (!this.days.isWorking(day)) return 0;
    let total = 0;
    for (const p of this.n.periods) total += Math.max(0, Math.min(p.end, to) - Math.max(p.start, from));
    return total;
  }
}

/** Same as `new WorkCalendar(rules)`; validates the rules and throws a descriptive Error. */
export function createWorkCalendar(rules: Partial<CalendarRules> = {}): WorkCalendar {
  return new WorkCalendar(rules);
}

function toMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

function toAmountMs(amount: number, unitMs: number, what: string): number {
  if (!Number.isFinite(amount) || amount < 0)
    throw new RangeError(`Working ${what} must be a finite number ≥ 0: ${amount}`);
  return Math.round(amount * unitMs);
}
