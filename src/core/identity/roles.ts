import { z } from 'zod';

/** Staff roles; each account is scoped to one unit: a commune, a province, or the nation ('VN'). */
export const StaffRole = z.enum([
  'reception_officer',
  'specialist',
  'department_head',
  'commune_leader',
  'centre_director',
  'commune_admin',
  'support_volunteer',
  'province_admin',
  'province_inspector',
  'ministry_viewer',
  'system_admin',
]);
export type StaffRole = z.infer<typeof StaffRole>;

/** Who can cause a dossier event: an officer, or the applicant online with their VNeID. */
export type ActorRole = StaffRole | 'citizen';

/** How documents and lists name each role. */
export const ROLE_TITLES_VI: Record<StaffRole, string> = {
  reception_officer: 'Cán bộ tiếp nhận',
  specialist: 'Chuyên viên',
  department_head: 'Trưởng phòng',
  commune_leader: 'Lãnh đạo UBND',
  centre_director: 'Giám đốc Trung tâm',
  commune_admin: 'Quản trị',
  support_volunteer: 'Tình nguyện viên',
  province_admin: 'Quản trị tỉnh',
  province_inspector: 'Thanh tra tỉnh',
  ministry_viewer: 'Cán bộ Bộ',
  system_admin: 'Quản trị hệ thống',
};

export type StaffPrincipal = {
  id: number;
  username: string;
  fullName: string;
  role: StaffRole;
  /** Commune code, province code, or 'VN'. */
  unitCode: string;
  /** The province the account belongs to (null for national accounts). */
  provinceCode: string | null;
};

/** May this person change the reference data (villages, office hours) of a commune? */
export function canAdministerCommune(staff: StaffPrincipal, commune: { code: string; provinceCode: string }) {
  if (staff.role === 'system_admin') return true;
  if (staff.role === 'province_admin') return staff.unitCode === commune.provinceCode;
  return (
    (staff.role === 'commune_admin' || staff.role === 'centre_director') && staff.unitCode === commune.code
  );
}

/** May this person edit the official holiday schedule of a province (or the nation's, when null)? */
export function canEditHolidaySchedule(staff: StaffPrincipal, provinceCode: string | null) {
  if (staff.role === 'system_admin') return true;
  return provinceCode !== null && staff.role === 'province_admin' && staff.unitCode === provinceCode;
}
