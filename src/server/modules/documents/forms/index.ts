import type { FormNo } from '../../../../core/dossiers/dossier-state.ts';
import { renderReceipt } from './form-01-receipt.ts';
import { renderSupplementRequest } from './form-02-supplement.ts';
import { renderRefusal } from './form-03-refusal.ts';
import { renderApology } from './form-04-apology.ts';
import { renderStopNotice } from './form-05-stop.ts';
import { renderControlSlip } from './form-06-control-slip.ts';
import { renderRegister } from './form-07-register.ts';
import type { DossierRecord } from './form-context.ts';

export { FORM_NUMBERS, type FormNo } from '../../../../core/dossiers/dossier-state.ts';

type FormSpec = {
  name: string;
  /** Why the dossier cannot have this form yet (Vietnamese), or null when it can. */
  missing(d: DossierRecord): string | null;
  render(d: DossierRecord, at: Date): Promise<Uint8Array>;
};

/** Whether the dossier's events gave it grounds for the form (the actions' definitions say which). */
const has = (d: DossierRecord, form: FormNo) => d.state.forms.includes(form);

/** The forms of Circular 03/2025, appendix I, and when a dossier has each of them. */
export const FORMS: Record<FormNo, FormSpec> = {
  '01': {
    name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    missing: (d) => (has(d, '01') ? null : 'hồ sơ chưa được tiếp nhận'),
    render: renderReceipt,
  },
  '02': {
    name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
    missing: (d) => (has(d, '02') ? null : 'hồ sơ chưa có yêu cầu bổ sung'),
    render: renderSupplementRequest,
  },
  '03': {
    name: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
    missing: (d) => (has(d, '03') ? null : 'hồ sơ không bị từ chối tiếp nhận'),
    render: renderRefusal,
  },
  '04': {
    name: 'Văn bản xin lỗi và hẹn lại ngày trả kết quả',
    missing: (d) => (has(d, '04') ? null : 'hồ sơ chưa có văn bản xin lỗi, hẹn lại'),
    render: renderApology,
  },
  '05': {
    name: 'Thông báo dừng giải quyết hồ sơ',
    missing: (d) => (has(d, '05') ? null : 'hồ sơ không bị dừng giải quyết'),
    render: renderStopNotice,
  },
  '06': {
    name: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
    missing: () => null,
    render: renderControlSlip,
  },
  '07': {
    name: 'Sổ theo dõi hồ sơ',
    missing: () => null,
    render: (d, at) => renderRegister([d], { at }),
  },
};
