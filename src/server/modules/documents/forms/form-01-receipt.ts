import QRCode from 'qrcode';
import { formatDocumentTime, formatDuration, formatVnd } from '../../../../core/documents/vn-format.ts';
import { getDossierState } from '../../../../core/dossiers/dossier-machine.ts';
import {
  CHANNEL_NAMES_VI,
  centreHeading,
  type DossierRecord,
  lastEvent,
  staffName,
  startForm,
  writeApplicantAndRequest,
} from './form-context.ts';

/** Form 01: receipt and appointment for the result (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
export async function renderReceipt(d: DossierRecord, at: Date): Promise<Uint8Array> {
  // The receipt says what was promised when it was issued: the state at the moment of receipt.
  const receipt = d.events.findIndex((e) => e.type === 'receive' || (e.type === 'intake' && e.data.clock));
  const s = receipt >= 0 ? getDossierState(d.events.slice(0, receipt + 1)) : d.state;
  const receivedAt = new Date(s.receivedAt ?? s.submittedAt);
  const w = await startForm(
    d,
    { no: '01', name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', heading: centreHeading(d, receivedAt) },
    at,
  );
  w.paragraph(`Trung tâm Phục vụ hành chính công ${d.units.receiving.name} đã tiếp nhận hồ sơ của:`);
  writeApplicantAndRequest(w, d);
  if (d.applicant.phone) w.field('Số điện thoại', d.applicant.phone);
  if (d.applicant.email) w.field('Thư điện tử', d.applicant.email);
  w.field('Hình thức nộp', CHANNEL_NAMES_VI[d.channel]);
  w.space(4);
  w.paragraph([{ text: '1. Thành phần hồ sơ nộp gồm:', style: 'bold' }]);
  const handed = d.components.filter((c) => c.handedIn);
  w.table(
    [
      { title: 'TT', width: 1, align: 'center' },
      { title: 'Tên giấy tờ', width: 10 },
      { title: 'Bản chính', width: 1.8, align: 'center' },
      { title: 'Bản sao', width: 1.8, align: 'center' },
    ],
    handed.map((c, i) => [String(i + 1), c.name, String(c.originals), String(c.copies)]),
  );
  w.paragraph('2. Số lượng hồ sơ: 01 bộ.');
  w.paragraph(`3. Thời gian giải quyết hồ sơ theo quy định: ${formatDuration(d.procedure.duration)}.`);
  w.paragraph(`4. Thời gian nhận hồ sơ: ${formatDocumentTime(receivedAt)}.`);
  w.paragraph([
    { text: '5. Thời gian trả kết quả giải quyết hồ sơ: ' },
    { text: s.dueAt ? formatDocumentTime(new Date(s.dueAt)) : 'sẽ thông báo sau', style: 'bold' },
    { text: '.' },
  ]);
  const fee =
    d.fees.totalVnd > 0 ? `${formatVnd(d.fees.totalVnd)} (đã nộp ${formatVnd(d.fees.paidVnd)})` : 'không';
  w.paragraph(`6. Phí, lệ phí: ${fee}.`);
  w.paragraph(
    `7. Nhận kết quả tại: Trung tâm Phục vụ hành chính công ${d.units.receiving.name}, hoặc bản điện tử trên Cổng dịch vụ công.`,
  );
  const qr = await QRCode.toBuffer(d.trackingUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
  await w.image(qr, {
    width: 80,
    caption: `Quét mã để tra cứu tình trạng hồ sơ: ${d.trackingUrl}`,
  });
  w.space(6);
  const receiver = lastEvent(d, 'receive') ?? lastEvent(d, 'intake');
  w.signatures([
    { title: 'Người nộp hồ sơ', note: '(Ký và ghi rõ họ tên)', name: d.applicant.fullName },
    { title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: staffName(d, receiver?.actor.id) },
  ]);
  return w.finish();
}
