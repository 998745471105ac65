import { describe, expect, it } from 'vitest';
import { periodFrom, periodKeys, presetOf, presetPeriod, vnToday } from './period.ts';

describe('stats periods', () => {
  it('reads today in Vietnam time, not the device zone', () => {
    expect(vnToday(new Date('2025-11-30T18:30:00Z'))).toBe('2025-12-01');
  });

  it('turns the presets into dates up to today', () => {
    const today = '2025-11-20';
    expect(presetPeriod('month', today)).toEqual({ from: '2025-11-01', to: today });
    expect(presetPeriod('lastMonth', today)).toEqual({ from: '2025-10-01', to: '2025-10-31' });
    expect(presetPeriod('quarter', today)).toEqual({ from: '2025-10-01', to: today });
    expect(presetPeriod('year', today)).toEqual({ from: '2025-01-01', to: today });
    expect(presetPeriod('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('lastMonth', '2024-03-05')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('recognises a preset, else custom, and falls back to this month', () => {
    expect(presetOf({ from: '2025-10-01', to: '2025-10-31' }, '2025-11-20')).toBe('lastMonth');
    expect(presetOf({ from: '2025-10-02', to: '2025-10-31' }, '2025-11-20')).toBe('custom');
    expect(periodFrom(new URLSearchParams('from=2025-12-01&to=2025-11-01'), '2025-11-20')).toEqual({
      from: '2025-11-01',
      to: '2025-11-20',
    });
  });
});

describe('trend keys', () => {
  it('lists every day or month of a period', () => {
    expect(periodKeys({ from: '2025-10-30', to: '2025-11-02' }, 'day')).toEqual([
      '2025-10-30',
      '2025-10-31',
      '2025-11-01',
      '2025-11-02',
    ]);
    expect(periodKeys({ from: '2025-11-15', to: '2026-02-01' }, 'month')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
});
