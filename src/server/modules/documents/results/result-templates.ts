import type { z } from 'zod';
import { parseIso } from '../../../../core/calendar/vn-time.ts';
import type {
  BirthExtractDetails,
  BusinessHouseholdDetails,
  CertifiedCopyDetails,
  DecisionDetails,
  GenericResultDetails,
  ResidenceDetails,
  ResultTemplate,
} from '../../../../core/documents/result-details.ts';
import { formatDocumentDate, formatShortDate, formatVnd } from '../../../../core/documents/vn-format.ts';
import { competentBodyName, competentHeading } from '../forms/form-context.ts';
import { createPdfWriter } from '../pdf/pdf-writer.ts';
import { type ResultContext, signAndVerifyBlock, signerTitle } from './result-context.ts';

type Details<S extends z.ZodType> = z.output<S>;

async function writerFor(ctx: ResultContext, title: string, footer?: string) {
  const w = await createPdfWriter({
    title: `${title} (${ctx.record.code})`,
    subject: ctx.record.procedure.resultName,
    author: competentBodyName(ctx.record),
    dossierCode: ctx.record.code,
    footer: footer ?? `${ctx.number.label} · ${ctx.record.code}`,
    createdAt: ctx.issuedAt,
  });
  w.heading(competentHeading(ctx.record, ctx.issuedAt, ctx.number.label));
  return w;
}

