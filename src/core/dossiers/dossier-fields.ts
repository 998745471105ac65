import { z } from 'zod';

/** The fields the actions' and the intake's inputs are made of, with their Vietnamese messages. */

export const reason = (label: string) =>
  z
    .string({ error: `Vui lòng nhập ${label}` })
    .trim()
    .min(3, { error: `${label[0]?.toUpperCase()}${label.slice(1)} quá ngắn (ít nhất 3 ký tự)` })
    .max(1000, { error: `${label[0]?.toUpperCase()}${label.slice(1)} tối đa 1000 ký tự` });

export const reasons = z
  .array(reason('lý do'), { error: 'Vui lòng nêu ít nhất một lý do' })
  .min(1, { error: 'Vui lòng nêu ít nhất một lý do' })
  .max(20);

export const note = z.string().trim().max(1000, { error: 'Ghi chú tối đa 1000 ký tự' }).optional();

/** An instant with its offset, e.g. 2025-07-15T17:00:00+07:00. */
export const Instant = z.iso.datetime({
  offset: true,
  error: 'Thời điểm không hợp lệ (dạng 2025-07-15T17:00:00+07:00)',
});

export const assignee = z.number({ error: 'Vui lòng chọn cán bộ nhận hồ sơ' }).int().positive();
