import { describe, expect, it } from 'vitest';
import { CONFIRMED_OFFICIAL_SCHEDULE, iso, vn } from './test-fixtures.ts';
import { WorkCalendar } from './work-calendar.ts';

const official = new WorkCalendar({ officialSchedule: CONFIRMED_OFFICIAL_SCHEDULE });
const statutory = new WorkCalendar();

describe('WorkCalendar: days', () => {
  it('applies the confirmed official schedules over the computed holidays', () => {
    expect(official.isWorkingDay('2025-02-03')).toBe(true); // computed compensatory day, replaced
    expect(statutory.isWorkingDay('2025-02-03')).toBe(false);
    expect(official.isWorkingDay('2025-01-24')).toBe(true);
    expect(official.isWorkingDay('2025-01-27')).toBe(false); // Monday inside the official Tết break
    expect(official.isWorkingDay('2025-05-02')).toBe(false);
    expect(statutory.isWorkingDay('2025-05-02')).toBe(true);
    expect(official.isWorkingDay('2025-04-26')).toBe(true); // swapped Saturday
    expect(official.isWorkingTime(vn('2025-04-26T08:00'))).toBe(true);
    expect(statutory.isWorkingTime(vn('2025-04-26T08:00'))).toBe(false);
    expect(official.isWorkingDay('2026-02-23')).toBe(true);
    expect(official.isWorkingDay('2026-02-16')).toBe(false);
  });

  it('keeps statutory holidays of keys the official schedule does not mention', () => {
    expect(official.isWorkingDay('2025-04-07')).toBe(false); // Hùng Kings
    expect(official.isWorkingDay('2025-09-01')).toBe(false);
    expect(official.isWorkingDay('2026-04-27')).toBe(false); // compensatory for Sunday 26/4
  });

  it('lists days off of a year: holidays and official days, not ordinary weekends', () => {
    const days = official.listDaysOff(2025);
    expect(days.map((d) => d.date)).toEqual([
      '2025-01-01',
      '2025-01-25',
      '2025-01-26',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
      '2025-05-04',
      '2025-09-01',
      '2025-09-02',
    ]);
    expect(days[1]).toEqual({
      date: '2025-01-25',
      reason: 'tet',
      source: 'official',
      compensatory: false,
      name_vi: 'Tết Âm lịch',
      name_en: 'Lunar New Year (Tết)',
      note: 'Tết Ất Tỵ 2025',
    });
    expect(days[10]).toMatchObject({ date: '2025-04-07', reason: 'hung_kings', source: 'statutory' });
  });

  it('adds ad-hoc official days off and describes each day', () => {
    const cal = new WorkCalendar({
      officialSchedule: [{ date: '2025-07-08', kind: 'day_off', holiday: 'other', note: 'Bão số 3' }],
    });
    expect(cal.isWorkingDay('2025-07-08')).toBe(false);
    expect(cal.getDayStatus('2025-07-08')).toMatchObject({ isWorkingDay: false, reason: 'official' });
    expect(cal.listDaysOff(2025).find((d) => d.date === '2025-07-08')).toMatchObject({
      reason: 'official',
      name_vi: 'Ngày nghỉ theo thông báo chính thức',
      note: 'Bão số 3',
    });
    expect(official.getDayStatus('2025-04-26')).toEqual({
      date: '2025-04-26',
      isWorkingDay: true,
      reason: 'swapped_working_day',
    });
    expect(official.getDayStatus('2025-07-05').reason).toBe('weekend');
    expect(official.getDayStatus('2025-07-07').reason).toBe('working_day');
  });

  it('honours custom weekend days and the culture-day year', () => {
    const sixDays = new WorkCalendar({ weekendDays: [0] });
    expect(sixDays.isWorkingDay('2025-07-05')).toBe(true);
    expect(sixDays.isWorkingDay('2025-07-06')).toBe(false);
    expect(new WorkCalendar({ cultureDayFromYear: 2030 }).isWorkingDay('2026-11-24')).toBe(true);
    expect(statutory.isWorkingDay('2026-11-24')).toBe(false);
  });
});

