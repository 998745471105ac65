import { CONFIRMED_OFFICIAL_SCHEDULE } from '../calendar/test-fixtures.ts';
import { createWorkCalendar } from '../calendar/work-calendar.ts';
import type { ProcedureDefinition } from '../catalog/procedure.schemas.ts';

/** A three-step, three-working-day procedure for tests of the pure machine. */
export const TEST_PROCEDURE: Pick<ProcedureDefinition, 'duration' | 'steps' | 'interAgency'> = {
  duration: { amount: 3, unit: 'working_days' },
  steps: [
    { key: 'review', name: 'Thẩm định', role: 'specialist', budgetHours: 12 },
    { key: 'check', name: 'Kiểm tra', role: 'department_head', budgetHours: 6 },
    { key: 'sign', name: 'Phê duyệt', role: 'commune_leader', budgetHours: 4 },
  ],
  interAgency: { agency: 'Văn phòng đăng ký đất đai', budgetDays: 2 },
};

/** The calendar as published (2025: 30 April–4 May off, 26 April worked; Tết 2025 and 2026). */
export const TEST_CALENDAR = createWorkCalendar({ officialSchedule: CONFIRMED_OFFICIAL_SCHEDULE });
