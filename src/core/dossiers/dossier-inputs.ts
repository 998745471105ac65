import { z } from 'zod';
import { LocalDate } from '../calendar/schemas.ts';
import { toLocalDate } from '../calendar/vn-time.ts';
import { ProcedureCode } from '../catalog/procedure.schemas.ts';
import { CITIZEN_ID_MESSAGES, checkCitizenId } from './citizen-id.ts';
import { note, reasons } from './dossier-fields.ts';
import { CHANNELS } from './dossier-status.ts';

export { Instant } from './dossier-fields.ts';

const VN_PHONE = /^(0|\+84)(3|5|7|8|9)\d{8}$/;

/** A current commune's 5-digit code. */
export const CommuneCode = z.string().regex(/^\d{5}$/, { error: 'Mã xã không hợp lệ (5 chữ số)' });

/** How to reach an applicant and where they live: the same fields at the counter and online. */
const CONTACT_FIELDS = {
  phone: z
    .string()
    .trim()
    .regex(VN_PHONE, { error: 'Số điện thoại không hợp lệ (10 số, bắt đầu bằng 03, 05, 07, 08, 09)' })
    .optional(),
  email: z.email({ error: 'Địa chỉ thư điện tử không hợp lệ' }).optional(),
  /** The applicant's choice: messages about the dossier by Zalo or SMS and e-mail (true when not said). */
  notify: z.boolean({ error: 'Chọn có hoặc không nhận thông báo' }).optional(),
  address: z
    .string({ error: 'Vui lòng nhập địa chỉ' })
    .trim()
    .min(1, { error: 'Vui lòng nhập địa chỉ' })
    .min(5, { error: 'Địa chỉ quá ngắn' })
    .max(300, { error: 'Địa chỉ tối đa 300 ký tự' }),
};

/** A 12-digit personal identification number (its province and birth year are checked with the applicant). */
export const CitizenId = z
  .string({ error: CITIZEN_ID_MESSAGES.format })
  .regex(/^\d{12}$/, { error: CITIZEN_ID_MESSAGES.format });

/** A dossier's id in a path. */
export const DossierId = z.coerce
  .number({ error: 'Mã hồ sơ phải là số' })
  .int()
  .positive({ error: 'Mã hồ sơ phải là số dương' });

export const Applicant = z
  .object({
    citizenId: CitizenId,
    fullName: z
      .string({ error: 'Vui lòng nhập họ tên' })
      .trim()
      .min(1, { error: 'Vui lòng nhập họ và tên' })
      .min(2, { error: 'Họ tên quá ngắn' })
      .max(100, { error: 'Họ tên tối đa 100 ký tự' })
      .regex(/^[\p{L}\s'.-]+$/u, { error: 'Họ tên chỉ gồm chữ cái và khoảng trắng' }),
    dateOfBirth: LocalDate,
    ...CONTACT_FIELDS,
    /** The current commune of the address, when the officer picked it (else read from the text). */
    addressCommuneCode: CommuneCode.optional(),
  })
  .superRefine((a, ctx) => {
    // The format is the field's own check; the province and the birth year need the whole applicant.
    const problem = checkCitizenId(a.citizenId, a.dateOfBirth);
    if (problem && problem !== 'format') {
      ctx.addIssue({ code: 'custom', path: ['citizenId'], message: CITIZEN_ID_MESSAGES[problem] });
    }
    // Today in Vietnam: before 07:00 the UTC date is still yesterday.
    if (a.dateOfBirth > toLocalDate(new Date())) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Ngày sinh không được ở tương lai' });
    }
  });
export type Applicant = z.infer<typeof Applicant>;

export const IntakeInput = z
  .object({
    procedureCode: ProcedureCode,
    channel: z.enum(CHANNELS, {
      error: 'Kênh nộp: counter (trực tiếp), online (trực tuyến), postal (bưu chính)',
    }),
    applicant: Applicant,
    /** The keys of the components handed in; required ones must all be there. */
    components: z
      .array(z.string().max(40), { error: 'Danh sách thành phần hồ sơ không hợp lệ' })
      .max(40)
      .default([]),
    /** The official receiving unit and the competent unit, when not the officer's own commune. */
    receivingUnitCode: CommuneCode.optional(),
    competentUnitCode: CommuneCode.optional(),
    feesPaidVnd: z.number().int().min(0).optional(),
    note,
    /**
     * At the counter, a dossier that is not complete or not acceptable is registered and, in the same
     * transaction, given its supplement request (form 02: missing required components allowed) or refusal
     * (form 03).
     */
    outcome: z.object({ action: z.enum(['request-supplement', 'refuse']), reasons }).optional(),
    /**
     * Filed online for a citizen who is present (assisted submission): the citizen's consent is required
     * and kept with the dossier, with who helped.
     */
    assisted: z
      .object({
        consent: z.literal(true, { error: 'Cần công dân đồng ý cho người hỗ trợ nộp thay' }),
        note: z.string().trim().max(300, { error: 'Ghi chú tối đa 300 ký tự' }).optional(),
      })
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.assisted && input.channel !== 'online') {
      ctx.addIssue({
        code: 'custom',
        path: ['channel'],
        message: 'Nộp thay (có hỗ trợ) là nộp trực tuyến: kênh online',
      });
    }
  });
export type IntakeInput = z.infer<typeof IntakeInput>;

/**
 * An online submission by a citizen signed in with VNeID: who they are comes from their identity, not from
 * what they type; the papers are the files of their draft.
 */
export const OnlineSubmission = z.object({
  procedureCode: ProcedureCode,
  /** The commune whose centre receives it; the commune of the address when not given. */
  receivingUnitCode: CommuneCode.optional(),
  contact: z.object({
    ...CONTACT_FIELDS,
    addressCommuneCode: CommuneCode.optional(),
  }),
  note,
});
export type OnlineSubmission = z.infer<typeof OnlineSubmission>;