describe('WorkCalendar: clock start and working hours', () => {
  it('starts the clock at the next office period', () => {
    expect(iso(official.nextWorkingMoment(vn('2025-07-07T18:00')))).toBe('2025-07-08T07:00:00+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-07-07T12:00')))).toBe('2025-07-07T13:30:00+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-07-07T11:30')))).toBe('2025-07-07T13:30:00+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-07-07T06:59')))).toBe('2025-07-07T07:00:00+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-07-07T10:15:30')))).toBe('2025-07-07T10:15:30+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-07-05T10:00')))).toBe('2025-07-07T07:00:00+07:00');
    expect(iso(official.nextWorkingMoment(vn('2025-04-29T17:00')))).toBe('2025-05-05T07:00:00+07:00');
  });

  it('treats the period start as working time and the period end as not', () => {
    expect(official.isWorkingTime(vn('2025-07-07T07:00'))).toBe(true);
    expect(official.isWorkingTime(vn('2025-07-07T11:29:59'))).toBe(true);
    expect(official.isWorkingTime(vn('2025-07-07T11:30'))).toBe(false);
    expect(official.isWorkingTime(vn('2025-07-07T17:00'))).toBe(false);
    expect(official.isWorkingTime(vn('2025-07-05T08:00'))).toBe(false);
  });

  it('counts working days of 8 hours', () => {
    expect(official.workingHoursPerDay).toBe(8);
    expect(iso(official.addWorkingDays(vn('2025-07-07T09:00'), 3))).toBe('2025-07-10T09:00:00+07:00');
    expect(iso(official.addWorkingDays(vn('2025-07-07T07:00'), 1))).toBe('2025-07-07T17:00:00+07:00');
    expect(iso(official.addWorkingDays(vn('2025-07-07T07:00'), 5))).toBe('2025-07-11T17:00:00+07:00');
    expect(iso(official.addWorkingDays(vn('2025-07-07T09:00'), 0.5))).toBe('2025-07-07T15:00:00+07:00');
  });

  it('counts from 07:00 the next morning when received after hours', () => {
    expect(iso(official.addWorkingHours(vn('2025-07-07T18:00'), 2))).toBe('2025-07-08T09:00:00+07:00');
    expect(iso(official.addWorkingDays(vn('2025-07-07T18:00'), 1))).toBe('2025-07-08T17:00:00+07:00');
  });

  it('skips lunch and stops exactly on a period end', () => {
    expect(iso(official.addWorkingHours(vn('2025-07-07T11:00'), 1))).toBe('2025-07-07T14:00:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T07:00'), 8))).toBe('2025-07-07T17:00:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T07:00'), 4.5))).toBe('2025-07-07T11:30:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T16:00'), 1))).toBe('2025-07-07T17:00:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T16:00'), 1.25))).toBe('2025-07-08T07:15:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-11T16:00'), 2))).toBe('2025-07-14T08:00:00+07:00');
  });

  it('returns the clock start for zero hours, or the instant itself when on a period end', () => {
    expect(iso(official.addWorkingHours(vn('2025-07-05T10:00'), 0))).toBe('2025-07-07T07:00:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T11:30'), 0))).toBe('2025-07-07T11:30:00+07:00');
    expect(iso(official.addWorkingHours(vn('2025-07-07T12:00'), 0))).toBe('2025-07-07T13:30:00+07:00');
  });

  it('runs across Tết with the official schedule and without it', () => {
    // Official Tết 2026: Sat 14/2 – Sun 22/2.
    expect(iso(official.addWorkingDays(vn('2026-02-11T09:00'), 5))).toBe('2026-02-25T09:00:00+07:00');
    expect(iso(official.addWorkingDays(vn('2026-02-12T10:00'), 2))).toBe('2026-02-23T10:00:00+07:00');
    // Tết 2025: the official break (25/1–2/2) differs from the computed one (28/1–1/2 + Monday 3/2).
    expect(iso(official.addWorkingDays(vn('2025-01-24T10:00'), 1))).toBe('2025-02-03T10:00:00+07:00');
    expect(iso(statutory.addWorkingDays(vn('2025-01-24T10:00'), 1))).toBe('2025-01-27T10:00:00+07:00');
    expect(iso(statutory.addWorkingDays(vn('2025-01-24T10:00'), 2))).toBe('2025-02-04T10:00:00+07:00');
  });

  it('handles long spans across years', () => {
    const start = vn('2025-07-07T09:00');
    const due = official.addWorkingDays(start, 500);
    expect(official.workingHoursBetween(start, due)).toBe(4000);
    expect(official.isWorkingDay(iso(due).slice(0, 10))).toBe(true);
  });

  it('measures working hours between two instants', () => {
    expect(official.workingHoursBetween(vn('2025-07-07T07:00'), vn('2025-07-07T17:00'))).toBe(8);
    expect(official.workingHoursBetween(vn('2025-07-07T11:00'), vn('2025-07-07T14:00'))).toBe(1);
    expect(official.workingHoursBetween(vn('2025-07-11T16:00'), vn('2025-07-14T08:00'))).toBe(2);
    expect(official.workingHoursBetween(vn('2025-07-14T08:00'), vn('2025-07-11T16:00'))).toBe(0);
    expect(official.workingHoursBetween(vn('2025-01-01T00:00'), vn('2026-01-01T00:00'))).toBe(
      // 261 weekdays, minus 12 weekday days off (1/1, 27–31/1, 7/4, 30/4–2/5, 1–2/9), plus the swapped Saturday.
      8 * (261 - 12 + 1),
    );
  });
});

