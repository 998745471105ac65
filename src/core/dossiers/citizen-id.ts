/**
 * The 12-digit citizen identity number (số định danh cá nhân, Circular 07/2016/TT-BCA as amended):
 * 3 digits for the province of birth registration, 1 for gender and century, 2 for the year of birth,
 * 6 at random. The province codes are the 63 pre-2025 provinces; numbers already issued keep them.
 */
const BIRTH_PROVINCE_CODES = new Set(
  (
    '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 ' +
    '038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 ' +
    '080 082 083 084 086 087 089 091 092 093 094 095 096'
  ).split(' '),
);

export type CitizenIdProblem = 'format' | 'province' | 'birth_year';

export const CITIZEN_ID_MESSAGES: Record<CitizenIdProblem, string> = {
  format: 'Số định danh cá nhân phải gồm đúng 12 chữ số',
  province: 'Số định danh cá nhân không hợp lệ: 3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh',
  birth_year: 'Số định danh cá nhân không khớp với năm sinh (chữ số thứ 4 đến 6)',
};

/** The birth year a citizen ID encodes, or null when the number is malformed. */
export function birthYearOfCitizenId(id: string): number | null {
  if (!/^\d{12}$/.test(id)) return null;
  const centuryDigit = Number(id[3]);
  return 1900 + 100 * Math.floor(centuryDigit / 2) + Number(id.slice(4, 6));
}

/** Checks the structure, and the birth year when the date of birth (YYYY-MM-DD) is known. */
export function checkCitizenId(id: string, dateOfBirth?: string): CitizenIdProblem | null {
  if (!/^\d{12}$/.test(id)) return 'format';
  if (!BIRTH_PROVINCE_CODES.has(id.slice(0, 3))) return 'province';
  if (dateOfBirth && Number(dateOfBirth.slice(0, 4)) !== birthYearOfCitizenId(id)) return 'birth_year';
  return null;
}

/** For public views: only the last three digits show. */
export function maskCitizenId(id: string): string {
  return `${'*'.repeat(Math.max(0, id.length - 3))}${id.slice(-3)}`;
}

/** For public views: "Nguyễn Văn Đức" → "N. V. Đ." */
export function maskName(fullName: string): string {
  return fullName
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${word.charAt(0).toLocaleUpperCase('vi')}.`)
    .join(' ');
}
