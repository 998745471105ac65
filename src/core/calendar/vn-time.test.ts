import { describe, expect, it } from 'vitest';
import {
  addDaysToLocalDate,
  dayOfWeek,
  formatVnIso,
  fromLocal,
  isValidLocalDate,
  localMinutesOfDay,
  parseIso,
  toLocalDate,
} from './vn-time.ts';

describe('vn-time (fixed UTC+7)', () => {
  it('reads the local date and minutes of an instant regardless of the process time zone', () => {
    const instant = new Date('2025-06-30T17:30:00Z'); // 00:30 on 1 July in Vietnam
    expect(toLocalDate(instant)).toBe('2025-07-01');
    expect(localMinutesOfDay(instant)).toBe(30);
    expect(toLocalDate(new Date('2025-06-30T16:59:59.999Z'))).toBe('2025-06-30');
    expect(localMinutesOfDay(new Date('2025-06-30T16:59:59.999Z'))).toBe(23 * 60 + 59);
  });

  it('builds an instant from a local date and minutes', () => {
    expect(fromLocal('2025-07-01', 8 * 60).toISOString()).toBe('2025-07-01T01:00:00.000Z');
    expect(fromLocal('2025-01-01', 0).toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });

  it('gives the day of week of a local date (0 = Sunday)', () => {
    expect(dayOfWeek('2025-07-01')).toBe(2);
    expect(dayOfWeek('2026-04-26')).toBe(0);
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1900-01-01')).toBe(1);
  });

  it('adds days across months, leap days and years', () => {
    expect(addDaysToLocalDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToLocalDate('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDaysToLocalDate('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDaysToLocalDate('2026-01-01', -1)).toBe('2025-12-31');
    expect(() => addDaysToLocalDate('2025-01-01', 0.5)).toThrow(RangeError);
  });

  it('validates local dates as real calendar dates', () => {
    expect(isValidLocalDate('2024-02-29')).toBe(true);
    expect(isValidLocalDate('2025-02-29')).toBe(false);
    expect(isValidLocalDate('2025-13-01')).toBe(false);
    expect(isValidLocalDate('2025-1-01')).toBe(false);
    expect(() => dayOfWeek('2025-02-30')).toThrow(RangeError);
  });

  it('formats with a +07:00 offset and keeps milliseconds only when present', () => {
    expect(formatVnIso(new Date('2025-07-01T01:00:00Z'))).toBe('2025-07-01T08:00:00+07:00');
    expect(formatVnIso(new Date('2025-07-01T01:00:00.250Z'))).toBe('2025-07-01T08:00:00.250+07:00');
    expect(formatVnIso(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01T00:00:00+07:00');
  });

  it('parses ISO with any offset, and reads a missing offset as Vietnam time', () => {
    expect(parseIso('2025-07-01T08:00:00+07:00').toISOString()).toBe('2025-07-01T01:00:00.000Z');
    expect(parseIso('2025-07-01T01:00:00Z').toISOString()).toBe('2025-07-01T01:00:00.000Z');
    expect(parseIso('2025-07-01T03:00:00+0900').toISOString()).toBe('2025-06-30T18:00:00.000Z');
    expect(parseIso('2025-07-01T08:00').toISOString()).toBe('2025-07-01T01:00:00.000Z');
    expect(parseIso('2025-07-01').toISOString()).toBe('2025-06-30T17:00:00.000Z');
    expect(parseIso('2025-07-01T08:00:00.5+07:00').toISOString()).toBe('2025-07-01T01:00:00.500Z');
    const instant = new Date('2031-03-04T05:06:07.089Z');
    expect(parseIso(formatVnIso(instant)).getTime()).toBe(instant.getTime());
  });

  it('rejects invalid ISO strings and invalid dates', () => {
    for (const bad of [
      '2025-02-30',
      '2025-07-01T24:00',
      '2025-07-01T08:60',
      'hôm nay',
      '2025-07-01T08:00+25:00',
    ]) {
      expect(() => parseIso(bad), bad).toThrow(RangeError);
    }
    expect(() => toLocalDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
