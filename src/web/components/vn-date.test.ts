import { describe, expect, it } from 'vitest';
import { parseVnDate, toVnDate } from './vn-date.ts';

describe('dates typed day first', () => {
  it('reads the ways a counter officer types a date', () => {
    for (const typed of ['02/03/1985', '2/3/1985', '2-3-1985', '02.03.1985', '02031985', ' 2/3/1985 ']) {
      expect(parseVnDate(typed), typed).toBe('1985-03-02');
    }
  });

  it('refuses what is not a real date, rather than guessing', () => {
    for (const typed of ['31/02/2024', '29/02/2023', '13/13/2000', '1985-03-02', '2/3/85', '', 'hôm qua']) {
      expect(parseVnDate(typed), typed).toBeNull();
    }
    expect(parseVnDate('29/02/2024')).toBe('2024-02-29');
  });

  it('shows a stored date day first', () => {
    expect(toVnDate('1985-03-02')).toBe('02/03/1985');
    expect(toVnDate('')).toBe('');
  });
});
