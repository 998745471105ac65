import QRCode from 'qrcode';
import { formatCompactTime } from '../../../../core/documents/vn-format.ts';
import type { StaffRole } from '../../../../core/identity/roles.ts';
import type { DossierRecord } from '../forms/form-context.ts';
import { competentBodyName, isPoliceProcedure } from '../forms/form-context.ts';
import type { PdfWriter } from '../pdf/pdf-writer.ts';

/** Everything a result template needs besides the dossier: its number, who signs, where to verify it. */
export type ResultContext<D = Record<string, unknown>> = {
  record: DossierRecord;
  details: D;
  number: { value: number; year: number; label: string };
  issuedAt: Date;
  signer: { name: string; role: StaffRole };
  /** The public page that verifies this dossier's results (the QR code on the result). */
  verifyUrl: string;
  /** The scanned original, for a certified copy. */
  original?: Uint8Array;
};

/** How the competent officer signs: on behalf of the committee, or as head of the commune police. */
export function signerTitle(ctx: ResultContext, individualDecision = false): string {
  if (isPoliceProcedure(ctx.record.procedure)) return 'Trưởng Công an';
  switch (ctx.signer.role) {
    case 'commune_leader':
      // A decision of the chair is signed as chair; the committee's papers on its behalf (TM.).
      return individualDecision ? 'Chủ tịch' : 'TM. Ủy ban nhân dân\nChủ tịch';
    case 'department_head':
      // Signing by order of the chair (thừa lệnh).
      return 'TL. Chủ tịch\nTrưởng phòng';
    case 'centre_director':
      return 'Giám đốc Trung tâm';
    default:
      return 'Người ký';
  }
}

/** The signature block (with who signs digitally), and the QR code that opens the verification page. */
export async function signAndVerifyBlock(w: PdfWriter, ctx: ResultContext, title = signerTitle(ctx)) {
  w.space(6);
  w.signatures([
    {
      title: 'Nơi nhận',
      note: `- Ông/Bà ${ctx.record.applicant.fullName};\n- Lưu: VT, hồ sơ ${ctx.record.code}.`,
    },
    {
      title,
      note: '(Chữ ký số)',
      signedNote: `Ký số bởi: ${ctx.signer.name}\nThời gian: ${formatCompactTime(ctx.issuedAt)}\nĐóng dấu số: ${competentBodyName(ctx.record)}`,
      name: ctx.signer.name,
    },
  ]);
  const qr = await QRCode.toBuffer(ctx.verifyUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 5 });
  await w.image(qr, {
    width: 64,
    caption: `Văn bản điện tử có chữ ký số. Xác thực tại: ${ctx.verifyUrl}`,
  });
}
