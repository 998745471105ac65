import { describe, expect, it } from 'vitest';
import { Duration, OfficialScheduleEntry } from './index.ts';

describe('zod schemas', () => {
  it('parses durations', () => {
    expect(Duration.parse({ amount: 3, unit: 'working_days' })).toEqual({ amount: 3, unit: 'working_days' });
    expect(Duration.parse({ amount: 0.5, unit: 'working_hours' })).toEqual({
      amount: 0.5,
      unit: 'working_hours',
    });
  });

  it('rejects bad durations with Vietnamese messages', () => {
    const negative = Duration.safeParse({ amount: -1, unit: 'working_days' });
    expect(negative.success).toBe(false);
    expect(negative.error?.issues[0]?.message).toBe('Thời hạn không được âm');
    const unit = Duration.safeParse({ amount: 1, unit: 'weeks' });
    expect(unit.error?.issues[0]?.message).toMatch(/^Đơn vị thời hạn không hợp lệ/);
    const fraction = Duration.safeParse({ amount: 1.5, unit: 'calendar_days' });
    expect(fraction.error?.issues[0]).toMatchObject({
      path: ['amount'],
      message: 'Số ngày theo lịch phải là số nguyên',
    });
    expect(Duration.safeParse({ amount: Number.POSITIVE_INFINITY, unit: 'same_day' }).success).toBe(false);
    expect(Duration.safeParse({ amount: '3', unit: 'same_day' }).error?.issues[0]?.message).toBe(
      'Thời hạn phải là một số',
    );
  });

  it('parses official schedule entries', () => {
    const entry = {
      date: '2025-04-26',
      kind: 'working_day',
      holiday: 'reunification_labour',
      note: 'Làm bù',
    };
    expect(OfficialScheduleEntry.parse(entry)).toEqual(entry);
    expect(OfficialScheduleEntry.parse({ date: '2025-07-08', kind: 'day_off', holiday: 'other' })).toEqual({
      date: '2025-07-08',
      kind: 'day_off',
      holiday: 'other',
    });
  });

  it('rejects bad entries with Vietnamese messages', () => {
    const message = (value: unknown) => OfficialScheduleEntry.safeParse(value).error?.issues[0]?.message;
    expect(message({ date: '26/04/2025', kind: 'day_off', holiday: 'tet' })).toBe(
      'Ngày không hợp lệ (định dạng YYYY-MM-DD)',
    );
    expect(message({ date: '2025-02-29', kind: 'day_off', holiday: 'tet' })).toBe(
      'Ngày không tồn tại trong lịch',
    );
    expect(message({ date: '2025-02-03', kind: 'off', holiday: 'tet' })).toMatch(/^Loại ngày phải là/);
    expect(message({ date: '2025-02-03', kind: 'day_off', holiday: 'xmas' })).toBe('Mã ngày lễ không hợp lệ');
  });
});
