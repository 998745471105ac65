import { z } from 'zod';
import { Duration } from '../calendar/schemas.ts';
import { StaffRole } from '../identity/roles.ts';

/** National procedure codes as published on the National Public Service Portal, e.g. 1.004222. */
export const ProcedureCode = z
  .string({ error: 'Mã thủ tục phải là chuỗi ký tự' })
  .regex(/^\d\.\d{6}$/, { error: 'Mã thủ tục không hợp lệ (dạng 1.004222)' });
export type ProcedureCode = z.infer<typeof ProcedureCode>;

export const PROCEDURE_FIELDS = {
  civil_status: 'Hộ tịch',
  certification: 'Chứng thực',
  residence: 'Cư trú',
  business_household: 'Thành lập và hoạt động của hộ kinh doanh',
  social_protection: 'Bảo trợ xã hội',
  land: 'Đất đai',
  environment: 'Môi trường',
  people_with_merit: 'Người có công',
  children: 'Trẻ em',
  other: 'Khác',
} as const;
export const ProcedureField = z.enum(Object.keys(PROCEDURE_FIELDS) as [keyof typeof PROCEDURE_FIELDS], {
  error: 'Lĩnh vực không hợp lệ',
});
export type ProcedureField = z.infer<typeof ProcedureField>;

export const OnlineLevel = z.enum(['full', 'partial', 'none'], {
  error: 'Mức dịch vụ công trực tuyến phải là full (toàn trình), partial (một phần) hoặc none',
});
export type OnlineLevel = z.infer<typeof OnlineLevel>;

/** The kinds of result a procedure issues; documents (issue 4) render one template per kind. */
export const ResultKind = z.enum([
  'birth_extract',
  'marriage_certificate',
  'death_extract',
  'civil_status_extract',
  'certified_copy',
  'signature_certification',
  'contract_certification',
  'residence_confirmation',
  'business_household_certificate',
  'decision',
  'confirmation',
  'other',
]);
export type ResultKind = z.infer<typeof ResultKind>;

const text = (label: string, max = 500) =>
  z
    .string({ error: `${label} phải là chuỗi ký tự` })
    .trim()
    .min(1, { error: `Vui lòng nhập ${label.toLowerCase()}` })
    .max(max, { error: `${label} tối đa ${max} ký tự` });

export const ProcedureComponent = z.object({
  /** Stable key, unique within the procedure (a dossier's checklist refers to it). */
  key: z.string().regex(/^[a-z0-9_]{1,40}$/, { error: 'Khóa thành phần chỉ gồm a-z, 0-9, _' }),
  name: text('Tên thành phần hồ sơ', 400),
  originals: z.number().int().min(0).max(20),
  copies: z.number().int().min(0).max(20),
  requirement: z.enum(['required', 'conditional'], { error: 'Phải là required hoặc conditional' }),
  /** When the component is needed, for conditional ones. */
  condition: z.string().max(400).optional(),
  /** The name of the form to fill in, when there is one (tờ khai). */
  template: z.string().max(200).optional(),
});
export type ProcedureComponent = z.infer<typeof ProcedureComponent>;

export const ProcedureFee = z.object({
  name: text('Tên phí, lệ phí', 200),
  amountVnd: z.number().int({ error: 'Số tiền phải là số nguyên (đồng)' }).min(0),
  /** What the amount is counted per, when not per dossier (e.g. "trang"). */
  per: z.string().max(50).optional(),
  exemptions: z.string().max(500).optional(),
});
export type ProcedureFee = z.infer<typeof ProcedureFee>;

export const HANDLING_ROLES = ['specialist', 'department_head', 'commune_leader', 'centre_director'] as const;

export const ProcedureStep = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,40}$/),
  name: text('Tên bước', 200),
  role: StaffRole.extract(HANDLING_ROLES, { error: 'Vai trò xử lý không hợp lệ' }),
  /** The step's time budget in working hours (same-day procedures split their day too). */
  budgetHours: z.number().positive({ error: 'Thời gian của bước phải lớn hơn 0' }).max(2000),
});
export type ProcedureStep = z.infer<typeof ProcedureStep>;

export const InterAgency = z.object({
  agency: text('Cơ quan phối hợp', 300),
  /** The sub-deadline the other agency gets, in working days. */
  budgetDays: z.number().positive().max(365),
});

/** One version of a procedure as published; a dossier keeps the version it was received under. */
export const ProcedureDefinition = z
  .object({
    code: ProcedureCode,
    name: text('Tên thủ tục', 500),
    field: ProcedureField,
    competentLevel: z.enum(['commune', 'province'], { error: 'Cấp thực hiện phải là commune hoặc province' }),
    /** Who decides inside the commune, e.g. "Ủy ban nhân dân cấp xã", "Công an cấp xã". */
    competentAgency: text('Cơ quan thực hiện', 200),
    legalBasis: z.array(text('Căn cứ pháp lý', 400)).min(1, { error: 'Cần ít nhất một căn cứ pháp lý' }),
    components: z.array(ProcedureComponent).min(1, { error: 'Cần ít nhất một thành phần hồ sơ' }).max(40),
    fees: z.array(ProcedureFee).max(10),
    duration: Duration,
    durationNote: z.string().max(500).optional(),
    onlineLevel: OnlineLevel,
    /** The VNeID level needed to submit online (null when it cannot be submitted online). */
    vneidLevel: z.union([z.literal(1), z.literal(2), z.null()]),
    steps: z.array(ProcedureStep).min(1, { error: 'Cần ít nhất một bước xử lý' }).max(10),
    resultName: text('Tên kết quả', 300),
    resultKind: ResultKind,
    interAgency: InterAgency.nullable(),
  })
  .superRefine((p, ctx) => {
    const keys = new Set<string>();
    p.components.forEach((c, i) => {
      if (keys.has(c.key)) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'key'], message: `Khóa ${c.key} bị trùng` });
      }
      keys.add(c.key);
    });
    const stepKeys = new Set(p.steps.map((s) => s.key));
    if (stepKeys.size !== p.steps.length) {
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'Khóa các bước xử lý bị trùng' });
    }
    if ((p.onlineLevel === 'none') !== (p.vneidLevel === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['vneidLevel'],
        message: 'Thủ tục trực tuyến cần mức định danh (1 hoặc 2); thủ tục không trực tuyến thì để null',
      });
    }
  });
export type ProcedureDefinition = z.infer<typeof ProcedureDefinition>;
