import { createRequire } from 'node:module';

/** ASVS 2.1: at least 12 characters, and not one of the passwords attackers try first. */
export const MIN_PASSWORD_LENGTH = 12;

// zxcvbn-ts's list of common passwords (about 49,000, from public breach corpora), read on the first
// password change (the package holds some 15 MB the server does not need until then).
let common: Set<string> | undefined;
function commonPasswords() {
  if (!common) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
      dictionary: Record<'passwords-common', string[]>;
    };
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * Why a new password is refused, in Vietnamese, or null. A common password with digits or symbols
 * tacked on ("password2025!") is as guessable as the word itself, so the stem is checked too.
 */
export function findPasswordWeakness(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Mật khẩu mới phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự`;
  }
  const lower = password.toLowerCase();
  const stem = lower.replace(/[^\p{L}]+$/u, '');
  const list = commonPasswords();
  if (list.has(lower) || (stem.length >= 4 && list.has(stem))) {
    return 'Mật khẩu này quá phổ biến, dễ bị đoán; vui lòng chọn mật khẩu khác';
  }
  return null;
}