describe('WorkCalendar: calendar days and same-day procedures', () => {
  it('moves a calendar-day due date off a day off, keeping the time of day', () => {
    expect(iso(official.addCalendarDays(vn('2025-07-01T08:00'), 5))).toBe('2025-07-07T08:00:00+07:00');
    expect(iso(official.addCalendarDays(vn('2025-07-01T18:00'), 5))).toBe('2025-07-07T07:00:00+07:00');
    expect(iso(official.addCalendarDays(vn('2025-07-01T08:00'), 7))).toBe('2025-07-08T08:00:00+07:00');
    expect(iso(official.addCalendarDays(vn('2025-04-25T10:00'), 5))).toBe('2025-05-05T10:00:00+07:00');
    expect(() => official.addCalendarDays(vn('2025-07-01T08:00'), 1.5)).toThrow(RangeError);
  });

  it('applies the 15:00 cut-off', () => {
    expect(iso(official.sameDayDue(vn('2025-07-07T14:59')))).toBe('2025-07-07T17:00:00+07:00');
    expect(iso(official.sameDayDue(vn('2025-07-07T15:00')))).toBe('2025-07-08T17:00:00+07:00');
    expect(iso(official.sameDayDue(vn('2025-07-11T16:00')))).toBe('2025-07-14T17:00:00+07:00'); // Friday
    expect(iso(official.sameDayDue(vn('2025-07-12T10:00')))).toBe('2025-07-14T17:00:00+07:00'); // Saturday
    expect(iso(official.sameDayDue(vn('2025-07-07T18:00')))).toBe('2025-07-08T17:00:00+07:00');
    expect(iso(official.sameDayDue(vn('2025-07-07T06:00')))).toBe('2025-07-07T17:00:00+07:00');
  });

  it('jumps the 30/4–4/5 2025 break after the cut-off', () => {
    // Tue 29/4 15:30: Wed 30/4 – Sun 4/5 are off, so the next working day is Monday 5 May.
    expect(iso(official.sameDayDue(vn('2025-04-29T15:30')))).toBe('2025-05-05T17:00:00+07:00');
    expect(iso(statutory.sameDayDue(vn('2025-04-29T15:30')))).toBe('2025-05-02T17:00:00+07:00');
  });

  it('uses a configured cut-off', () => {
    const cal = new WorkCalendar({ sameDayCutoff: '10:00' });
    expect(iso(cal.sameDayDue(vn('2025-07-07T09:59')))).toBe('2025-07-07T17:00:00+07:00');
    expect(iso(cal.sameDayDue(vn('2025-07-07T10:00')))).toBe('2025-07-08T17:00:00+07:00');
  });

  it('dispatches computeDue on the unit', () => {
    const start = vn('2025-07-07T09:00');
    expect(iso(official.computeDue(start, { amount: 3, unit: 'working_days' }))).toBe(
      '2025-07-10T09:00:00+07:00',
    );
    expect(iso(official.computeDue(start, { amount: 4, unit: 'working_hours' }))).toBe(
      '2025-07-07T15:00:00+07:00',
    );
    expect(iso(official.computeDue(start, { amount: 6, unit: 'calendar_days' }))).toBe(
      '2025-07-14T09:00:00+07:00',
    );
    expect(iso(official.computeDue(start, { amount: 0, unit: 'same_day' }))).toBe(
      '2025-07-07T17:00:00+07:00',
    );
    expect(() => official.computeDue(start, { amount: -1, unit: 'working_days' })).toThrow(RangeError);
    expect(() => official.computeDue(start, { amount: Number.NaN, unit: 'working_hours' })).toThrow(
      RangeError,
    );
    expect(() => official.computeDue(new Date(Number.NaN), { amount: 1, unit: 'working_hours' })).toThrow(
      RangeError,
    );
  });
});

