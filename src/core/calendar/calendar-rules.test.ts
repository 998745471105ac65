import { describe, expect, it } from 'vitest';
import type { CalendarRules } from './calendar-rules.ts';
import { DEFAULT_CALENDAR_RULES, DEFAULT_OFFICE_HOURS, WorkCalendar } from './work-calendar.ts';

const build = (rules: Partial<CalendarRules>) => () => new WorkCalendar(rules);

describe('calendar rules validation', () => {
  it('accepts the defaults: 8 hours a day, weekend Sat + Sun, cut-off 15:00', () => {
    const cal = new WorkCalendar();
    expect(cal.workingHoursPerDay).toBe(8);
    expect(cal.rules).toEqual({ ...DEFAULT_CALENDAR_RULES, officeHours: [...DEFAULT_OFFICE_HOURS] });
  });

  it('accepts other office hours, including touching periods', () => {
    const cal = new WorkCalendar({
      officeHours: [
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '16:30' },
      ],
    });
    expect(cal.workingHoursPerDay).toBe(8.5);
  });

  it('rejects badly formed clock times', () => {
    expect(build({ officeHours: [{ start: '7:00', end: '11:30' }] })).toThrow(
      /officeHours\[0\]\.start must be a time 'HH:MM'/,
    );
    expect(build({ officeHours: [{ start: '07:00', end: '24:00' }] })).toThrow(/officeHours\[0\]\.end/);
    expect(build({ sameDayCutoff: '25:00' })).toThrow(/sameDayCutoff must be a time 'HH:MM'/);
    expect(build({ sameDayCutoff: '15h00' })).toThrow(/sameDayCutoff/);
  });

  it('rejects empty, reversed, unordered and overlapping periods', () => {
    expect(build({ officeHours: [] })).toThrow(/at least one period/);
    expect(build({ officeHours: [{ start: '11:30', end: '07:00' }] })).toThrow(/must start before it ends/);
    expect(build({ officeHours: [{ start: '07:00', end: '07:00' }] })).toThrow(/must start before it ends/);
    expect(
      build({
        officeHours: [
          { start: '13:30', end: '17:00' },
          { start: '07:00', end: '11:30' },
        ],
      }),
    ).toThrow(/ordered, non-overlapping/);
    expect(
      build({
        officeHours: [
          { start: '07:00', end: '12:00' },
          { start: '11:30', end: '17:00' },
        ],
      }),
    ).toThrow(/ordered, non-overlapping/);
  });

  it('rejects bad weekend days', () => {
    expect(build({ weekendDays: [7] })).toThrow(/weekendDays must hold integers 0/);
    expect(build({ weekendDays: [1.5] })).toThrow(/weekendDays/);
    expect(build({ weekendDays: [0, 1, 2, 3, 4, 5, 6] })).toThrow(/whole week/);
  });

  it('rejects bad official schedule entries', () => {
    expect(build({ officialSchedule: [{ date: '2025-02-30', kind: 'day_off', holiday: 'tet' }] })).toThrow(
      /officialSchedule\[0\]\.date must be a real date/,
    );
    expect(
      build({ officialSchedule: [{ date: '2025-02-03', kind: 'holiday' as 'day_off', holiday: 'tet' }] }),
    ).toThrow(/kind must be/);
    expect(
      build({ officialSchedule: [{ date: '2025-02-03', kind: 'day_off', holiday: 'christmas' as 'other' }] }),
    ).toThrow(/holiday is unknown/);
    expect(
      build({
        officialSchedule: [
          { date: '2025-04-26', kind: 'working_day', holiday: 'other' },
          { date: '2025-04-26', kind: 'day_off', holiday: 'other' },
        ],
      }),
    ).toThrow(/both a day off and a working day on 2025-04-26/);
    expect(build({ cultureDayFromYear: 2026.5 })).toThrow(/cultureDayFromYear/);
  });

  it('does not keep references to the caller’s rule objects', () => {
    const officeHours = [{ start: '08:00', end: '16:00' }];
    const cal = new WorkCalendar({ officeHours });
    const first = officeHours[0];
    if (first) first.end = '09:00';
    expect(cal.workingHoursPerDay).toBe(8);
  });

  it('reports a calendar without any working day in reach', () => {
    const everyDayOff = Array.from({ length: 400 }, (_, i) => ({
      date: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
      kind: 'day_off' as const,
      holiday: 'other' as const,
    }));
    const cal = new WorkCalendar({ officialSchedule: everyDayOff });
    expect(() => cal.nextWorkingMoment(new Date('2025-01-01T01:00:00Z'))).toThrow(/no working day within/);
  });
});
