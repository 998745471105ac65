import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { openPkcs12 } from './key-signer.ts';

/**
 * The passphrase that protects the seals' keys in the database: the configured one, or one generated
 * on the first start and kept (readable by the server's user only) in the data folder. Several servers
 * sharing one PostgreSQL must be given the same MOTCUA_SEAL_PASSPHRASE.
 */
export async function resolveSealPassphrase(
  configured: string | undefined,
  dataDir: string,
): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'seal-passphrase');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  // 'wx': a second process starting at the same moment keeps the first one's passphrase.
  await fs
    .writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' })
    .catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  return (await fs.readFile(file, 'utf8')).trim();
}

/** Units whose active seal does not open with the passphrase: checked at start, said loudly in the log. */
export async function listUnopenableSeals(db: Kysely<DB>, passphrase: string) {
  const rows = await db
    .selectFrom('signing_credential')
    .select(['unit_code', 'pkcs12'])
    .where('kind', '=', 'seal')
    .where('active', '=', true)
    .execute();
  return rows.filter((r) => !r.pkcs12 || !openPkcs12(r.pkcs12, passphrase)).map((r) => r.unit_code);
}