/** The title a procedure's result goes by: "Giấy chứng nhận kết hôn (mỗi bên …)" → the words before "(". */
function resultTitle(resultName: string) {
  return resultName.split(/[(;]/)[0]?.trim() || resultName;
}

async function birthExtract(ctx: ResultContext<Details<typeof BirthExtractDetails>>) {
  const { record: d, details: b } = ctx;
  const w = await writerFor(ctx, 'Trích lục khai sinh');
  w.title('Trích lục khai sinh', '(Bản điện tử)');
  w.field('Họ, chữ đệm, tên', b.childName.toLocaleUpperCase('vi'));
  w.field('Ngày, tháng, năm sinh', formatShortDate(parseIso(b.childDateOfBirth)));
  w.field('Giới tính', b.childSex === 'nam' ? 'Nam' : 'Nữ');
  w.field('Dân tộc', b.ethnicity);
  w.field('Quốc tịch', b.nationality);
  w.field('Nơi sinh', b.placeOfBirth);
  if (b.motherName) w.field('Họ, chữ đệm, tên người mẹ', b.motherName);
  if (b.fatherName) w.field('Họ, chữ đệm, tên người cha', b.fatherName);
  w.space(4);
  w.field(
    'Người đi đăng ký khai sinh',
    `${d.applicant.fullName} (số định danh cá nhân ${d.applicant.citizenId})`,
  );
  w.field('Nơi đăng ký', competentBodyName(d));
  w.field('Ngày đăng ký', formatShortDate(ctx.issuedAt));
  await signAndVerifyBlock(w, ctx, 'Người ký Trích lục');
  return w.finish();
}

async function businessHousehold(ctx: ResultContext<Details<typeof BusinessHouseholdDetails>>) {
  const { record: d, details: h } = ctx;
  const w = await writerFor(ctx, 'Giấy chứng nhận đăng ký hộ kinh doanh');
  w.title('Giấy chứng nhận đăng ký hộ kinh doanh');
  w.paragraph(
    `Mã số hộ kinh doanh: ${d.units.competent.code}-${ctx.number.year}-${String(ctx.number.value).padStart(5, '0')}`,
    {
      align: 'center',
    },
  );
  // Only the founding registration is the first; a change or a re-issue is dated as issued.
  const first = /thành lập/i.test(d.procedure.name);
  w.paragraph(`${first ? 'Đăng ký lần đầu' : 'Cấp ngày'}: ${formatDocumentDate(ctx.issuedAt)}`, {
    align: 'center',
    spaceAfter: 10,
  });
  w.field('1. Tên hộ kinh doanh', h.businessName.toLocaleUpperCase('vi'));
  w.field('2. Địa điểm kinh doanh', h.businessAddress);
  w.field('3. Ngành, nghề kinh doanh', h.sectors);
  w.field('4. Vốn kinh doanh', formatVnd(h.capitalVnd));
  w.paragraph([{ text: '5. Chủ hộ kinh doanh:', style: 'bold' }]);
  w.field('Họ, chữ đệm và tên', d.applicant.fullName, { indent: 12 });
  w.field('Ngày sinh', d.applicant.dateOfBirth ? formatShortDate(parseIso(d.applicant.dateOfBirth)) : '', {
    indent: 12,
  });
  w.field('Số định danh cá nhân', d.applicant.citizenId, { indent: 12 });
  w.field('Địa chỉ thường trú', d.applicant.address.formatted, { indent: 12 });
  await signAndVerifyBlock(w, ctx);
  return w.finish();
}

async function residence(ctx: ResultContext<Details<typeof ResidenceDetails>>) {
  const { record: d, details: r } = ctx;
  const w = await writerFor(ctx, 'Thông báo kết quả giải quyết thủ tục về cư trú');
  w.title('Thông báo', 'Về kết quả giải quyết thủ tục về cư trú');
  w.paragraph([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${d.applicant.fullName}`, style: 'bold' }], {
    align: 'center',
    spaceAfter: 8,
  });
  w.field('Số định danh cá nhân', d.applicant.citizenId);
  w.paragraph(
    `${competentBodyName(d)} thông báo kết quả giải quyết thủ tục "${d.procedure.name}" (mã hồ sơ ${d.code}) như sau:`,
  );
  w.paragraph([{ text: r.content, style: 'bold' }], { indent: 12 });
  if (r.residenceAddress) w.field('Địa chỉ cư trú', r.residenceAddress);
  w.paragraph('Thông tin đã được cập nhật vào Cơ sở dữ liệu về cư trú.');
  await signAndVerifyBlock(w, ctx);
  return w.finish();
}

async function decision(ctx: ResultContext<Details<typeof DecisionDetails>>) {
  const { record: d, details: q } = ctx;
  const subject = q.subject ?? resultTitle(d.procedure.resultName);
  const w = await writerFor(ctx, 'Quyết định');
  w.title('Quyết định', `Về việc ${subject.charAt(0).toLowerCase()}${subject.slice(1)}`);
  w.paragraph([{ text: `CHỦ TỊCH ỦY BAN NHÂN DÂN ${d.units.competent.name.toUpperCase()}`, style: 'bold' }], {
    align: 'center',
    spaceAfter: 8,
  });
  w.paragraph('Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;', { size: 10.5, spaceAfter: 1 });
  for (const basis of d.procedure.legalBasis) w.paragraph(`Căn cứ ${basis};`, { size: 10.5, spaceAfter: 1 });
  w.paragraph(`Xét đề nghị của Ông/Bà ${d.applicant.fullName} (hồ sơ ${d.code}).`, { size: 10.5 });
  w.paragraph([{ text: 'QUYẾT ĐỊNH:', style: 'bold' }], { align: 'center', spaceAfter: 6 });
  const articles = q.articles ?? [
    `${d.procedure.resultName} đối với Ông/Bà ${d.applicant.fullName}, số định danh cá nhân ${d.applicant.citizenId}, địa chỉ ${d.applicant.address.formatted}.`,
  ];
  const all = [
    ...articles,
    'Quyết định này có hiệu lực kể từ ngày ký.',
    `Công chức chuyên môn và Ông/Bà ${d.applicant.fullName} chịu trách nhiệm thi hành Quyết định này./.`,
  ];
  all.forEach((text, i) => {
    w.paragraph([{ text: `Điều ${i + 1}. `, style: 'bold' }, { text }]);
  });
  await signAndVerifyBlock(w, ctx, signerTitle(ctx, true));
  return w.finish();
}

async function certifiedCopy(ctx: ResultContext<Details<typeof CertifiedCopyDetails>>) {
  const { record: d, details: c } = ctx;
  if (!ctx.original) throw new Error('a certified copy needs the scanned original');
  const note = `Bản sao điện tử chứng thực từ bản chính · ${ctx.number.label}`;
  const w = await writerFor(ctx, 'Bản sao điện tử được chứng thực từ bản chính', note);
  const pages = await w.prependPdf(ctx.original);
  w.title('Lời chứng của người thực hiện chứng thực', 'Chứng thực bản sao điện tử từ bản chính');
  w.paragraph(
    `Chứng thực bản sao điện tử này (${pages} trang, kèm theo lời chứng) đúng với bản chính${c.originalName ? ` "${c.originalName}"` : ''} do Ông/Bà ${d.applicant.fullName}, số định danh cá nhân ${d.applicant.citizenId}, xuất trình.`,
  );
  w.field('Số chứng thực', `${ctx.number.value}`);
  w.field('Quyển số', `01/${ctx.number.year}-SCT/BS`);
  w.field('Số bản sao', String(c.copies));
  w.field('Ngày chứng thực', formatDocumentDate(ctx.issuedAt));
  w.paragraph(
    'Bản sao điện tử được chứng thực từ bản chính có giá trị sử dụng thay cho bản chính trong các giao dịch, trừ trường hợp pháp luật có quy định khác.',
    { size: 10 },
  );
  await signAndVerifyBlock(w, ctx, 'Người thực hiện chứng thực');
  return w.finish();
}

async function generic(ctx: ResultContext<Details<typeof GenericResultDetails>>) {
  const { record: d, details: g } = ctx;
  const title = resultTitle(d.procedure.resultName);
  const w = await writerFor(ctx, title);
  w.title(title);
  w.field('Cấp cho Ông/Bà', d.applicant.fullName);
  w.field('Số định danh cá nhân', d.applicant.citizenId);
  w.field('Địa chỉ', d.applicant.address.formatted);
  w.field('Thủ tục', `${d.procedure.name} (mã ${d.procedure.code})`);
  w.paragraph(g.content ?? `${d.procedure.resultName}.`, { spaceAfter: 6 });
  await signAndVerifyBlock(w, ctx);
  return w.finish();
}

/** Renders a result with the template of its procedure's kind (the details were checked by its schema). */
export function renderResult(template: ResultTemplate, ctx: ResultContext<never>): Promise<Uint8Array> {
  const renderers: Record<ResultTemplate, (c: ResultContext<never>) => Promise<Uint8Array>> = {
    birth_extract: birthExtract,
    business_household_certificate: businessHousehold,
    residence_confirmation: residence,
    decision,
    certified_copy: certifiedCopy,
    generic,
  };
  return renderers[template](ctx);
}

/** The book each template's numbers run in, and how the number is written on the document. */
export const RESULT_BOOKS: Record<
  ResultTemplate,
  { book: string; label: (n: number, year: number) => string }
> = {
  birth_extract: { book: 'TLKS', label: (n, y) => `Số: ${n}/${y}/TLKS` },
  business_household_certificate: { book: 'GCN-HKD', label: (n, y) => `Số: ${n}/${y}/GCN-HKD` },
  residence_confirmation: { book: 'TB-CT', label: (n) => `Số: ${n}/TB-CT` },
  decision: { book: 'QĐ-UBND', label: (n) => `Số: ${n}/QĐ-UBND` },
  certified_copy: { book: 'SCT/BS', label: (n, y) => `Số chứng thực: ${n}, quyển số 01/${y}-SCT/BS` },
  generic: { book: 'KQ', label: (n, y) => `Số: ${n}/${y}/KQ` },
};
