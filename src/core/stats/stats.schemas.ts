import { z } from 'zod';
import { toLocalDate } from '../calendar/vn-time.ts';
import { ProcedureField } from '../catalog/procedure.schemas.ts';
import { CHANNELS } from '../dossiers/dossier-status.ts';
import { IsoDate } from '../units/units.schemas.ts';

/** A unit's code for the figures: 'VN', a province (2 digits) or a commune (5 digits). */
export const StatsUnit = z
  .string({ error: 'Vui lòng chọn đơn vị' })
  .trim()
  .regex(/^(VN|\d{2}|\d{5})$/, { error: 'Mã đơn vị phải là VN, mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số)' });

/** The longest period one request may cover (ten years): enough for any report, bounded for the server. */
const MAX_DAYS = 3660;

export const StatsQueryFields = z.object({
  unit: StatsUnit,
  /** Without dates: this month so far (Vietnam's calendar). */
  from: IsoDate.default(() => `${toLocalDate(new Date()).slice(0, 7)}-01`),
  to: IsoDate.default(() => toLocalDate(new Date())),
  channel: z.enum(CHANNELS, { error: 'Kênh phải là counter, online hoặc postal' }).optional(),
  field: ProcedureField.optional(),
  procedure: z
    .string()
    .trim()
    .regex(/^[\d.]{3,20}$/, { error: 'Mã thủ tục không hợp lệ' })
    .optional(),
});

/** The period is in order and at most ten years long. */
export function checkPeriod(q: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi' });
  } else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Khoảng thời gian tối đa là 10 năm' });
  }
}

export const StatsQuery = StatsQueryFields.superRefine(checkPeriod);
export type StatsQuery = z.infer<typeof StatsQuery>;
