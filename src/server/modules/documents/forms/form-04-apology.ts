import { formatDocumentTime } from '../../../../core/documents/vn-format.ts';
import { getDossierState } from '../../../../core/dossiers/dossier-machine.ts';
import {
  competentBodyName,
  competentHeading,
  type DossierRecord,
  staffName,
  startForm,
  writeAddressee,
} from './form-context.ts';

/** Form 04: apology and new appointment (Văn bản xin lỗi và hẹn lại ngày trả kết quả). */
export async function renderApology(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const index = d.events.findLastIndex((e) => e.type === 'apologize');
  const event = d.events[index];
  if (!event) throw new Error('form 04 needs an apology');
  const data = event.data as { reason: string; newDueAt: string };
  // The appointment the apology replaced: the state just before it.
  const before = getDossierState(d.events.slice(0, index));
  const body = competentBodyName(d);
  const w = await startForm(
    d,
    {
      no: '04',
      name: 'Văn bản xin lỗi và hẹn lại ngày trả kết quả',
      heading: competentHeading(d, new Date(event.at), `Số: ${d.code}/XL`),
      subtitle: 'V/v chậm trả kết quả giải quyết hồ sơ',
    },
    at,
  );
  writeAddressee(w, d);
  const received = d.state.receivedAt ? formatDocumentTime(new Date(d.state.receivedAt)) : '';
  w.paragraph(
    `Vào ${received}, Trung tâm Phục vụ hành chính công ${d.units.receiving.name} tiếp nhận hồ sơ đề nghị giải quyết thủ tục "${d.procedure.name}" của Ông/Bà, mã hồ sơ ${d.code}.`,
  );
  if (before.dueAt) {
    w.paragraph(`Thời hạn trả kết quả đã hẹn: ${formatDocumentTime(new Date(before.dueAt))}.`);
  }
  w.paragraph([{ text: 'Lý do chậm trả kết quả: ' }, { text: data.reason, style: 'bold' }]);
  w.paragraph(
    `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${body} xin lỗi Ông/Bà và hẹn trả kết quả vào:`,
  );
  w.paragraph([{ text: formatDocumentTime(new Date(data.newDueAt)), style: 'bold' }], { align: 'center' });
  w.paragraph('Rất mong nhận được sự thông cảm của Ông/Bà./.');
  w.space(8);
  w.signatures([
    { title: 'Nơi nhận', note: `- Như trên;\n- Trung tâm Phục vụ hành chính công;\n- Lưu: VT.` },
    {
      title: 'Thủ trưởng cơ quan',
      note: '(Ký, ghi rõ họ tên và đóng dấu)',
      name: staffName(d, event.actor.id),
    },
  ]);
  return w.finish();
}
