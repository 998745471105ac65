import { z } from 'zod';
import { LocalDate } from '../calendar/schemas.ts';
import type { ResultKind } from '../catalog/procedure.schemas.ts';

const text = (label: string, max = 200) =>
  z
    .string({ error: `Vui lòng nhập ${label}` })
    .trim()
    .min(1, { error: `Vui lòng nhập ${label}` })
    .max(max, { error: `${label[0]?.toUpperCase()}${label.slice(1)} tối đa ${max} ký tự` });

const personName = (label: string) =>
  text(label, 100).regex(/^[\p{L}\s'.-]+$/u, {
    error: `${label[0]?.toUpperCase()}${label.slice(1)} chỉ gồm chữ cái`,
  });

/** The signing PIN of an officer's certificate (a USB token's PIN is 4 to 16 characters). */
export const SigningPin = z
  .string({ error: 'Vui lòng nhập mã PIN chữ ký số' })
  .min(4, { error: 'Mã PIN có ít nhất 4 ký tự' })
  .max(32, { error: 'Mã PIN tối đa 32 ký tự' });

/** Birth registration extract: the child, from the declaration form. */
export const BirthExtractDetails = z.object({
  childName: personName('họ, chữ đệm và tên của trẻ'),
  childDateOfBirth: LocalDate,
  childSex: z.enum(['nam', 'nữ', 'nu'], { error: 'Giới tính của trẻ: nam hoặc nữ' }),
  placeOfBirth: text('nơi sinh', 300),
  ethnicity: text('dân tộc', 50).default('Kinh'),
  nationality: text('quốc tịch', 50).default('Việt Nam'),
  motherName: personName('họ tên người mẹ').optional(),
  fatherName: personName('họ tên người cha').optional(),
});

/** Business household certificate: the household business as registered. */
export const BusinessHouseholdDetails = z.object({
  businessName: text('tên hộ kinh doanh', 200),
  businessAddress: text('địa điểm kinh doanh', 300),
  sectors: text('ngành, nghề kinh doanh', 500),
  capitalVnd: z
    .number({ error: 'Vốn kinh doanh phải là số (đồng)' })
    .int({ error: 'Vốn kinh doanh phải là số nguyên (đồng)' })
    .positive({ error: 'Vốn kinh doanh phải lớn hơn 0' }),
});

/** Residence: what was registered, confirmed or removed, and where. */
export const ResidenceDetails = z.object({
  content: text('nội dung giải quyết', 1000),
  residenceAddress: text('địa chỉ cư trú', 300).optional(),
});

/** A decision of the commune People's Committee chair: its subject and articles. */
export const DecisionDetails = z.object({
  subject: text('trích yếu (về việc)', 300).optional(),
  articles: z.array(text('nội dung điều', 2000)).max(10, { error: 'Tối đa 10 điều' }).optional(),
});

/** An electronic certified copy: which scan of the original, and how many copies were asked for. */
export const CertifiedCopyDetails = z.object({
  documentId: z.number({ error: 'Chọn bản quét của bản chính' }).int().positive().optional(),
  copies: z.number().int().min(1, { error: 'Ít nhất 1 bản' }).max(50, { error: 'Tối đa 50 bản' }).default(1),
  originalName: text('tên giấy tờ', 300).optional(),
});

/** Any other result: a confirmation or an extract stated in words. */
export const GenericResultDetails = z.object({ content: text('nội dung kết quả', 2000).optional() });

/** The result templates, and which one each kind of result is rendered with. */
export const RESULT_TEMPLATES = {
  birth_extract: BirthExtractDetails,
  business_household_certificate: BusinessHouseholdDetails,
  residence_confirmation: ResidenceDetails,
  decision: DecisionDetails,
  certified_copy: CertifiedCopyDetails,
  generic: GenericResultDetails,
} as const;
export type ResultTemplate = keyof typeof RESULT_TEMPLATES;

export function templateOf(kind: ResultKind): ResultTemplate {
  switch (kind) {
    case 'birth_extract':
    case 'business_household_certificate':
    case 'residence_confirmation':
    case 'decision':
    case 'certified_copy':
      return kind;
    default:
      return 'generic';
  }
}

export const SignResultInput = z.object({
  pin: SigningPin,
  /** The facts the template needs (see RESULT_TEMPLATES); checked against the procedure's template. */
  details: z.record(z.string(), z.unknown()).default({}),
  /** The dossier version the signer saw: a 409 if a colleague acted first. */
  version: z.number().int().positive().optional(),
});
export type SignResultInput = z.infer<typeof SignResultInput>;
