/** Type prefixes of Vietnamese unit names, longest first so 'Thành phố' wins over a shorter match. */
const TYPE_PREFIXES = [
  'thành phố trung ương',
  'thành phố',
  'thị trấn',
  'thị xã',
  'đặc khu',
  'phường',
  'quận',
  'huyện',
  'tỉnh',
  'xã',
];

/** 'Phường Nùng Trí Cao' → { type: 'phường', bare: 'Nùng Trí Cao' }. */
export function splitUnitName(name: string): { type: string | null; bare: string } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const lower = trimmed.toLocaleLowerCase('vi');
  for (const prefix of TYPE_PREFIXES) {
    if (lower.startsWith(`${prefix} `)) return { type: prefix, bare: trimmed.slice(prefix.length + 1) };
  }
  return { type: null, bare: trimmed };
}

/**
 * Folds Vietnamese text for matching: lower case, no diacritics, đ → d. Mirrors the SQL vn_fold()
 * (unaccent) so what the app folds and what the database folds compare equal.
 */
export function foldVietnamese(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      // unaccent turns typographic apostrophes (Ea H’Leo) into plain ones; so do we.
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Drops a leading type word from a search text: 'phuong tan giang' → 'tan giang'. */
export function stripFoldedTypePrefix(folded: string): string {
  for (const prefix of TYPE_PREFIXES.map(foldVietnamese)) {
    if (folded.startsWith(`${prefix} `)) return folded.slice(prefix.length + 1);
  }
  // Common abbreviations on paper forms: 'P. Tân Giang', 'X. Mỹ Hiệp', 'TT. ...', 'TP. ...'.
  const abbreviated = folded.match(/^(?:(?:tt|tx|tp)\.?\s*|(?:p|x|q|h)\.\s*)(.+)$/);
  return abbreviated?.[1] ?? folded;
}
