import type { OfficialScheduleEntry } from './calendar-rules.ts';
import type { HolidayKey } from './holidays.ts';
import { addDaysToLocalDate, formatVnIso, parseIso } from './vn-time.ts';

/** Vietnam local wall time, e.g. vn('2025-07-07T09:00'); no offset means +07:00. */
export const vn = (local: string): Date => parseIso(local);
export const iso = (d: Date): string => formatVnIso(d);

function daysOff(from: string, to: string, holiday: HolidayKey, note?: string): OfficialScheduleEntry[] {
  const entries: OfficialScheduleEntry[] = [];
  for (let d = from; d <= to; d = addDaysToLocalDate(d, 1)) {
    entries.push({ date: d, kind: 'day_off', holiday, ...(note ? { note } : {}) });
  }
  return entries;
}

/** The confirmed official schedules quoted in docs/domain.md. */
export const CONFIRMED_OFFICIAL_SCHEDULE: OfficialScheduleEntry[] = [
  ...daysOff('2025-01-25', '2025-02-02', 'tet', 'Tết Ất Tỵ 2025'),
  ...daysOff(
    '2025-04-30',
    '2025-05-04',
    'reunification_labour',
    'Hoán đổi ngày làm việc 2/5 với thứ Bảy 26/4',
  ),
  { date: '2025-04-26', kind: 'working_day', holiday: 'reunification_labour', note: 'Làm bù cho ngày 2/5' },
  ...daysOff('2026-02-14', '2026-02-22', 'tet', 'Tết Bính Ngọ 2026'),
];
