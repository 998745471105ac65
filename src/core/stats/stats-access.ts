import type { StaffPrincipal } from '../identity/roles.ts';

/** A unit whose figures are asked for: the nation, a province, or a commune (with its province). */
export type StatsUnitRef = {
  code: string;
  level: 'nation' | 'province' | 'commune';
  provinceCode: string | null;
};

type Staff = Pick<StaffPrincipal, 'role' | 'unitCode'>;

const inProvince = (staff: Staff, unit: StatsUnitRef) =>
  unit.level !== 'nation' && (unit.code === staff.unitCode || unit.provinceCode === staff.unitCode);

/** Who may see a unit's figures: its own officers, its province's roles, the ministry. */
export function canSeeStats(staff: Staff, unit: StatsUnitRef): boolean {
  switch (staff.role) {
    case 'system_admin':
    case 'ministry_viewer':
      return true;
    case 'province_admin':
    case 'province_inspector':
      return inProvince(staff, unit);
    case 'support_volunteer':
      return false;
    default:
      return unit.level === 'commune' && unit.code === staff.unitCode;
  }
}

/** Who may keep a unit's report schedules: its leaders and administrators, the province's, the system's. */
export function canScheduleReports(staff: Staff, unit: StatsUnitRef): boolean {
  switch (staff.role) {
    case 'system_admin':
      return true;
    case 'province_admin':
      return inProvince(staff, unit);
    case 'centre_director':
    case 'commune_leader':
    case 'commune_admin':
      return unit.level === 'commune' && unit.code === staff.unitCode;
    default:
      return false;
  }
}
