import { describe, expect, it } from 'vitest';
import { listStatutoryHolidays } from './holidays.ts';
import { dayOfWeek } from './vn-time.ts';

const datesOf = (year: number, key: string, compensatory?: boolean) =>
  listStatutoryHolidays(year)
    .filter((h) => h.holiday === key && (compensatory === undefined || h.compensatory === compensatory))
    .map((h) => h.date);

describe('listStatutoryHolidays (Labour Code 2019 art. 112)', () => {
  it('puts Tết on the Vietnamese lunar new year', () => {
    expect(datesOf(2025, 'tet', false)).toEqual([
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
    ]);
    expect(datesOf(2026, 'tet', false)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
    expect(datesOf(2027, 'tet', false)).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
    ]);
  });

  it('uses the Vietnamese (UTC+7) calendar for Tết 2030: 2 Feb, where the Chinese calendar says 3 Feb', () => {
    // The new moon of early February 2030 falls just before midnight at UTC+7 but after it at UTC+8.
    const tet = listStatutoryHolidays(2030).filter((h) => h.holiday === 'tet' && !h.compensatory);
    expect(tet.map((h) => h.date)).toEqual([
      '2030-02-01',
      '2030-02-02',
      '2030-02-03',
      '2030-02-04',
      '2030-02-05',
    ]);
    expect(tet[1]?.name_vi).toBe('Tết Âm lịch (mùng 1)');
  });

  it('takes the eve as the last day of lunar month 12, whether it is the 29th or the 30th', () => {
    // Lunar 2024 month 12 has 29 days (eve 2025-01-28 is 29/12); lunar 2025 month 12 has 30 (eve 2026-02-16).
    expect(datesOf(2025, 'tet')[0]).toBe('2025-01-28');
    expect(datesOf(2026, 'tet')[0]).toBe('2026-02-16');
  });

  it('gives Tết compensatory days after the whole Tết block', () => {
    expect(datesOf(2025, 'tet', true)).toEqual(['2025-02-03']); // mùng 4 on Saturday
    expect(datesOf(2026, 'tet', true)).toEqual([]);
    expect(datesOf(2027, 'tet', true)).toEqual(['2027-02-10', '2027-02-11']); // mùng 1–2 on Sat–Sun
  });

  it('puts Hùng Kings day on 10/3 lunar with a compensatory day when on a weekend', () => {
    expect(datesOf(2025, 'hung_kings')).toEqual(['2025-04-07']);
    expect(datesOf(2026, 'hung_kings')).toEqual(['2026-04-26', '2026-04-27']);
    expect(dayOfWeek('2026-04-26')).toBe(0);
    expect(datesOf(2026, 'hung_kings', true)).toEqual(['2026-04-27']);
    expect(datesOf(2027, 'hung_kings')).toEqual(['2027-04-16']);
    expect(dayOfWeek('2027-04-16')).toBe(5);
  });

  it('gives 30/4 and 1/5 with compensatory days', () => {
    expect(datesOf(2025, 'reunification_labour')).toEqual(['2025-04-30', '2025-05-01']);
    expect(datesOf(2026, 'reunification_labour')).toEqual(['2026-04-30', '2026-05-01']);
    expect(dayOfWeek('2027-04-30')).toBe(5);
    expect(datesOf(2027, 'reunification_labour')).toEqual(['2027-04-30', '2027-05-01', '2027-05-03']);
    expect(datesOf(2027, 'reunification_labour', true)).toEqual(['2027-05-03']);
    // 2028: 30/4 is a Sunday and 1/5 the Monday, so the compensatory day is Tuesday.
    expect(datesOf(2028, 'reunification_labour', true)).toEqual(['2028-05-02']);
  });

  it('adds to 2 September the adjacent day that bridges to a weekend by default', () => {
    expect(datesOf(2025, 'national_day')).toEqual(['2025-09-01', '2025-09-02']); // Tuesday → Monday 1/9
    expect(dayOfWeek('2026-09-02')).toBe(3);
    expect(datesOf(2026, 'national_day')).toEqual(['2026-09-02', '2026-09-03']); // Wednesday → 3/9
    expect(datesOf(2027, 'national_day')).toEqual(['2027-09-02', '2027-09-03']); // Thursday → Friday 3/9
    expect(datesOf(2024, 'national_day')).toEqual(['2024-09-02', '2024-09-03']); // Monday → Tuesday 3/9
    expect(datesOf(2022, 'national_day')).toEqual(['2022-09-01', '2022-09-02']); // Friday → Thursday 1/9
    expect(datesOf(2028, 'national_day')).toEqual(['2028-09-01', '2028-09-02', '2028-09-04']); // Saturday
    expect(datesOf(2029, 'national_day')).toEqual(['2029-09-02', '2029-09-03', '2029-09-04']); // Sunday
  });

  it('adds Culture Day 24/11 from 2026 by default, configurable', () => {
    expect(datesOf(2025, 'culture_day')).toEqual([]);
    expect(datesOf(2026, 'culture_day')).toEqual(['2026-11-24']);
    expect(datesOf(2029, 'culture_day')).toEqual(['2029-11-24', '2029-11-26']); // Saturday
    const later = listStatutoryHolidays(2026, { cultureDayFromYear: 2027 });
    expect(later.some((h) => h.holiday === 'culture_day')).toBe(false);
  });

  it('gives a compensatory day when two holidays share a date (Hùng Kings on 30/4 in 1947)', () => {
    const april = listStatutoryHolidays(1947).filter(
      (h) => h.date.startsWith('1947-04') || h.date.startsWith('1947-05'),
    );
    expect(april.map((h) => [h.date, h.holiday, h.compensatory])).toEqual([
      ['1947-04-30', 'hung_kings', false],
      ['1947-04-30', 'reunification_labour', false],
      ['1947-05-01', 'reunification_labour', false],
      ['1947-05-02', 'reunification_labour', true],
    ]);
  });

  it('gives New Year a compensatory day when on a weekend', () => {
    expect(datesOf(2027, 'new_year')).toEqual(['2027-01-01']);
    expect(datesOf(2028, 'new_year')).toEqual(['2028-01-01', '2028-01-03']);
  });

  it('lists a whole year sorted with names in Vietnamese and English', () => {
    const year = listStatutoryHolidays(2026);
    expect(year.map((h) => h.date)).toEqual([...year.map((h) => h.date)].sort());
    expect(year).toHaveLength(13);
    expect(year[0]).toEqual({
      date: '2026-01-01',
      holiday: 'new_year',
      name_vi: 'Tết Dương lịch',
      name_en: "New Year's Day",
      compensatory: false,
    });
    expect(year.find((h) => h.date === '2026-04-27')?.name_vi).toBe('Nghỉ bù Giỗ Tổ Hùng Vương');
  });

  it('works over the whole 1900–2199 range and rejects years outside it', () => {
    for (let year = 1900; year <= 2199; year++) {
      const list = listStatutoryHolidays(year);
      const tet = list.filter((h) => h.holiday === 'tet' && !h.compensatory);
      expect(tet).toHaveLength(5);
      // Tết always falls between 20 January and 20 February.
      const newYearDay = tet[1]?.date ?? '';
      expect(newYearDay >= `${year}-01-20` && newYearDay <= `${year}-02-20`, newYearDay).toBe(true);
      const coinciding = year === 1917 || year === 1947 ? 1 : 0;
      expect(new Set(list.map((h) => h.date)).size).toBe(list.length - coinciding);
      for (const h of list) expect(h.date.startsWith(String(year))).toBe(true);
    }
    expect(() => listStatutoryHolidays(1899)).toThrow(RangeError);
    expect(() => listStatutoryHolidays(2200)).toThrow(RangeError);
    expect(() => listStatutoryHolidays(2025.5)).toThrow(RangeError);
  });
});
