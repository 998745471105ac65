import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import { type Frequency, lastCompletedPeriod, type Period } from '../../../core/stats/report-periods.ts';
import { vnToday } from '../stats/period.ts';

/** The report form's periods: the last whole month, quarter or year (as a schedule makes them), or typed. */
export const REPORT_PRESETS = ['lastMonth', 'lastQuarter', 'lastYear'] as const;
export type ReportPreset = (typeof REPORT_PRESETS)[number];

const FREQUENCY_OF: Record<ReportPreset, Frequency> = {
  lastMonth: 'monthly',
  lastQuarter: 'quarterly',
  lastYear: 'yearly',
};

export const reportPresetPeriod = (preset: ReportPreset, today = vnToday()): Period =>
  lastCompletedPeriod(FREQUENCY_OF[preset], today);

/** The preset a period is, or 'custom'. */
export function reportPresetOf(period: Period, today = vnToday()): ReportPreset | 'custom' {
  return (
    REPORT_PRESETS.find((p) => {
      const q = reportPresetPeriod(p, today);
      return q.from === period.from && q.to === period.to;
    }) ?? 'custom'
  );
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

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

/** The unit a code names, from its length: 'VN', a province (2 digits) or a commune (5 digits). */
export const unitLevel = (code: string): 'nation' | 'province' | 'commune' =>
  code === 'VN' ? 'nation' : code.length === 2 ? 'province' : 'commune';

/**
 * Who may keep a unit's report schedules: the server's canScheduleReports (reports.service.ts), so the
 * form is not offered to those it would refuse. `provinceCode` is the commune's province.
 */
export function canScheduleReports(
  staff: Pick<StaffPrincipal, 'role' | 'unitCode'>,
  unit: { code: string; provinceCode: string | null },
) {
  const level = unitLevel(unit.code);
  switch (staff.role) {
    case 'system_admin':
      return true;
    case 'province_admin':
      return level !== 'nation' && (unit.code === staff.unitCode || unit.provinceCode === staff.unitCode);
    case 'centre_director':
    case 'commune_leader':
    case 'commune_admin':
      return level === 'commune' && unit.code === staff.unitCode;
    default:
      return false;
  }
}

/** 12,5 KB, 1,2 MB: a file's size in the reader's language. */
export function formatSize(bytes: number, language: string) {
  const number = (x: number) =>
    new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, { maximumFractionDigits: 1 }).format(x);
  if (bytes < 1024) return `${number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} KB`;
  return `${number(bytes / 1024 / 1024)} MB`;
}
