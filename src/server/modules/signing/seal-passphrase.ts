import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { syncFolder, writeFileSynced } from '../../durable-files.ts';
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
  const existing = await readPassphrase(file);
  if (existing !== null) return existing;
  await fs.mkdir(dataDir, { recursive: true });
  // Written whole aside, then linked into place: a second process starting at the same moment either
  // wins the link or reads the complete file the first one linked.
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  // Synced with its folder: losing it in a power cut would leave seals no one can open.
  await writeFileSynced(temp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    await fs.link(temp, file);
    await syncFolder(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.rm(temp, { force: true });
  }
  return (await readPassphrase(file)) as string;
}

/** The seal passphrase if one is configured or kept in the data folder; never makes one. */
export async function findSealPassphrase(configured: string | undefined, dataDir: string) {
  return configured ?? readPassphrase(path.join(dataDir, 'seal-passphrase'));
}

async function readPassphrase(file: string): Promise<string | null> {
  let text: string;
  try {
    text = (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (text.length < 16) {
    throw new Error(
      `${file} holds no usable seal passphrase (16 characters or more): restore it from the backup or set MOTCUA_SEAL_PASSPHRASE`,
    );
  }
  return text;
}

/**
 * Does the newest seal open with the passphrase? Checked at start and said loudly in the log: one seal
 * tells whether the passphrase is the one they were kept under, without opening thousands of them.
 * Returns the unit whose seal does not open, or null.
 */
export async function findSealThatDoesNotOpen(db: Kysely<DB>, passphrase: string) {
  const newest = await db
    .selectFrom('signing_credential')
    .select(['unit_code', 'pkcs12'])
    .where('kind', '=', 'seal')
    .where('active', '=', true)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return null;
  return newest.pkcs12 && openPkcs12(newest.pkcs12, passphrase) ? null : newest.unit_code;
}
