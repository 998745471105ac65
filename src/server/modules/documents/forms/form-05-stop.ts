import { formatDocumentTime } from '../../../../core/documents/vn-format.ts';
import {
  competentBodyName,
  competentHeading,
  type DossierRecord,
  lastEvent,
  staffName,
  startForm,
  writeAddressee,
} from './form-context.ts';

/** Form 05: notice that handling stops (Thông báo dừng giải quyết hồ sơ). */
export async function renderStopNotice(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const event = lastEvent(d, 'stop');
  if (!event) throw new Error('form 05 needs a stop');
  const data = event.data as { reason: string };
  const body = competentBodyName(d);
  const w = await startForm(
    d,
    {
      no: '05',
      name: 'Thông báo dừng giải quyết hồ sơ',
      heading: competentHeading(d, new Date(event.at), `Số: ${d.code}/TB-DGQ`),
      title: 'Thông báo',
      subtitle: 'Về việc dừng giải quyết hồ sơ',
    },
    at,
  );
  writeAddressee(w, d);
  const received = d.state.receivedAt ? formatDocumentTime(new Date(d.state.receivedAt)) : '';
  w.paragraph(
    `${body} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục "${d.procedure.name}" của Ông/Bà (mã hồ sơ ${d.code}) vào ${received}.`,
  );
  w.paragraph([
    { text: `${body} thông báo dừng giải quyết hồ sơ nêu trên kể từ ` },
    { text: formatDocumentTime(new Date(event.at)), style: 'bold' },
    { text: '.' },
  ]);
  w.paragraph([{ text: 'Lý do: ' }, { text: data.reason, style: 'bold' }]);
  w.paragraph(
    'Ông/Bà có quyền khiếu nại theo quy định của pháp luật. Mọi thắc mắc xin liên hệ Trung tâm Phục vụ hành chính công để được giải đáp./.',
  );
  w.space(8);
  w.signatures([
    { title: 'Nơi nhận', note: '- Như trên;\n- Trung tâm Phục vụ hành chính công;\n- Lưu: VT.' },
    {
      title: 'Thủ trưởng cơ quan',
      note: '(Ký, ghi rõ họ tên và đóng dấu)',
      name: staffName(d, event.actor.id),
    },
  ]);
  return w.finish();
}
