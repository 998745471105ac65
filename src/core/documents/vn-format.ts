import { localMinutesOfDay, toLocalDate } from '../calendar/vn-time.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** "ngày 29 tháng 11 năm 2026", the date line of an administrative document (Vietnam time). */
export function formatDocumentDate(instant: Date): string {
  const [year, month, day] = toLocalDate(instant).split('-');
  return `ngày ${day} tháng ${month} năm ${year}`;
}

/** "29/11/2026". */
export function formatShortDate(instant: Date): string {
  const [year, month, day] = toLocalDate(instant).split('-');
  return `${day}/${month}/${year}`;
}

/** "09 giờ 30 phút, ngày 29/11/2026", as forms write a moment. */
export function formatDocumentTime(instant: Date): string {
  const minutes = localMinutesOfDay(instant);
  return `${two(Math.floor(minutes / 60))} giờ ${two(minutes % 60)} phút, ngày ${formatShortDate(instant)}`;
}

/** "09:30 29/11/2026", for table cells. */
export function formatCompactTime(instant: Date): string {
  const minutes = localMinutesOfDay(instant);
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)} ${formatShortDate(instant)}`;
}

/** "1.500.000 đồng". */
export function formatVnd(amount: number): string {
  return `${amount.toLocaleString('vi-VN').replace(/\s/g, '.')} đồng`;
}

/** "03 ngày làm việc", "trong ngày (sau 15 giờ: ngày làm việc tiếp theo)". */
export function formatDuration(d: { amount: number; unit: string }): string {
  switch (d.unit) {
    case 'same_day':
      return 'trong ngày (tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo)';
    case 'working_hours':
      return `${d.amount} giờ làm việc`;
    case 'calendar_days':
      return `${d.amount} ngày`;
    default:
      return `${String(d.amount).padStart(2, '0')} ngày làm việc`;
  }
}
