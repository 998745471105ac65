import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OfficePeriod, OfficialScheduleEntry } from './calendar-rules.ts';
import { HOLIDAY_KEYS } from './holidays.ts';
import { CONFIRMED_OFFICIAL_SCHEDULE } from './test-fixtures.ts';
import { fromLocal, toLocalDate } from './vn-time.ts';
import { DEFAULT_OFFICE_HOURS, type DurationUnit, WorkCalendar } from './work-calendar.ts';

const MINUTE = 60_000;
const FIRST = Date.parse('2024-01-01T00:00:00+07:00');
const LAST = Date.parse('2028-12-31T23:59:00+07:00');

const instantArb = fc.integer({ min: FIRST / MINUTE, max: LAST / MINUTE }).map((m) => new Date(m * MINUTE));
const localDateArb = instantArb.map(toLocalDate);
const hoursArb = fc.integer({ min: 0, max: 60 * 8 * 60 }).map((minutes) => minutes / 60); // ≤ 60 days

const entryArb: fc.Arbitrary<OfficialScheduleEntry> = fc.record({
  date: localDateArb,
  kind: fc.constantFrom('day_off' as const, 'working_day' as const),
  holiday: fc.constantFrom(...HOLIDAY_KEYS, 'other' as const),
});
const scheduleArb = fc.oneof(
  fc.constant<OfficialScheduleEntry[]>([]),
  fc.constant(CONFIRMED_OFFICIAL_SCHEDULE),
  fc.uniqueArray(entryArb, { selector: (e) => e.date, maxLength: 40 }),
);

const clock = (quarter: number) =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
// Random office hours on a 15-minute grid: sorted distinct points paired into ordered, disjoint periods.
const officeHoursArb: fc.Arbitrary<OfficePeriod[]> = fc.oneof(
  fc.constant(DEFAULT_OFFICE_HOURS.map((p) => ({ ...p }))),
  fc.uniqueArray(fc.integer({ min: 0, max: 95 }), { minLength: 2, maxLength: 6 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const periods: OfficePeriod[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      periods.push({ start: clock(sorted[i] ?? 0), end: clock(sorted[i + 1] ?? 0) });
    }
    return periods;
  }),
);

type Setup = { cal: WorkCalendar; periods: { start: number; end: number }[] };
const setupArb: fc.Arbitrary<Setup> = fc
  .record({ officeHours: officeHoursArb, officialSchedule: scheduleArb })
  .map((rules) => ({
    cal: new WorkCalendar(rules),
    periods: rules.officeHours.map((p) => ({ start: minutesOf(p.start), end: minutesOf(p.end) })),
  }));

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
}

/** Inside [period start, period end] (both inclusive) of a working day. */
function isDueInOfficeHours({ cal, periods }: Setup, due: Date): boolean {
  const date = toLocalDate(due);
  const minutes = (due.getTime() - fromLocal(date, 0).getTime()) / MINUTE;
  return cal.isWorkingDay(date) && periods.some((p) => minutes >= p.start && minutes <= p.end);
}

/** The closing time of the office period that contains a working moment. */
function endOfPeriod({ periods }: Setup, moment: Date): Date {
  const date = toLocalDate(moment);
  const minutes = (moment.getTime() - fromLocal(date, 0).getTime()) / MINUTE;
  const period = periods.find((p) => minutes >= p.start && minutes < p.end);
  if (!period) throw new Error(`not a working moment: ${moment.toISOString()}`);
  return fromLocal(date, period.end);
}

function isPeriodEnd({ periods }: Setup, instant: Date): boolean {
  const date = toLocalDate(instant);
  const minutes = (instant.getTime() - fromLocal(date, 0).getTime()) / MINUTE;
  return periods.some((p) => p.end === minutes);
}

const runs = { numRuns: 300 };

