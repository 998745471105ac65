import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { DocumentDigitization } from '../../core/documents/digitization.ts';
import type {
  Assisted,
  StoredApplicant,
  StoredComponent,
  StoredFees,
} from '../../core/dossiers/dossier-views.schemas.ts';

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
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Date | null;
};

export type StaffSessionTable = {
  token_hash: string;
  account_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  csrf_token: string;
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
  chain: string | null;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  ip: string | null;
  user_agent: string | null;
};

export type AuditChainHeadTable = {
  chain: string;
  seq: number;
  hash: string;
  /** The hash before the last entry's (migration 0019), read back by the entry as its prev_hash. */
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ProcedureVersionTable = {
  id: Generated<number>;
  code: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  name: string;
  name_folded: string;
  field: string;
  online_level: string;
  definition: JSONColumnType<Record<string, unknown>>;
  created_by: number | null;
  created_at: Generated<Date>;
  published_by: number | null;
  published_at: Timestamp | null;
  /** 'VN' for the national version, a province code for that province's variant. */
  scope: Generated<string>;
};

type Json<T extends object> = JSONColumnType<T, string, string>;

export type DossierTable = {
  id: Generated<number>;
  code: string;
  procedure_version_id: number;
  procedure_code: string;
  channel: 'counter' | 'online' | 'postal';
  support_unit_code: string;
  receiving_unit_code: string;
  competent_unit_code: string;
  province_code: string;
  rule_version: string;
  applicant_citizen_id: string;
  applicant_name: string;
  applicant_name_folded: string;
  applicant: Json<StoredApplicant>;
  components: Json<StoredComponent[]>;
  fees: Json<StoredFees>;
  state: string;
  status_code: number;
  step_key: string | null;
  holder_role: string | null;
  holder_account_id: number | null;
  submitted_at: Timestamp;
  received_at: Timestamp | null;
  statutory_due_at: Timestamp | null;
  due_at: Timestamp | null;
  step_due_at: Timestamp | null;
  closed_at: Timestamp | null;
  snapshot: Json<Record<string, unknown>>;
  version: number;
  created_by: number | null;
  created_by_citizen: ColumnType<number | null, number | null | undefined, number | null>;
  assisted: ColumnType<Assisted | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
};

export type DossierEventTable = {
  dossier_id: number;
  seq: number;
  type: string;
  at: Timestamp;
  actor_id: number | null;
  actor_citizen_id: ColumnType<number | null, number | null | undefined, number | null>;
  actor_role: string;
  data: Json<Record<string, unknown>>;
};

export type DossierCodeCounterTable = { unit_code: string; day: string; last_seq: number };

export type IdempotencyKeyTable = {
  scope: string;
  key: string;
  route: string;
  request_hash: string;
  status_code: number | null;
  response: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Generated<Date>;
};

export type StoredFileTable = {
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  pages: number | null;
  created_at: ColumnType<Date, undefined, never>;
};

export type DocumentTable = {
  id: Generated<number>;
  sha256: string;
  citizen_id: string;
  dossier_id: number | null;
  component_key: string | null;
  name: string;
  digitization: DocumentDigitization;
  reused_from: number | null;
  is_result: ColumnType<boolean, boolean | undefined, boolean>;
  unit_code: string;
  created_by: number | null;
  created_by_citizen: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

export type CitizenAccountTable = {
  id: Generated<number>;
  issuer: string;
  subject: string;
  citizen_id: string;
  full_name: string;
  date_of_birth: string | null;
  level: number;
  phone: string | null;
  email: string | null;
  address: string | null;
  created_at: Generated<Date>;
  last_sign_in_at: Timestamp;
};

export type CitizenSessionTable = {
  token_hash: string;
  citizen_account_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
};

export type CitizenDraftTable = {
  citizen_account_id: number;
  procedure_code: string;
  data: Json<Record<string, unknown>>;
  files: Json<Record<string, DraftFile>>;
  updated_at: Timestamp;
};

/** A file a citizen uploaded into a draft: stored, not yet a document of a dossier. */
export type DraftFile = {
  sha256: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  pages: number | null;
};

export type StoreConsentStatus = 'pending' | 'granted' | 'failed' | 'expired' | 'declined' | 'replaced';

/** A request for a citizen's consent to use their store for one dossier, and the grant once answered. */
export type StoreConsentTable = {
  id: Generated<number>;
  dossier_id: number;
  dossier_code: string;
  citizen_id: string;
  channel: 'sms' | 'portal';
  status: StoreConsentStatus;
  requested_by: number;
  unit_code: string;
  unit_name: string;
  requested_at: Timestamp;
  answer_by: Timestamp;
  code_hash: string | null;
  phone_last3: string | null;
  tries: ColumnType<number, number | undefined, number>;
  granted_at: Timestamp | null;
  granted_by_citizen: number | null;
  expires_at: Timestamp | null;
};

export type DossierRatingTable = {
  dossier_id: number;
  citizen_account_id: number | null;
  rating: 'very_satisfied' | 'satisfied' | 'not_satisfied';
  comment: string | null;
  created_at: Generated<Date>;
};

export type CertificateAuthorityTable = {
  id: Generated<number>;
  name: string;
  certificate: Buffer;
  fingerprint_sha256: string;
  pkcs12: Buffer | null;
  demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

export type SigningCredentialTable = {
  id: Generated<number>;
  kind: 'officer' | 'seal';
  account_id: number | null;
  unit_code: string;
  provider: 'pkcs12' | 'pkcs11' | 'remote';
  pkcs12: Buffer | null;
  certificate: Buffer;
  subject: string;
  serial_number: string;
  not_before: Timestamp;
  not_after: Timestamp;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  failed_pins: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  created_by: number | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

export type DocumentNumberCounterTable = {
  unit_code: string;
  book: string;
  year: number;
  last_number: number;
};

export type ResultIssueTable = {
  document_id: number;
  dossier_id: number;
  dossier_code: string;
  unit_code: string;
  book: string;
  year: number;
  number: number;
  kind: string;
  signed_by: number;
  officer_credential_id: number;
  seal_credential_id: number;
  issued_at: Timestamp;
};

export type ReportScheduleTable = {
  id: Generated<number>;
  unit_code: string;
  frequency: 'monthly' | 'quarterly' | 'yearly';
  created_by: number;
  created_at: Generated<Date>;
};

export type ReportFileTable = {
  id: Generated<number>;
  unit_code: string;
  frequency: 'monthly' | 'quarterly' | 'yearly' | 'custom';
  period_from: ColumnType<string, string, string>;
  period_to: ColumnType<string, string, string>;
  format: 'xlsx' | 'pdf';
  sha256: string;
  size_bytes: number;
  schedule_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
};

export type RestoreEpochTable = {
  epoch: number;
  backup_taken_at: Date;
  restored_at: Date;
  code_gap: number;
  book_gap: number;
  first_day: ColumnType<string, string, string>;
  last_day: ColumnType<string, string, string>;
};

export type NumberVoidTable = {
  id: Generated<number>;
  kind: 'dossier_code' | 'book_number';
  unit_code: string;
  scope: string;
  from_seq: number;
  to_seq: number;
  reason: string;
  epoch: number | null;
  created_at: Generated<Date>;
};

export type JobTable = {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string | null;
  state: ColumnType<'pending' | 'done' | 'dead', 'pending' | 'done' | 'dead' | undefined>;
  run_at: ColumnType<Date, Date | string, Date | string>;
  attempts: Generated<number>;
  max_attempts: number;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  locked_by: string | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
};

export type NotificationTable = {
  id: Generated<number>;
  dossier_id: number;
  unit_code: string;
  event: string;
  template_version: number;
  channel: 'zalo' | 'sms' | 'email';
  recipient: string;
  locale: ColumnType<'vi' | 'en' | 'fr', 'vi' | 'en' | 'fr' | undefined>;
  facts: ColumnType<Record<string, string>, string, string>;
  status: ColumnType<
    'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled',
    'pending' | undefined,
    'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled'
  >;
  attempts: Generated<number>;
  tracking_id: string;
  provider_message_id: string | null;
  last_error: string | null;
  fallback_of: number | null;
  dedupe_key: string;
  created_at: ColumnType<Date, Date | string, never>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
};

export type DevMessageTable = {
  id: Generated<number>;
  channel: 'zalo' | 'sms' | 'email';
  recipient: string;
  tracking_id: string;
  template: string | null;
  subject: string | null;
  body: string;
  created_at: ColumnType<Date, Date | string, never>;
};

export type DB = {
  notification: NotificationTable;
  dev_message: DevMessageTable;
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
  audit_chain_head: AuditChainHeadTable;
  procedure_version: ProcedureVersionTable;
  dossier: DossierTable;
  dossier_event: DossierEventTable;
  dossier_code_counter: DossierCodeCounterTable;
  idempotency_key: IdempotencyKeyTable;
  job: JobTable;
  stored_file: StoredFileTable;
  document: DocumentTable;
  certificate_authority: CertificateAuthorityTable;
  signing_credential: SigningCredentialTable;
  document_number_counter: DocumentNumberCounterTable;
  result_issue: ResultIssueTable;
  citizen_account: CitizenAccountTable;
  citizen_session: CitizenSessionTable;
  citizen_draft: CitizenDraftTable;
  dossier_rating: DossierRatingTable;
  report_schedule: ReportScheduleTable;
  report_file: ReportFileTable;
  restore_epoch: RestoreEpochTable;
  number_void: NumberVoidTable;
  store_consent: StoreConsentTable;
};
