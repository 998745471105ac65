import type { Kysely } from 'kysely';
import type { ProcedureDefinition } from '../../../core/catalog/procedure.schemas.ts';
import { templateOf } from '../../../core/documents/result-details.ts';
import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import type { IntakeInput } from '../../../core/dossiers/dossier-inputs.ts';
import { listAllowedActions } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import type { Channel } from '../../../core/dossiers/dossier-status.ts';
import type { StaffPrincipal, StaffRole } from '../../../core/identity/roles.ts';
import { createCalendarService } from '../../modules/calendar/calendar.service.ts';
import { createCatalogService } from '../../modules/catalog/catalog.service.ts';
import { createRecordLoader } from '../../modules/documents/dossier-record.ts';
import { createResultsService } from '../../modules/documents/results/results.service.ts';
import { createDossiersRepository } from '../../modules/dossiers/dossiers.repository.ts';
import { createDossiersService } from '../../modules/dossiers/dossiers.service.ts';
import { createIdentityService } from '../../modules/identity/identity.service.ts';
import { DEMO_SIGNING_PIN } from '../../modules/signing/demo-pki.ts';
import { createSigningService } from '../../modules/signing/signing.service.ts';
import { createUnitsRepository } from '../../modules/units/units.repository.ts';
import { createUnitsService } from '../../modules/units/units.service.ts';
import type { DB } from '../schema.ts';
import { DEMO_COMMUNES, type DemoSeedOptions } from './demo-data.ts';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Quốc'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Đức',
  'Giang',
  'Hà',
  'Hải',
  'Hương',
  'Khoa',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Phúc',
  'Quyên',
  'Sơn',
  'Tâm',
  'Thảo',
  'Uyên',
  'Vinh',
  'Yến',
];
// Old province codes of birth registration for the demo communes' regions.
const BIRTH_PROVINCE: Record<string, string> = { '91': '089', '82': '087', '04': '004', '68': '060' };

// 'to-last-step' forwards through the procedure's steps, however many it has; 'sign-result' has the
// commune leader sign the electronic result with the demo PIN (officer's signature, then the seal).
type Step = DossierAction | 'to-last-step' | 'sign-result' | [DossierAction, Record<string, unknown>];

