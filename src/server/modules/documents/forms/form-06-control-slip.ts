import { formatCompactTime } from '../../../../core/documents/vn-format.ts';
import { ACTION_NAMES_VI } from '../../../../core/dossiers/dossier-actions.ts';
import type { Verdict } from '../../../../core/dossiers/dossier-state.ts';
import {
  centreHeading,
  competentBodyName,
  type DossierRecord,
  partyLabel,
  staffName,
  startForm,
} from './form-context.ts';

export const VERDICT_NAMES_VI: Record<Verdict, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

/** Form 06: the control slip, one row per hand-over (Phiếu kiểm soát quá trình giải quyết hồ sơ). */
export async function renderControlSlip(d: DossierRecord, at: Date): Promise<Uint8Array> {
  const w = await startForm(
    d,
    { no: '06', name: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', heading: centreHeading(d, at) },
    at,
  );
  w.paragraph(`(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã hồ sơ ${d.code})`, { align: 'center' });
  w.field('Người nộp hồ sơ', d.applicant.fullName);
  w.field('Thủ tục', `${d.procedure.name} (mã ${d.procedure.code})`);
  w.field('Cơ quan giải quyết hồ sơ', competentBodyName(d));
  w.field('Cơ quan phối hợp giải quyết hồ sơ', d.procedure.interAgency?.agency ?? 'Không');
  w.space(4);
  w.table(
    [
      { title: 'TT', width: 0.8, align: 'center' },
      { title: 'Bên giao', width: 3.2 },
      { title: 'Bên nhận', width: 3.2 },
      { title: 'Thời gian giao, nhận', width: 2.4, align: 'center' },
      { title: 'Hạn của bên giao', width: 2.4, align: 'center' },
      { title: 'Kết quả', width: 1.8, align: 'center' },
      { title: 'Nội dung, ghi chú', width: 3.4 },
    ],
    d.state.controlSlip.map((row) => [
      String(row.seq),
      partyLabel(d, row.from),
      partyLabel(d, row.to),
      formatCompactTime(new Date(row.at)),
      row.deadline ? formatCompactTime(new Date(row.deadline)) : '',
      row.verdict ? VERDICT_NAMES_VI[row.verdict] : '',
      [
        row.action === 'intake' ? 'Tiếp nhận' : ACTION_NAMES_VI[row.action],
        row.note,
        `(ghi nhận: ${staffName(d, row.by)})`,
      ]
        .filter(Boolean)
        .join('. '),
    ]),
    { size: 8.5 },
  );
  w.paragraph(
    'Kết quả: trước hạn khi bàn giao vào ngày trước hạn của bên giao; đúng hạn khi bàn giao trong ngày hạn; quá hạn khi bàn giao sau hạn.',
    { size: 8.5 },
  );
  return w.finish();
}
