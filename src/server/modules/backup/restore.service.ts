import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../db/connection.ts';
import { acquireDataDirLock } from '../../db/data-dir-lock.ts';
import { migrate } from '../../db/migrator.ts';
import { verifyAuditChains } from '../audit/audit.service.ts';
import { createDocumentsRepository } from '../documents/documents.repository.ts';
import { type FileStore, sha256Of } from '../documents/file-store.ts';
import { listReportFileDigests } from '../reports/reports.service.ts';
import { rebuildStats } from '../stats/stats-rebuild.ts';
import { runPgTool } from './backup.service.ts';
import {
  BackupArchiveError,
  type BackupManifest,
  copyStoreFolder,
  EMBEDDED_DIR,
  FILES_DIR,
  PG_DUMP,
  readSealed,
  unpackArchive,
} from './backup-archive.ts';
import { embeddedPgDir } from './embedded-snapshot.ts';
import { openRestoreEpoch, type RestoreEpoch } from './restore-epoch.ts';
import { openSealedSecret } from './seal-protection.ts';

export type RestoreTarget =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'postgresql'; url: string; dataDir: string };

export type RestoreOptions = {
  file: string;
  target: RestoreTarget;
  /** The operator's passphrase, to open the sealed seal passphrase (null: leave it out). */
  passphrase: string | null;
  /** Where the restored files go (the configured store); its folder for a local store. */
  fileStore: FileStore;
  filesDir: string | null;
  now: () => Date;
  onProgress?: (step: string, done?: number, total?: number) => void;
};

export type RestoreReport = {
  manifest: BackupManifest;
  auditIntact: boolean;
  statsMatch: boolean;
  files: { checked: number; missing: string[]; corrupt: string[] };
  sealRestored: boolean;
  epoch: RestoreEpoch;
  ok: boolean;
};

export class RestoreTargetNotEmptyError extends Error {
  override name = 'RestoreTargetNotEmptyError';
}

async function isEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

async function assertEmptyTarget(target: RestoreTarget): Promise<void> {
  if (target.kind === 'embedded') {
    if (!(await isEmptyFolder(target.dataDir))) {
      throw new RestoreTargetNotEmptyError(
        `Thư mục dữ liệu ${target.dataDir} không trống: chỉ khôi phục vào thư mục trống (restore only into an empty data folder).`,
      );
    }
    return;
  }
  const db = await openDatabase({ kind: 'postgres', url: target.url, maxConnections: 1 });
  try {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_tables where schemaname = 'public'`.execute(db.db);
    if ((rows[0]?.n ?? 0) > 0) {
      throw new RestoreTargetNotEmptyError(
        `Cơ sở dữ liệu ${db.location} đã có bảng: chỉ khôi phục vào cơ sở dữ liệu trống (restore only into an empty database).`,
      );
    }
  } finally {
    await db.close();
  }
}

/** Checks every stored file the restored database names: present, and its bytes hash to its name. */
async function checkFiles(database: Database, store: FileStore, say: RestoreOptions['onProgress']) {
  const repo = createDocumentsRepository();
  const missing: string[] = [];
  const corrupt: string[] = [];
  let checked = 0;
  const check = async (sha: string) => {
    const bytes = await store.get(sha);
    if (!bytes) missing.push(sha);
    else if (sha256Of(bytes) !== sha) corrupt.push(sha);
    checked++;
    if (checked % 200 === 0) say?.('files', checked);
  };
  for (let after = ''; ; ) {
    const page = await repo.listStoredDigests(database.db, after, 500);
    for (const sha of page) await check(sha);
    if (page.length < 500) break;
    after = page[page.length - 1] as string;
  }
  for (const sha of await listReportFileDigests(database.db)) await check(sha);
  return { checked, missing, corrupt };
}

/**
 * Restores a backup into an empty data folder or an empty PostgreSQL database, then checks it (the
 * audit chains, the indicators' rollups against a recount, every stored file's SHA-256) and opens a
 * restore epoch, so that no dossier code or book number a citizen may hold is handed out again.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const say = options.onProgress ?? (() => {});
  const { target } = options;
  await assertEmptyTarget(target);
  const stage = await fs.mkdtemp(path.join(path.dirname(path.resolve(target.dataDir)), '.motcua-restore-'));
  try {
    say('unpack');
    const manifest = await unpackArchive(options.file, stage);
    const expected = target.kind === 'embedded' ? 'embedded' : 'postgresql';
    if (manifest.database.kind !== expected) {
      throw new BackupArchiveError(
        `Bản sao lưu này của cơ sở dữ liệu ${manifest.database.kind}, không khôi phục vào ${expected} được ` +
          `(a backup of the ${manifest.database.kind} database restores into the same kind).`,
      );
    }
    const sealed = await readSealed(stage);
    // Opened before anything is written: a wrong passphrase leaves the target untouched.
    const sealPassphrase = sealed && options.passphrase ? openSealedSecret(sealed, options.passphrase) : null;

    say('database');
    await fs.mkdir(target.dataDir, { recursive: true });
    if (target.kind === 'embedded') {
      const lock = acquireDataDirLock(target.dataDir);
      try {
        await fs.rename(path.join(stage, EMBEDDED_DIR), embeddedPgDir(target.dataDir));
      } finally {
        lock.release();
      }
    } else {
      await runPgTool('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${target.url}`,
        path.join(stage, PG_DUMP),
      ]);
    }
    say('files');
    if (manifest.files.included) {
      if (options.filesDir) {
        await copyStoreFolder(path.join(stage, FILES_DIR), options.filesDir);
      } else {
        // A bucket: each file goes in through the store, which names it by its SHA-256 again.
        const files = await listFiles(path.join(stage, FILES_DIR));
        let done = 0;
        for (const file of files) {
          await options.fileStore.put(await fs.readFile(file));
          if (++done % 200 === 0) say('files', done, files.length);
        }
      }
    }
    let sealRestored = false;
    if (sealPassphrase) {
      const file = path.join(target.dataDir, 'seal-passphrase');
      await fs.writeFile(file, `${sealPassphrase}\n`, { mode: 0o600, flag: 'wx' }).then(
        () => {
          sealRestored = true;
        },
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        },
      );
    }

    const database =
      target.kind === 'embedded'
        ? await openDatabase({ kind: 'embedded', dataDir: target.dataDir })
        : await openDatabase({ kind: 'postgres', url: target.url });
    try {
      await migrate(database.db);
      say('audit');
      const audit = await verifyAuditChains(database.db, (done, total) => say('audit', done, total));
      say('stats');
      const stats = await rebuildStats(database.db, (_stage, done, total) => say('stats', done, total));
      const files = await checkFiles(database, options.fileStore, say);
      say('epoch');
      const epoch = await openRestoreEpoch(database.db, {
        backupTakenAt: new Date(manifest.takenAt),
        now: options.now(),
      });
      const ok = audit.ok && stats.matches && files.missing.length === 0 && files.corrupt.length === 0;
      return { manifest, auditIntact: audit.ok, statsMatch: stats.matches, files, sealRestored, epoch, ok };
    } finally {
      await database.close();
    }
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}
