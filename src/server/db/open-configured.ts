import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config.ts';
import { type Database, openDatabase } from './connection.ts';
import { DataDirLockedError } from './data-dir-lock.ts';
import { probeFolderWrite, StorageUnavailableError, storageCause } from './storage-errors.ts';

/**
 * The database the configuration names: PostgreSQL with DATABASE_URL, else the embedded one in the data
 * folder. A folder held by another process ends this one with exit code 2 and the message (plus `hint`), and so does a data folder that cannot be
 * written (full, read-only, not a folder).
 */
export async function openConfiguredDatabase(
  config: AppConfig,
  hint = '',
  embedded: { closedUntilLent?: boolean } = {},
): Promise<Database> {
  try {
    if (config.databaseUrl) return await openDatabase({ kind: 'postgres', url: config.databaseUrl });
    // Before PGlite: it would stop on a full or read-only disk with `ErrnoError { errno: 51 }`.
    const cause = probeFolderWrite(config.dataDir);
    if (cause) throw new StorageUnavailableError(config.dataDir, cause);
    try {
      return await openDatabase({ kind: 'embedded', dataDir: config.dataDir, ...embedded });
    } catch (err) {
      const failure = storageCause(err);
      throw failure ? new StorageUnavailableError(config.dataDir, failure) : err;
    }
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof StorageUnavailableError) {
      console.error(hint ? `${err.message}\n${hint}` : err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** No embedded database in the folder yet (PGlite's initdb has not run there). */
export function isNewDataFolder(dataDir: string): boolean {
  return !existsSync(path.join(dataDir, 'pg', 'PG_VERSION'));
}
