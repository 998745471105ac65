import { parseIso } from '../../../../core/calendar/vn-time.ts';
import { formatDocumentTime, formatShortDate } from '../../../../core/documents/vn-format.ts';
import {
  centreHeading,
  type DossierRecord,
  lastEvent,
  staffName,
  startForm,
  writeApplicantAndRequest,
} from './form-context.ts';

/** Form 02: request to supplement or complete the dossier (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ). */
export async function renderSupplementRequest(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const event = lastEvent(d, 'request-supplement');
  if (!event) throw new Error('form 02 needs a supplement request');
  const data = event.data as { reasons: string[]; note?: string; applicantDeadline?: string };
  const requestedAt = new Date(event.at);
  const w = await startForm(
    d,
    { no: '02', name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', heading: centreHeading(d, requestedAt) },
    at,
  );
  writeApplicantAndRequest(w, d, { label: 'Hồ sơ của', address: false });
  w.space(4);
  w.paragraph(
    'Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
  );
  w.list(data.reasons);
  if (data.note) w.field('Ghi chú', data.note);
  if (data.applicantDeadline) {
    w.paragraph([
      { text: 'Hạn bổ sung, hoàn thiện hồ sơ: ' },
      { text: formatShortDate(parseIso(data.applicantDeadline)), style: 'bold' },
      { text: '. Quá hạn này, yêu cầu giải quyết hồ sơ không còn hiệu lực.' },
    ]);
  }
  w.paragraph(
    `Thời gian chờ bổ sung (từ ${formatDocumentTime(requestedAt)} đến khi nhận đủ giấy tờ bổ sung) không tính vào thời hạn giải quyết hồ sơ.`,
  );
  w.paragraph(
    'Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với người hướng dẫn dưới đây hoặc tra cứu tình trạng hồ sơ bằng mã hồ sơ để được hướng dẫn.',
  );
  w.space(8);
  w.signatures([
    { title: 'Người hướng dẫn', note: '(Ký và ghi rõ họ tên)', name: staffName(d, event.actor.id) },
  ]);
  return w.finish();
}
