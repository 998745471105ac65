import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/**
 * Officers' PKCS#12 files are protected by their PIN, which is short: in the database they are also
 * sealed with AES-256-GCM under a key derived from the server's seal passphrase, so a stolen database
 * alone gives nothing to guess PINs against offline.
 */
const VERSION = 1;
const keys = new Map<string, Buffer>();

function keyOf(passphrase: string) {
  let key = keys.get(passphrase);
  if (!key) {
    key = scryptSync(passphrase, 'motcua/officer-pkcs12/v1', 32);
    keys.set(passphrase, key);
  }
  return key;
}

export function protectAtRest(passphrase: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(passphrase), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The protected bytes back; throws when the passphrase is not the one they were protected with. */
export function readAtRest(passphrase: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes[0] !== VERSION) throw new Error('unknown at-rest format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(passphrase), bytes.subarray(1, 13));
  decipher.setAuthTag(bytes.subarray(13, 29));
  return Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]);
}