/** One story per national status (and a few more), so every list and badge has something to show. */
const STORIES: { label: string; field: string; channel: Channel; startDaysAgo: number; steps: Step[] }[] = [
  { label: 'new online', field: 'civil_status', channel: 'online', startDaysAgo: 0.3, steps: [] },
  { label: 'received', field: 'residence', channel: 'counter', startDaysAgo: 0.5, steps: [] },
  {
    label: 'refused',
    field: 'civil_status',
    channel: 'online',
    startDaysAgo: 2,
    steps: [['refuse', { reasons: ['Giấy tờ tùy thân đã hết hạn sử dụng'] }]],
  },
  {
    label: 'in progress',
    field: 'business_household',
    channel: 'counter',
    startDaysAgo: 1,
    steps: ['assign'],
  },
  {
    label: 'supplement',
    field: 'residence',
    channel: 'counter',
    startDaysAgo: 2,
    steps: [
      'assign',
      ['request-supplement', { reasons: ['Thiếu bản sao giấy tờ chứng minh chỗ ở hợp pháp'] }],
    ],
  },
  {
    label: 'payment',
    field: 'land',
    channel: 'counter',
    startDaysAgo: 4,
    steps: [
      'assign',
      ['request-payment', { amountVnd: 500_000, description: 'Nộp lệ phí cấp giấy chứng nhận' }],
    ],
  },
  {
    label: 'withdrawn',
    field: 'certification',
    channel: 'counter',
    startDaysAgo: 3,
    steps: [['withdraw', { reason: 'Công dân xin rút để bổ sung giấy tờ khác' }]],
  },
  {
    label: 'stopped',
    field: 'social_protection',
    channel: 'counter',
    startDaysAgo: 6,
    steps: ['assign', ['stop', { reason: 'Người đề nghị không còn cư trú tại địa phương' }]],
  },
  {
    label: 'result ready',
    field: 'business_household',
    channel: 'online',
    startDaysAgo: 3,
    steps: ['receive', 'assign', 'to-last-step', 'approve', 'sign-result'],
  },
  {
    label: 'returned',
    field: 'civil_status',
    channel: 'counter',
    startDaysAgo: 5,
    steps: [
      'assign',
      'to-last-step',
      'approve',
      'sign-result',
      ['return-result', { recipientName: 'Người nộp hồ sơ', method: 'counter' }],
    ],
  },
  {
    label: 'transferred',
    field: 'land',
    channel: 'counter',
    startDaysAgo: 3,
    steps: ['assign', ['transfer', { agency: 'Văn phòng đăng ký đất đai tỉnh' }]],
  },
  { label: 'late', field: 'business_household', channel: 'counter', startDaysAgo: 9, steps: ['assign'] },
  {
    label: 'overdue, apologised',
    field: 'social_protection',
    channel: 'counter',
    startDaysAgo: 16,
    steps: ['assign'],
  },
];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/** A demo applicant with a well-formed citizen ID matching the date of birth. */
function demoApplicant(provinceCode: string, n: number, communeCode: string): IntakeInput['applicant'] {
  const year = 1950 + ((n * 7) % 55);
  const female = n % 2 === 1;
  const middle = female ? 'Thị' : pick(MIDDLE, n);
  const centuryDigit = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const serial = String(100000 + ((n * 7919) % 900000));
  const id = `${BIRTH_PROVINCE[provinceCode] ?? '001'}${centuryDigit}${String(year % 100).padStart(2, '0')}${serial}`;
  return {
    citizenId: id,
    fullName: `${pick(FAMILY, n)} ${middle} ${pick(GIVEN, n * 3 + 1)}`,
    dateOfBirth: `${year}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
    phone: `09${String(10000000 + ((n * 104729) % 89999999)).padStart(8, '0')}`,
    address: `Số ${n + 1}, tổ dân phố ${(n % 5) + 1}`,
    addressCommuneCode: communeCode,
  };
}

/** What the demo's results say, per template: a birth, a household business. */
const DEMO_RESULT_DETAILS: Record<string, Record<string, unknown>> = {
  birth_extract: {
    childName: 'Nguyễn Gia Bảo',
    childDateOfBirth: '2026-10-02',
    childSex: 'nam',
    placeOfBirth: 'Trạm Y tế xã, tỉnh An Giang',
    motherName: 'Trần Thị Mai',
  },
  business_household_certificate: {
    businessName: 'Tạp hóa Bình An',
    businessAddress: 'Số 5, tổ dân phố 2',
    sectors: 'Bán lẻ lương thực, thực phẩm, đồ uống (4711)',
    capitalVnd: 80_000_000,
  },
};

/** Loads dossiers in every status into each demo commune, walked through the real services. */
export async function seedDemoDossiers(db: Kysely<DB>, options: DemoSeedOptions, realNow: Date = new Date()) {
  const units = createUnitsService(createUnitsRepository(db));
  const calendar = createCalendarService(db, units);
  const catalog = createCatalogService(db);
  let clock = realNow;
  const now = () => clock;
  const identity = createIdentityService(db, { sessionTtlHours: 1 });
  const dossiers = createDossiersService({ db, identity, catalog, calendar, units, now });
  const signing = createSigningService({ db, sealPassphrase: options.sealPassphrase, now });
  const loadRecord = createRecordLoader({ dossiers, units, identity, publicUrl: options.publicUrl });
  const results = createResultsService({
    db,
    files: options.files,
    dossiers,
    signing,
    loadRecord,
    publicUrl: options.publicUrl,
    now,
  });
  const procedures = (await catalog.searchProcedures({ page: 1, pageSize: 100 })).items;
  const accounts = await db
    .selectFrom('staff_account')
    .select(['id', 'username', 'full_name', 'role', 'unit_code'])
    .execute();
  let n = 0;
  for (const commune of DEMO_COMMUNES) {
    const staffOf = (role: StaffRole): StaffPrincipal => {
      const a = accounts.find((x) => x.unit_code === commune.code && x.role === role);
      if (!a) throw new Error(`no demo ${role} in ${commune.code}`);
      return {
        id: a.id,
        username: a.username,
        fullName: a.full_name,
        role,
        unitCode: a.unit_code,
        provinceCode: commune.province,
      };
    };
    const actor = (role: StaffRole) => ({
      staff: staffOf(role),
      requestId: 'demo-seed',
      ip: null,
      userAgent: 'seed',
    });
    const cal = await calendar.getCalendar(commune.code);
    for (const story of STORIES) {
      n++;
      const summary = procedures.find((p) => p.field === story.field) ?? procedures[0];
      if (!summary) throw new Error('the catalogue is empty');
      const procedure = (await catalog.getPublished(summary.code)).definition;
      // Start far enough back that every step lands before now, at a working moment.
      clock = cal.nextWorkingMoment(new Date(realNow.getTime() - story.startDaysAgo * 86_400_000));
      if (clock > realNow) clock = new Date(realNow.getTime() - 3_600_000);
      const intake = await dossiers.intake(
        actor('reception_officer'),
        {
          procedureCode: procedure.code,
          channel: story.channel,
          applicant: demoApplicant(commune.province, n, commune.code),
          components: procedure.components.filter((c) => c.requirement === 'required').map((c) => c.key),
        },
        undefined,
      );
      const stepHours = Math.max(0.25, Math.min(3, (story.startDaysAgo * 8) / (story.steps.length + 2)));
      const expanded = story.steps.flatMap((step): Exclude<Step, 'to-last-step'>[] =>
        step === 'to-last-step' ? Array(procedure.steps.length - 1).fill('forward') : [step],
      );
      for (const step of expanded) {
        clock = cal.addWorkingHours(clock, stepHours);
        if (clock > realNow) clock = realNow;
        if (step === 'sign-result') {
          const details = DEMO_RESULT_DETAILS[templateOf(procedure.resultKind)] ?? {};
          await results.signResult(
            actor('commune_leader'),
            intake.body.id,
            { pin: DEMO_SIGNING_PIN, details },
            undefined,
          );
          continue;
        }
        const [action, input] = typeof step === 'string' ? [step, {}] : step;
        const state = await currentState(db, intake.body.id);
        const role = roleFor(state, procedure, action);
        await dossiers.act(actor(role), intake.body.id, action, input as never, undefined);
      }
      if (story.label.startsWith('overdue')) {
        clock = realNow;
        const state = await currentState(db, intake.body.id);
        const newDue = cal.addWorkingDays(realNow, 3);
        if (state.dueAt && Date.parse(state.dueAt) < newDue.getTime()) {
          await dossiers.act(
            actor('commune_leader'),
            intake.body.id,
            'apologize',
            {
              reason: 'Cần xác minh thêm thông tin với cơ quan bảo hiểm xã hội',
              newDueAt: newDue.toISOString(),
            } as never,
            undefined,
          );
        }
      }
    }
  }
  return n;
}

async function currentState(db: Kysely<DB>, id: number): Promise<DossierState> {
  const row = await createDossiersRepository().findById(db, id);
  if (!row) throw new Error(`no dossier ${id}`);
  return row.current;
}

const ROLE_ORDER: StaffRole[] = [
  'reception_officer',
  'specialist',
  'department_head',
  'commune_leader',
  'centre_director',
];

function roleFor(state: DossierState, procedure: ProcedureDefinition, action: DossierAction): StaffRole {
  const role = ROLE_ORDER.find((r) => listAllowedActions(state, procedure, r).includes(action));
  if (!role) throw new Error(`no role may ${action} in ${state.state}`);
  return role;
}
