const VN_TZ = 'Asia/Ho_Chi_Minh';

/** 15/07/2025 17:00 in Vietnam's time, whatever the device's zone. */
export function formatDateTime(iso: string | null | undefined, language = 'vi') {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
    timeZone: VN_TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** 15/07/2025 (a local date YYYY-MM-DD or an instant). */
export function formatDate(value: string | null | undefined, language = 'vi') {
  if (!value) return '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value);
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
    timeZone: VN_TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}

export function formatVnd(amount: number, language = 'vi') {
  return `${new Intl.NumberFormat(language).format(amount)} đ`;
}
