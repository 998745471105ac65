import { describe, expect, it } from 'vitest';
import { lastCompletedPeriod, periodContaining, periodLabel } from './report-periods.ts';

describe('report periods', () => {
  it('finds the month, quarter and year around a day, leap February included', () => {
    expect(periodContaining('monthly', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodContaining('quarterly', '2026-08-31')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(periodContaining('yearly', '2026-11-30')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('reports on the last whole period, across the turn of the year', () => {
    expect(lastCompletedPeriod('monthly', '2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(lastCompletedPeriod('quarterly', '2026-11-30')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(lastCompletedPeriod('yearly', '2026-03-15')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('names a period as the report heading does', () => {
    expect(periodLabel({ from: '2026-10-01', to: '2026-10-31' })).toBe('Tháng 10 năm 2026');
    expect(periodLabel({ from: '2026-07-01', to: '2026-09-30' })).toBe('Quý III năm 2026');
    expect(periodLabel({ from: '2025-01-01', to: '2025-12-31' })).toBe('Năm 2025');
    expect(periodLabel({ from: '2025-07-01', to: '2025-07-18' })).toBe('Từ 01/07/2025 đến 18/07/2025');
  });
});
