/** The periods of the periodic report: a month, a quarter, a year (Vietnam's calendar days). */
export type Frequency = 'monthly' | 'quarterly' | 'yearly';
export type Period = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The period of this frequency that contains `day`. */
export function periodContaining(frequency: Frequency, day: string): Period {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const [first, last] =
    frequency === 'monthly'
      ? [month, month]
      : frequency === 'quarterly'
        ? [Math.floor((month - 1) / 3) * 3 + 1, Math.floor((month - 1) / 3) * 3 + 3]
        : [1, 12];
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` };
}

/** The last whole period before the one containing `today`: what a schedule reports on `today`. */
export function lastCompletedPeriod(frequency: Frequency, today: string): Period {
  const current = periodContaining(frequency, today);
  const before = new Date(`${current.from}T00:00:00Z`);
  before.setUTCDate(before.getUTCDate() - 1);
  return periodContaining(frequency, before.toISOString().slice(0, 10));
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

/** What a period is called: a whole month, quarter or year, else the days it runs from and to. */
export type PeriodName =
  | { kind: 'month'; month: number; year: number }
  | { kind: 'quarter'; quarter: string; year: number }
  | { kind: 'year'; year: number }
  | { kind: 'range' };

export function periodName(period: Period): PeriodName {
  const [fy, fm, fd] = period.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = period.to.split('-').map(Number) as [number, number, number];
  if (fy !== ty || fd !== 1 || td !== lastDay(ty, tm)) return { kind: 'range' };
  if (fm === tm) return { kind: 'month', month: fm, year: fy };
  if (fm === 1 && tm === 12) return { kind: 'year', year: fy };
  if (tm - fm === 2 && (fm - 1) % 3 === 0)
    return { kind: 'quarter', quarter: ROMAN[(fm - 1) / 3] ?? '', year: fy };
  return { kind: 'range' };
}

/** "Tháng 10 năm 2026", "Quý III năm 2026", "Năm 2026", or "Từ 01/07/2025 đến 18/07/2025". */
export function periodLabel(period: Period): string {
  const name = periodName(period);
  const short = (d: string) => d.split('-').reverse().join('/');
  switch (name.kind) {
    case 'month':
      return `Tháng ${name.month} năm ${name.year}`;
    case 'quarter':
      return `Quý ${name.quarter} năm ${name.year}`;
    case 'year':
      return `Năm ${name.year}`;
    default:
      return `Từ ${short(period.from)} đến ${short(period.to)}`;
  }
}
