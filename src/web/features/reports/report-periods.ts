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

export { type PeriodName, periodName } from '../../../core/stats/report-periods.ts';

/** The unit a code names, from its length: 'VN', a province (2 digits) or a commune (5 digits). */
export const unitLevel = (code: string): 'nation' | 'province' | 'commune' =>
  code === 'VN' ? 'nation' : code.length === 2 ? 'province' : 'commune';

/** 12,5 KB, 1,2 MB: a file's size in the reader's language. */
export function formatSize(bytes: number, language: string) {
  const number = (x: number) =>
    new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, { maximumFractionDigits: 1 }).format(x);
  if (bytes < 1024) return `${number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} KB`;
  return `${number(bytes / 1024 / 1024)} MB`;
}
