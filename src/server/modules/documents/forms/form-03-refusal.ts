import { createPdfWriter } from '../pdf/pdf-writer.ts';
import { centreHeading, type DossierRecord, lastEvent, staffName } from './form-context.ts';

/** Form 03: refusal to receive or handle the dossier (Phiếu từ chối tiếp nhận giải quyết hồ sơ). */
export async function renderRefusal(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const event = lastEvent(d, 'refuse');
  if (!event) throw new Error('form 03 needs a refusal');
  const data = event.data as { reasons: string[]; note?: string };
  const w = await createPdfWriter({
    title: `Phiếu từ chối tiếp nhận giải quyết hồ sơ ${d.code}`,
    subject: d.procedure.name,
    author: `Trung tâm Phục vụ hành chính công ${d.units.receiving.name}`,
    dossierCode: d.code,
    footer: `Mẫu số 03 · ${d.code}`,
    createdAt: at,
  });
  w.heading(centreHeading(d, new Date(event.at)));
  w.title('Phiếu từ chối tiếp nhận giải quyết hồ sơ', `Mã hồ sơ: ${d.code}`);
  w.paragraph(`Trung tâm Phục vụ hành chính công ${d.units.receiving.name} tiếp nhận hồ sơ của:`);
  w.field('Ông/Bà', d.applicant.fullName);
  w.field('Số định danh cá nhân', d.applicant.citizenId);
  w.field('Địa chỉ', d.applicant.address.formatted);
  w.field('Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`);
  w.space(4);
  w.paragraph(
    'Qua xem xét, Trung tâm thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
  );
  w.list(data.reasons);
  if (data.note) w.field('Ghi chú', data.note);
  w.paragraph('Xin thông báo cho Ông/Bà được biết và thực hiện./.');
  w.space(8);
  w.signatures([
    { title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: staffName(d, event.actor.id) },
  ]);
  return w.finish();
}
