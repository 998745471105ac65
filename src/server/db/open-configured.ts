import type { AppConfig } from '../config.ts';
import { type Database, openDatabase } from './connection.ts';
import { DataDirLockedError } from './data-dir-lock.ts';

/**
 * The database the configuration names: PostgreSQL with DATABASE_URL, else the embedded one in the data
 * folder. A folder held by another process ends this one with exit code 2 and the message (plus `hint`).
 */
export async function openConfiguredDatabase(config: AppConfig, hint = ''): Promise<Database> {
  try {
    return config.databaseUrl
      ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
      : await openDatabase({ kind: 'embedded', dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(hint ? `${err.message}\n${hint}` : err.message);
      process.exit(2);
    }
    throw err;
  }
}
