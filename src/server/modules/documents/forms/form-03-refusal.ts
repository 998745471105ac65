import {
  centreHeading,
  type DossierRecord,
  lastEvent,
  staffName,
  startForm,
  writeApplicantAndRequest,
} from './form-context.ts';

/** Form 03: refusal to receive or handle the dossier (Phiếu từ chối tiếp nhận giải quyết hồ sơ). */
export async function renderRefusal(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const event = lastEvent(d, 'refuse');
  if (!event) throw new Error('form 03 needs a refusal');
  const data = event.data as { reasons: string[]; note?: string };
  const w = await startForm(
    d,
    {
      no: '03',
      name: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
      heading: centreHeading(d, new Date(event.at)),
    },
    at,
  );
  w.paragraph(`Trung tâm Phục vụ hành chính công ${d.units.receiving.name} tiếp nhận hồ sơ của:`);
  writeApplicantAndRequest(w, d);
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
