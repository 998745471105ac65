import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Database } from '../../db/connection.ts';
import {
  type BackupManifest,
  copyStoreFolder,
  EMBEDDED_DIR,
  FILES_DIR,
  MANIFEST,
  PG_DUMP,
  packArchive,
  SEAL,
} from './backup-archive.ts';
import { sealSecret } from './seal-protection.ts';

const run = promisify(execFile);

export type BackupSource =
  /** The embedded database: `snapshot` copies its files consistently (in the server, or through it). */
  | { kind: 'embedded'; dataDir: string; snapshot(target: string): Promise<void> }
  | { kind: 'postgresql'; url: string };

export type BackupOptions = {
  out: string;
  source: BackupSource;
  /** The local file store's folder; null when the files live in an S3 bucket (kept there). */
  filesDir: string | null;
  /** The seal passphrase and the operator's passphrase that protects it in the archive. */
  seal: { passphrase: string; protectWith: string } | null;
  now: () => Date;
  onProgress?: (step: string) => void;
};

export type BackupReport = { file: string; bytes: number; manifest: BackupManifest };

export class PgToolMissingError extends Error {
  override name = 'PgToolMissingError';
}

/** Runs pg_dump / pg_restore; a missing program is said plainly with what to install. */
export async function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new PgToolMissingError(
        `Cần chương trình ${tool} của PostgreSQL cùng phiên bản với máy chủ (Debian: apt-get install postgresql-client-15). ` +
          `(${tool} is needed: install the PostgreSQL client of the server's version.)`,
      );
    }
    throw new Error(`${tool}: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** The database's version, from the backup's own copy (embedded) or the server it dumps. */
async function serverVersion(stage: string, source: BackupSource, database?: Database): Promise<string> {
  if (source.kind === 'embedded') {
    return (await fs.readFile(path.join(stage, EMBEDDED_DIR, 'PG_VERSION'), 'utf8')).trim();
  }
  if (!database) return 'unknown';
  const { rows } = await sql<{ v: string }>`show server_version`.execute(database.db);
  return rows[0]?.v ?? 'unknown';
}

/**
 * Makes one archive of everything a restore needs while the server runs: the database first (a
 * consistent copy), then the stored files (written before the rows that name them, so every file the
 * copy names is there), then the sealed seal passphrase and the manifest.
 */
export async function makeBackup(options: BackupOptions, database?: Database): Promise<BackupReport> {
  const out = path.resolve(options.out);
  await fs.mkdir(path.dirname(out), { recursive: true });
  const stage = await fs.mkdtemp(path.join(path.dirname(out), '.motcua-backup-'));
  const say = options.onProgress ?? (() => {});
  try {
    // Earlier is safer: the restore epoch skips every number that may have been issued after this.
    const takenAt = options.now();
    say('database');
    if (options.source.kind === 'embedded') {
      await options.source.snapshot(path.join(stage, EMBEDDED_DIR));
    } else {
      await runPgTool('pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${path.join(stage, PG_DUMP)}`,
        `--dbname=${options.source.url}`,
      ]);
    }
    say('files');
    const files = options.filesDir
      ? { included: true, ...(await copyStoreFolder(options.filesDir, path.join(stage, FILES_DIR))) }
      : { included: false, count: 0, bytes: 0 };
    if (options.seal) {
      await fs.writeFile(
        path.join(stage, SEAL),
        JSON.stringify(sealSecret(options.seal.passphrase, options.seal.protectWith)),
      );
    }
    const manifest: BackupManifest = {
      format: 'motcua-backup',
      version: 1,
      takenAt: takenAt.toISOString(),
      database: {
        kind: options.source.kind,
        serverVersion: await serverVersion(stage, options.source, database),
      },
      files,
      seal: options.seal ? 'sealed' : 'absent',
    };
    await fs.writeFile(path.join(stage, MANIFEST), JSON.stringify(manifest, null, 2));
    say('archive');
    const bytes = await packArchive(stage, out);
    return { file: out, bytes, manifest };
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` scheduled backups in the folder (by their names, which sort by time). */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^motcua-\d{8}-\d{6}\.tar\.gz$/.test(n))
    .sort();
  const gone = names.slice(0, Math.max(0, names.length - keep));
  for (const name of gone) await fs.rm(path.join(dir, name), { force: true });
  return gone;
}

/** motcua-YYYYMMDD-HHmmss.tar.gz, in Vietnam time. */
export function scheduledBackupName(at: Date): string {
  const vn = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return `motcua-${vn.slice(0, 10).replaceAll('-', '')}-${vn.slice(11, 19).replaceAll(':', '')}.tar.gz`;
}