describe('WorkCalendar: supplement pauses', () => {
  const due = vn('2025-07-10T09:00');

  it('extends the due date by exactly the working time inside the pause', () => {
    const pause = { start: vn('2025-07-07T10:00'), end: vn('2025-07-07T14:00') }; // 1.5 h + 0.5 h
    expect(official.workingHoursBetween(pause.start, pause.end)).toBe(2);
    expect(iso(official.extendForPause(due, pause))).toBe('2025-07-10T11:00:00+07:00');
  });

  it('adds only working hours for a pause over a weekend', () => {
    const pause = { start: vn('2025-07-11T16:00'), end: vn('2025-07-14T08:00') };
    expect(iso(official.extendForPause(due, pause))).toBe('2025-07-10T11:00:00+07:00');
    const weekendOnly = { start: vn('2025-07-12T08:00'), end: vn('2025-07-13T17:00') };
    expect(iso(official.extendForPause(due, weekendOnly))).toBe(iso(due));
  });

  it('moves a due date on a closing time into the next day', () => {
    const pause = { start: vn('2025-07-07T08:00'), end: vn('2025-07-07T09:00') };
    expect(iso(official.extendForPause(vn('2025-07-10T17:00'), pause))).toBe('2025-07-11T08:00:00+07:00');
  });

  it('sums several pauses, counting overlaps once', () => {
    const pauses = [
      { start: vn('2025-07-07T08:00'), end: vn('2025-07-07T10:00') },
      { start: vn('2025-07-07T09:00'), end: vn('2025-07-07T11:00') }, // overlaps 09:00–10:00
      { start: vn('2025-07-08T13:30'), end: vn('2025-07-08T14:30') },
    ];
    expect(iso(official.extendForPauses(due, pauses))).toBe('2025-07-10T15:00:00+07:00'); // +4 h
    expect(iso(official.extendForPauses(due, []))).toBe(iso(due));
    expect(() =>
      official.extendForPause(due, { start: vn('2025-07-08T10:00'), end: vn('2025-07-08T09:00') }),
    ).toThrow(RangeError);
  });
});
