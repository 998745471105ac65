import { formatCompactTime, formatShortDate } from '../../../../core/documents/vn-format.ts';
import { STATE_NAMES_VI } from '../../../../core/dossiers/dossier-status.ts';
import { createPdfWriter } from '../pdf/pdf-writer.ts';
import { centreHeading, competentBodyName, type DossierRecord, lastEvent } from './form-context.ts';

const time = (iso: string | null | undefined) => (iso ? formatCompactTime(new Date(iso)) : '');

/** One line of the register (sổ theo dõi hồ sơ) for a dossier. */
export function registerRow(d: DossierRecord, index: number): string[] {
  const s = d.state;
  const firstAssign = d.events.find((e) => e.type === 'assign');
  const returned = lastEvent(d, 'return-result');
  const recipient = returned ? (returned.data as { recipientName?: string }).recipientName : undefined;
  const note = [
    s.apologies > 0 ? 'Có văn bản xin lỗi' : '',
    s.closedAt && !s.returnedAt ? STATE_NAMES_VI[s.state] : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [
    String(index + 1),
    d.code,
    d.procedure.name,
    '01',
    d.applicant.fullName,
    [d.applicant.address.formatted, d.applicant.phone].filter(Boolean).join('; '),
    competentBodyName(d),
    time(s.receivedAt ?? s.submittedAt),
    time(s.dueAt),
    time(firstAssign?.at),
    time(s.resultReadyAt),
    [time(s.returnedAt), recipient ? `người nhận: ${recipient}` : ''].filter(Boolean).join(', '),
    note,
  ];
}

/** Form 07: the dossier register, landscape; one dossier gives an extract of one line. */
export async function renderRegister(
  dossiers: DossierRecord[],
  options: { at: Date; period?: { from: Date; to: Date } },
): Promise<Uint8Array> {
  const first = dossiers[0];
  if (!first) throw new Error('a register needs at least one dossier');
  const single = dossiers.length === 1 && !options.period;
  const w = await createPdfWriter({
    title: single ? `Sổ theo dõi hồ sơ: ${first.code}` : `Sổ theo dõi hồ sơ ${first.units.receiving.name}`,
    subject: 'Sổ theo dõi hồ sơ',
    author: `Trung tâm Phục vụ hành chính công ${first.units.receiving.name}`,
    ...(single ? { dossierCode: first.code } : {}),
    footer: single ? `Mẫu số 07 · ${first.code}` : 'Mẫu số 07',
    landscape: true,
    createdAt: options.at,
  });
  w.heading(centreHeading(first, options.at));
  const subtitle = single
    ? `Trích sổ: hồ sơ ${first.code}`
    : options.period
      ? `Từ ngày ${formatShortDate(options.period.from)} đến ngày ${formatShortDate(options.period.to)}`
      : undefined;
  w.title('Sổ theo dõi hồ sơ', subtitle);
  w.table(
    [
      { title: 'STT', width: 0.8, align: 'center' },
      { title: 'Mã hồ sơ', width: 2.4 },
      { title: 'Tên thủ tục hành chính', width: 2.8 },
      { title: 'Số lượng hồ sơ (bộ)', width: 1.1, align: 'center' },
      { title: 'Tên cá nhân, tổ chức', width: 2 },
      { title: 'Địa chỉ, số điện thoại', width: 2.4 },
      { title: 'Cơ quan chủ trì giải quyết', width: 2 },
      { title: 'Nhận hồ sơ', width: 2, align: 'center' },
      { title: 'Hẹn trả kết quả', width: 2, align: 'center' },
      { title: 'Chuyển hồ sơ đến cơ quan giải quyết', width: 2, align: 'center' },
      { title: 'Nhận kết quả từ cơ quan giải quyết', width: 2, align: 'center' },
      { title: 'Trả kết quả', width: 2, align: 'center' },
      { title: 'Ghi chú', width: 1.4 },
    ],
    dossiers.map(registerRow),
    { size: 7.5 },
  );
  return w.finish();
}
