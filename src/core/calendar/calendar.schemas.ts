import { z } from 'zod';
import { HOLIDAY_KEYS } from './holidays.ts';
import { OfficialScheduleEntry } from './schemas.ts';
import { DURATION_UNITS } from './work-calendar.ts';

/** GET /api/calendar/due: the due date of a duration from a start, in Vietnam time (ISO 8601, +07:00). */
export const DueAnswer = z.object({
  due: z.string(),
  start: z.string(),
  clockStart: z.string().describe('the next office moment from the start'),
  amount: z.number(),
  unit: z.enum(DURATION_UNITS),
  unitCode: z.string().nullable(),
});
export type DueAnswer = z.infer<typeof DueAnswer>;

/** A day off besides an ordinary weekend: a holiday, a compensatory day, or an official one. */
export const DayOffItem = z.object({
  date: z.string(),
  reason: z.enum([...HOLIDAY_KEYS, 'official']),
  source: z.enum(['statutory', 'official']),
  compensatory: z.boolean(),
  name_vi: z.string(),
  name_en: z.string(),
  note: z.string().optional(),
});
export type DayOffItem = z.infer<typeof DayOffItem>;

/** GET /api/calendar/days-off. */
export const DaysOff = z.object({
  year: z.number(),
  unitCode: z.string().nullable(),
  items: z.array(DayOffItem),
});
export type DaysOff = z.infer<typeof DaysOff>;

/** An official schedule entry as stored: national (provinceCode null) or a province's own. */
export const ScheduleItem = OfficialScheduleEntry.extend({
  id: z.number(),
  provinceCode: z.string().nullable(),
  date: z.string(),
  note: z.string(),
});
export type ScheduleItem = z.infer<typeof ScheduleItem>;

/** GET /api/calendar/schedule. */
export const ScheduleList = z.object({ items: z.array(ScheduleItem) });
export type ScheduleList = z.infer<typeof ScheduleList>;

const HoursOfDay = (error: string) => z.string().regex(/^\d{2}:\d{2}$/, { error });

/** PUT /api/calendar/office-hours/:unitCode: a commune's office hours and same-day cut-off. */
export const OfficeHours = z.object({
  officeHours: z
    .array(
      z.object({
        start: HoursOfDay('Giờ bắt đầu dạng HH:MM'),
        end: HoursOfDay('Giờ kết thúc dạng HH:MM'),
      }),
    )
    .min(1, { error: 'Cần ít nhất một ca làm việc' })
    .max(4, { error: 'Tối đa 4 ca làm việc' }),
  sameDayCutoff: HoursOfDay('Giờ chốt nhận trong ngày dạng HH:MM'),
});
export type OfficeHours = z.infer<typeof OfficeHours>;

/** GET and PUT /api/calendar/office-hours/:unitCode: the hours in force (the default when none were set). */
export const UnitOfficeHours = OfficeHours.extend({ unitCode: z.string(), isDefault: z.boolean() });
export type UnitOfficeHours = z.infer<typeof UnitOfficeHours>;