describe('WorkCalendar properties', () => {
  it('starts the clock at the earliest working moment at or after the instant', () => {
    fc.assert(
      fc.property(setupArb, instantArb, ({ cal }, s) => {
        const clockStart = cal.nextWorkingMoment(s);
        expect(clockStart.getTime()).toBeGreaterThanOrEqual(s.getTime());
        expect(cal.isWorkingTime(clockStart)).toBe(true);
        expect(cal.workingHoursBetween(s, clockStart)).toBe(0);
        if (cal.isWorkingTime(s)) expect(clockStart.getTime()).toBe(s.getTime());
      }),
      runs,
    );
  });

  it('is monotonic in the start', () => {
    fc.assert(
      fc.property(setupArb, instantArb, instantArb, hoursArb, ({ cal }, x, y, h) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(cal.addWorkingHours(a, h).getTime()).toBeLessThanOrEqual(cal.addWorkingHours(b, h).getTime());
      }),
      runs,
    );
  });

  it('is monotonic in the amount', () => {
    fc.assert(
      fc.property(setupArb, instantArb, hoursArb, hoursArb, ({ cal }, s, x, y) => {
        const [h1, h2] = x <= y ? [x, y] : [y, x];
        expect(cal.addWorkingHours(s, h1).getTime()).toBeLessThanOrEqual(
          cal.addWorkingHours(s, h2).getTime(),
        );
      }),
      runs,
    );
  });

  it('is additive from a working moment, including a zero amount and period ends', () => {
    fc.assert(
      fc.property(setupArb, instantArb, hoursArb, hoursArb, ({ cal }, raw, h1, h2) => {
        const s = cal.nextWorkingMoment(raw);
        const stepwise = cal.addWorkingHours(cal.addWorkingHours(s, h1), h2);
        expect(stepwise.getTime()).toBe(cal.addWorkingHours(s, h1 + h2).getTime());
      }),
      runs,
    );
  });

  it('is additive when the first step ends exactly on a closing time', () => {
    fc.assert(
      fc.property(
        setupArb,
        instantArb,
        fc.integer({ min: 0, max: 20 }),
        fc.oneof(fc.constant(0), hoursArb),
        (setup, raw, days, h2) => {
          const { cal } = setup;
          const s = cal.nextWorkingMoment(raw);
          const h1 = cal.workingHoursBetween(s, endOfPeriod(setup, s)) + days * cal.workingHoursPerDay;
          const first = cal.addWorkingHours(s, h1);
          expect(isPeriodEnd(setup, first)).toBe(true);
          expect(cal.addWorkingHours(first, h2).getTime()).toBe(cal.addWorkingHours(s, h1 + h2).getTime());
        },
      ),
      runs,
    );
  });

  it('returns the earliest instant that completes the amount', () => {
    fc.assert(
      fc.property(setupArb, instantArb, hoursArb, ({ cal }, s, h) => {
        fc.pre(h > 0);
        const due = cal.addWorkingHours(s, h);
        expect(cal.workingHoursBetween(s, new Date(due.getTime() - 1))).toBeLessThan(h);
      }),
      runs,
    );
  });

  it('is additive from any instant as well', () => {
    fc.assert(
      fc.property(setupArb, instantArb, hoursArb, hoursArb, ({ cal }, s, h1, h2) => {
        const stepwise = cal.addWorkingHours(cal.addWorkingHours(s, h1), h2);
        expect(stepwise.getTime()).toBe(cal.addWorkingHours(s, h1 + h2).getTime());
      }),
      runs,
    );
  });

  it('has workingHoursBetween as its exact inverse', () => {
    fc.assert(
      fc.property(setupArb, instantArb, hoursArb, ({ cal }, s, h) => {
        expect(cal.workingHoursBetween(s, cal.addWorkingHours(s, h))).toBe(h);
      }),
      runs,
    );
  });

  it('counts a working day as the daily office time', () => {
    fc.assert(
      fc.property(setupArb, instantArb, fc.integer({ min: 0, max: 40 }), ({ cal }, s, days) => {
        expect(cal.addWorkingDays(s, days).getTime()).toBe(
          cal.addWorkingHours(s, days * cal.workingHoursPerDay).getTime(),
        );
      }),
      runs,
    );
  });

  const durationArb = fc.oneof(
    fc.record({
      unit: fc.constant<DurationUnit>('working_days'),
      amount: fc.integer({ min: 0, max: 80 }).map((halves) => halves / 2),
    }),
    fc.record({ unit: fc.constant<DurationUnit>('working_hours'), amount: hoursArb }),
    fc.record({ unit: fc.constant<DurationUnit>('calendar_days'), amount: fc.integer({ min: 0, max: 90 }) }),
    fc.record({ unit: fc.constant<DurationUnit>('same_day'), amount: fc.constant(0) }),
  );

  it('always puts a due date inside office hours of a working day, never before the start', () => {
    fc.assert(
      fc.property(setupArb, instantArb, durationArb, (setup, s, duration) => {
        const due = setup.cal.computeDue(s, duration);
        expect(isDueInOfficeHours(setup, due)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(s.getTime());
      }),
      runs,
    );
  });

  it('never shortens a deadline with a pause and adds exactly the paused working time', () => {
    fc.assert(
      fc.property(setupArb, instantArb, instantArb, instantArb, (setup, due, x, y) => {
        const pause = x <= y ? { start: x, end: y } : { start: y, end: x };
        const extended = setup.cal.extendForPause(due, pause);
        expect(extended.getTime()).toBeGreaterThanOrEqual(due.getTime());
        expect(setup.cal.workingHoursBetween(due, extended)).toBe(
          setup.cal.workingHoursBetween(pause.start, pause.end),
        );
        expect(isDueInOfficeHours(setup, extended)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
