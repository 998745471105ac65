import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';

/** The operator's passphrase for a backup: long enough that the sealed seal passphrase resists guessing. */
export const MIN_BACKUP_PASSPHRASE = 12;

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export const SealedSecret = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type SealedSecret = z.infer<typeof SealedSecret>;

export class BackupPassphraseError extends Error {
  override name = 'BackupPassphraseError';
}

export function checkBackupPassphrase(passphrase: string | undefined): string {
  if (!passphrase || passphrase.length < MIN_BACKUP_PASSPHRASE) {
    throw new BackupPassphraseError(
      `Mật khẩu bảo vệ bản sao lưu phải có ít nhất ${MIN_BACKUP_PASSPHRASE} ký tự (MOTCUA_BACKUP_PASSPHRASE hoặc --passphrase-file). ` +
        `(The backup passphrase must have at least ${MIN_BACKUP_PASSPHRASE} characters.)`,
    );
  }
  return passphrase;
}

/** The seal passphrase sealed under the operator's passphrase: scrypt, then AES-256-GCM. */
export function sealSecret(secret: string, passphrase: string): SealedSecret {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function openSealedSecret(sealed: SealedSecret, passphrase: string): string {
  const key = scryptSync(passphrase, Buffer.from(sealed.salt, 'base64'), 32, {
    N: sealed.N,
    r: sealed.r,
    p: sealed.p,
    maxmem: SCRYPT.maxmem,
  });
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new BackupPassphraseError(
      'Mật khẩu bảo vệ bản sao lưu không đúng: không mở được mật khẩu con dấu. (Wrong backup passphrase: the seal passphrase does not open.)',
    );
  }
}
