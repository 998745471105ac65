import { describe, expect, it } from 'vitest';
import { formatSize, periodName, reportPresetOf, reportPresetPeriod } from './report-periods.ts';

describe('report periods', () => {
  it('turns the presets into the last whole month, quarter and year', () => {
    const today = '2026-11-05';
    expect(reportPresetPeriod('lastMonth', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(reportPresetPeriod('lastQuarter', today)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(reportPresetPeriod('lastYear', today)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(reportPresetOf({ from: '2026-07-01', to: '2026-09-30' }, today)).toBe('lastQuarter');
    expect(reportPresetOf({ from: '2025-07-01', to: '2025-07-18' }, today)).toBe('custom');
  });

  it('names a whole month, quarter or year, else the range', () => {
    expect(periodName({ from: '2026-10-01', to: '2026-10-31' })).toEqual({
      kind: 'month',
      month: 10,
      year: 2026,
    });
    expect(periodName({ from: '2026-07-01', to: '2026-09-30' })).toEqual({
      kind: 'quarter',
      quarter: 'III',
      year: 2026,
    });
    expect(periodName({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ kind: 'year', year: 2025 });
    expect(periodName({ from: '2025-07-01', to: '2025-07-18' })).toEqual({ kind: 'range' });
    expect(periodName({ from: '2025-02-01', to: '2025-03-31' })).toEqual({ kind: 'range' });
    expect(periodName({ from: '2024-02-01', to: '2024-02-29' })).toEqual({
      kind: 'month',
      month: 2,
      year: 2024,
    });
  });

  it('writes sizes in the reader’s language', () => {
    expect(formatSize(12_800, 'vi')).toBe('12,5 KB');
    expect(formatSize(1_258_291, 'en')).toBe('1.2 MB');
  });
});
