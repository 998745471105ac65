import { dayNumberToLocalDate, toDayNumber } from '../../../core/calendar/vn-time.ts';

/** The ready-made periods; 'custom' is a range typed by hand. */
export const PERIOD_PRESETS = ['month', 'lastMonth', 'quarter', 'year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export type Period = { from: string; to: string };

/** Today in Vietnam, whatever the device's zone. */
export function vnToday(now = new Date()): string {
  return dayNumberToLocalDate(toDayNumber(now.getTime()));
}

const iso = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);

/**
 * A preset as dates: this month, last month (whole), this quarter or this year, each up to today (a
 * period that has not ended stops today, so the in-progress figures are today's).
 */
export function presetPeriod(preset: PeriodPreset, today = vnToday()): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'month':
      return { from: iso(year, month, 1), to: today };
    case 'lastMonth':
      // Day 0 of this month is the last day of the previous one.
      return { from: iso(year, month - 1, 1), to: iso(year, month, 0) };
    case 'quarter':
      return { from: iso(year, month - ((month - 1) % 3), 1), to: today };
    case 'year':
      return { from: iso(year, 1, 1), to: today };
  }
}

/** The preset a period is, or 'custom'. */
export function presetOf(period: Period, today = vnToday()): PeriodPreset | 'custom' {
  return (
    PERIOD_PRESETS.find((p) => {
      const q = presetPeriod(p, today);
      return q.from === period.from && q.to === period.to;
    }) ?? 'custom'
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period from the URL, else this month. */
export function periodFrom(params: URLSearchParams, today = vnToday()): Period {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (ISO_DATE.test(from) && ISO_DATE.test(to) && from <= to) return { from, to };
  return presetPeriod('month', today);
}

/**
 * Every day (or month) of a period, as the trend's keys are written (YYYY-MM-DD, YYYY-MM): the server
 * sends only those with figures, and a chart with gaps for weekends reads as a chart of fewer days.
 */
export function periodKeys(period: Period, granularity: 'day' | 'month'): string[] {
  const keys: string[] = [];
  if (granularity === 'month') {
    let [year, month] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
    const last = period.to.slice(0, 7);
    for (let key = period.from.slice(0, 7); key <= last && keys.length < 240; ) {
      keys.push(key);
      month += 1;
      if (month > 12) [year, month] = [year + 1, 1];
      key = `${year}-${String(month).padStart(2, '0')}`;
    }
    return keys;
  }
  for (let t = Date.parse(period.from); t <= Date.parse(period.to) && keys.length < 400; t += 86_400_000)
    keys.push(new Date(t).toISOString().slice(0, 10));
  return keys;
}
