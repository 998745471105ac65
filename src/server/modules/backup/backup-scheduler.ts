import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/connection.ts';
import { makeBackup, pruneBackups, scheduledBackupName } from './backup.service.ts';
import { snapshotEmbedded } from './embedded-snapshot.ts';

export type BackupSchedule = {
  database: Database;
  dataDir: string;
  dir: string;
  keep: number;
  filesDir: string | null;
  sealPassphrase: string;
  /** The operator's passphrase; without it the backups leave the seal passphrase out (said in the log). */
  protectWith: string | undefined;
  log: FastifyBaseLogger;
  now?: () => Date;
};

const DAY_MS = 24 * 3600_000;

/** The newest scheduled backup's time (from its file), or null. */
async function newestBackupAt(dir: string): Promise<number | null> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) =>
    /^motcua-\d{8}-\d{6}\.tar\.gz$/.test(n),
  );
  let newest: number | null = null;
  for (const name of names) {
    const { mtimeMs } = await fs.stat(path.join(dir, name));
    newest = newest === null ? mtimeMs : Math.max(newest, mtimeMs);
  }
  return newest;
}

/** Makes a backup when the newest is a day old or there is none; keeps the newest `keep`. */
export async function runScheduledBackup(s: BackupSchedule): Promise<string | null> {
  const now = s.now ?? (() => new Date());
  const newest = await newestBackupAt(s.dir);
  if (newest !== null && now().getTime() - newest < DAY_MS) return null;
  const out = path.join(s.dir, scheduledBackupName(now()));
  const report = await makeBackup({
    out,
    source: {
      kind: 'embedded',
      dataDir: s.dataDir,
      snapshot: (target) => snapshotEmbedded(s.database.db, s.dataDir, target),
    },
    filesDir: s.filesDir,
    seal: s.protectWith ? { passphrase: s.sealPassphrase, protectWith: s.protectWith } : null,
    now,
  });
  const removed = await pruneBackups(s.dir, s.keep);
  s.log.info(
    { file: report.file, bytes: report.bytes, removed: removed.length, seal: report.manifest.seal },
    'Đã sao lưu theo lịch (scheduled backup made)',
  );
  return report.file;
}

/**
 * The embedded database's daily backup: checked an hour after start and every hour after, made when the
 * newest is a day old. A failure is logged and tried again at the next check.
 */
export function startBackupScheduler(s: BackupSchedule): { stop(): void } {
  if (!s.protectWith) {
    s.log.warn(
      'MOTCUA_BACKUP_PASSPHRASE chưa đặt: bản sao lưu theo lịch không chứa mật khẩu con dấu, hãy giữ riêng tệp seal-passphrase (the scheduled backups leave the seal passphrase out)',
    );
  }
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduledBackup(s);
    } catch (err) {
      s.log.error({ err }, 'Sao lưu theo lịch thất bại (scheduled backup failed)');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 3600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
