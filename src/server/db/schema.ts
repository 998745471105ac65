import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely's view of the tables; SQL names stay snake_case as in the migrations. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type AdminUnitTable = {
  id: Generated<number>;
  code: string;
  level: 'province' | 'district' | 'commune';
  name: string;
  type: string;
  province_code: string;
  province_name: string;
  district_code: string | null;
  district_name: string | null;
  valid_from: string | null;
  valid_to: string | null;
  source: ColumnType<'official' | 'crosswalk', 'official' | 'crosswalk' | undefined>;
  name_folded: string;
  bare_name_folded: string;
};

export type UnitRelation =
  | 'whole'
  | 'partial'
  | 'partial_area'
  | 'partial_area_whole_population'
  | 'unchanged'
  | 'type_changed'
  | 'renamed';

export type UnitSuccessionTable = {
  old_unit_id: number;
  new_unit_id: number;
  relation: UnitRelation;
  note_vi: ColumnType<string, string | undefined>;
};

export type VillageTable = {
  id: Generated<number>;
  commune_code: string;
  old_commune_code: string | null;
  kind: string;
  created_at: Generated<Date>;
};

export type VillageNameTable = {
  id: Generated<number>;
  village_id: number;
  name: string;
  name_folded: string;
  valid_from: string;
  valid_to: string | null;
};

export type AppMetaTable = {
  key: string;
  value: JSONColumnType<Record<string, unknown>>;
  updated_at: Generated<Date>;
};

export type HolidayScheduleEntryTable = {
  id: Generated<number>;
  province_code: string | null;
  date: string;
  kind: 'day_off' | 'working_day';
  holiday: string;
  note: ColumnType<string, string | undefined>;
  created_by: number | null;
  created_at: Generated<Date>;
};

export type UnitOfficeHoursTable = {
  unit_code: string;
  office_hours: JSONColumnType<{ start: string; end: string }[]>;
  same_day_cutoff: string;
  updated_by: number | null;
  updated_at: Timestamp;
};

export type StaffAccountTable = {
  id: Generated<number>;
  username: string;
  password_hash: string;
  full_name: string;
  role: string;
  unit_code: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
};

export type StaffSessionTable = {
  token_hash: string;
  account_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  unit_code: string | null;
  details: JSONColumnType<Record<string, unknown>>;
  request_id: string | null;
};

export type DB = {
  admin_unit: AdminUnitTable;
  unit_succession: UnitSuccessionTable;
  village: VillageTable;
  village_name: VillageNameTable;
  app_meta: AppMetaTable;
  holiday_schedule_entry: HolidayScheduleEntryTable;
  unit_office_hours: UnitOfficeHoursTable;
  staff_account: StaffAccountTable;
  staff_session: StaffSessionTable;
  audit_log: AuditLogTable;
};
