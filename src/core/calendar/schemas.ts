import { z } from 'zod';
import type { OfficialScheduleEntry as OfficialScheduleEntryShape } from './calendar-rules.ts';
import { HOLIDAY_KEYS } from './holidays.ts';
import { isValidLocalDate } from './vn-time.ts';
import { DURATION_UNITS, type DueDuration } from './work-calendar.ts';

/** A statutory processing time: `amount` of `unit` (amount is ignored for 'same_day'). */
export const Duration = z
  .object({
    amount: z.number({ error: 'Thời hạn phải là một số' }).nonnegative({ error: 'Thời hạn không được âm' }),
    unit: z.enum(DURATION_UNITS, {
      error: 'Đơn vị thời hạn không hợp lệ (working_days, working_hours, calendar_days, same_day)',
    }),
  })
  // The calendar keeps the time of day for calendar days, so a fraction of a day has no meaning there.
  .refine((d) => d.unit !== 'calendar_days' || Number.isInteger(d.amount), {
    error: 'Số ngày theo lịch phải là số nguyên',
    path: ['amount'],
  });
export type Duration = z.infer<typeof Duration>;

export const LocalDate = z
  .string({ error: 'Ngày không hợp lệ (định dạng YYYY-MM-DD)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Ngày không hợp lệ (định dạng YYYY-MM-DD)' })
  .refine(isValidLocalDate, { error: 'Ngày không tồn tại trong lịch' });
export type LocalDate = z.infer<typeof LocalDate>;

export const OfficialScheduleEntry = z.object({
  date: LocalDate,
  kind: z.enum(['day_off', 'working_day'], {
    error: 'Loại ngày phải là day_off (nghỉ) hoặc working_day (làm việc)',
  }),
  holiday: z.enum([...HOLIDAY_KEYS, 'other'], { error: 'Mã ngày lễ không hợp lệ' }),
  note: z
    .string({ error: 'Ghi chú phải là chuỗi ký tự' })
    .max(500, { error: 'Ghi chú tối đa 500 ký tự' })
    .optional(),
});
export type OfficialScheduleEntry = z.infer<typeof OfficialScheduleEntry>;

// The schemas must stay interchangeable with the plain types the calendar itself uses.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEntry: Same<OfficialScheduleEntry, OfficialScheduleEntryShape> = true;
const sameDuration: Same<Duration, DueDuration> = true;
void sameEntry;
void sameDuration;
