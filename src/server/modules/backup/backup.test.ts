import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { migrate } from '../../db/migrator.ts';
import { seedDatabase } from '../../db/seed/seed.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import { intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { createTestContextOn, type TestContext } from '../../test-support/test-app.ts';
import { openTestDatabase, TEST_SEAL_PASSPHRASE } from '../../test-support/test-database.ts';
import { createLocalFileStore } from '../documents/file-store.ts';
import { runScheduledBackup } from './backup-scheduler.ts';
import { startControlSocket } from './control-socket.ts';
import { snapshotEmbedded } from './embedded-snapshot.ts';

const OPERATOR = 'operator passphrase 2026';

type Run = { code: number; stdout: string; stderr: string };

/** Runs one of the npm commands (backup, restore) as the operator would, in its own process. */
function runCommand(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/commands', `${script}.ts`), ...args],
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Ho_Chi_Minh', ...env } },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

const count = async (db: TestContext['database']['db'], table: 'dossier' | 'stored_file' | 'audit_log') =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
  );

describe('backup and restore of the embedded database while the server runs', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-backup-test-'));
  const dataDir = path.join(root, 'data');
  const archive = path.join(root, 'backup.tar.gz');
  let source: TestContext;
  let control: { close(): Promise<void> };

  beforeAll(async () => {
    const files = createLocalFileStore(path.join(dataDir, 'files'));
    const database = await openDatabase({ kind: 'embedded', dataDir });
    await migrate(database.db);
    await seedDatabase(database.db, {
      demo: true,
      files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      publicUrl: 'http://localhost:3000',
    });
    fs.writeFileSync(path.join(dataDir, 'seal-passphrase'), `${TEST_SEAL_PASSPHRASE}\n`, { mode: 0o600 });
    // The backup and restore commands are real processes on the wall clock (the restore epoch moves the
    // counters of the days up to the restore's today): the apps here run on it too.
    source = await createTestContextOn({ ...database, files }, { now: () => new Date() });
    control = await startControlSocket(dataDir, ({ target }) =>
      snapshotEmbedded(database.db, dataDir, target),
    );
  });
  afterAll(async () => {
    await control?.close();
    await source?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('makes one archive while intakes go on, restores it into an empty folder and checks it', async () => {
    const reception = await source.login('reception.30502');
    const before = await count(source.database.db, 'dossier');
    // Intakes keep arriving while the backup runs: the copy is consistent, whichever it includes.
    const backup = runCommand('backup', ['--out', archive], {
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_BACKUP_PASSPHRASE: OPERATOR,
    });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postIntake(source.app, reception, intakeBody());
      expect(res.statusCode).toBe(201);
      codes.push(res.json().code);
    }
    const made = await backup;
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Đã sao lưu vào .*backup\.tar\.gz/);
    expect(made.stdout).toContain('đã kèm (sealed)');
    const after = await count(source.database.db, 'dossier');
    expect(after).toBe(before + 5);

    const restoredDir = path.join(root, 'restored');
    const restored = await runCommand('restore', [archive], {
      MOTCUA_DATA_DIR: restoredDir,
      MOTCUA_BACKUP_PASSPHRASE: OPERATOR,
    });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Nhật ký toàn vẹn (audit log intact).');
    expect(restored.stdout).toContain('Số liệu khớp (rollups match).');
    expect(restored.stdout).toMatch(
      /(\d+) tệp đã kiểm tra SHA-256 \(files checked\); thiếu 0 \(missing\), hỏng 0/,
    );
    expect(fs.readFileSync(path.join(restoredDir, 'seal-passphrase'), 'utf8').trim()).toBe(
      TEST_SEAL_PASSPHRASE,
    );

    const copy = await openDatabase({ kind: 'embedded', dataDir: restoredDir });
    const copyFiles = createLocalFileStore(path.join(restoredDir, 'files'));
    const ctx = await createTestContextOn({ ...copy, files: copyFiles }, { now: () => new Date() });
    try {
      const n = await count(ctx.database.db, 'dossier');
      expect(n).toBeGreaterThanOrEqual(before);
      expect(n).toBeLessThanOrEqual(after);
      expect(await count(ctx.database.db, 'stored_file')).toBe(
        await count(source.database.db, 'stored_file'),
      );
      // The restore epoch: a code issued after the backup (and maybe lost with it) is never issued again.
      const epoch = await ctx.database.db.selectFrom('restore_epoch').selectAll().executeTakeFirstOrThrow();
      expect(epoch.epoch).toBe(1);
      expect(epoch.code_gap).toBeGreaterThanOrEqual(1000);
      const res = await postIntake(ctx.app, await ctx.login('reception.30502'), intakeBody());
      expect(res.statusCode).toBe(201);
      const seq = Number(res.json().code.slice(-4));
      const lastBefore = Math.max(...codes.map((c) => Number(c.slice(-4))));
      expect(seq).toBeGreaterThan(lastBefore + epoch.code_gap - 5 - 1);
      expect(codes).not.toContain(res.json().code);
      const voids = await ctx.database.db
        .selectFrom('number_void')
        .selectAll()
        .where('kind', '=', 'dossier_code')
        .where('unit_code', '=', '30502')
        .execute();
      expect(voids.length).toBeGreaterThan(0);
      expect(voids.every((v) => v.to_seq - v.from_seq + 1 === epoch.code_gap && v.epoch === 1)).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('makes the daily backup when the newest is a day old, and keeps the newest N', async () => {
    const dir = path.join(root, 'scheduled');
    let clock = new Date('2026-03-02T19:30:00Z');
    const schedule = {
      database: source.database,
      dataDir,
      dir,
      keep: 2,
      filesDir: path.join(dataDir, 'files'),
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      protectWith: OPERATOR,
      log: source.app.log,
      now: () => clock,
    };
    const first = await runScheduledBackup(schedule);
    expect(path.basename(first ?? '')).toBe('motcua-20260303-023000.tar.gz');
    expect(await runScheduledBackup(schedule)).toBeNull();
    const made: string[] = [];
    for (const hours of [25, 50, 75]) {
      // The file's time says when it was made: move it back as the clock moves on.
      for (const name of fs.readdirSync(dir)) {
        const t = new Date(clock.getTime() - 24 * 3600_000);
        fs.utimesSync(path.join(dir, name), t, t);
      }
      clock = new Date(new Date('2026-03-02T19:30:00Z').getTime() + hours * 3600_000);
      made.push(path.basename((await runScheduledBackup(schedule)) ?? ''));
    }
    expect(made).toEqual([
      'motcua-20260304-033000.tar.gz',
      'motcua-20260305-043000.tar.gz',
      'motcua-20260306-053000.tar.gz',
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'motcua-20260305-043000.tar.gz',
      'motcua-20260306-053000.tar.gz',
    ]);
  });

  it('refuses a folder that is not empty, a wrong passphrase and a file that is not a backup (exit 2)', async () => {
    const notEmpty = await runCommand('restore', [archive], {
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_BACKUP_PASSPHRASE: OPERATOR,
    });
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain('không trống: chỉ khôi phục vào thư mục trống');

    const wrongDir = path.join(root, 'wrong');
    const wrong = await runCommand('restore', [archive], {
      MOTCUA_DATA_DIR: wrongDir,
      MOTCUA_BACKUP_PASSPHRASE: 'not the operator passphrase',
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Mật khẩu bảo vệ bản sao lưu không đúng');
    expect(fs.existsSync(path.join(wrongDir, 'pg'))).toBe(false);

    const junk = path.join(root, 'junk.tar.gz');
    fs.writeFileSync(junk, 'not a backup');
    const notBackup = await runCommand('restore', [junk], { MOTCUA_DATA_DIR: path.join(root, 'junk') });
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain('Không đọc được bản sao lưu');

    const short = await runCommand('backup', ['--out', path.join(root, 'x.tar.gz')], {
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_BACKUP_PASSPHRASE: 'short',
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('ít nhất 12 ký tự');
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('backup and restore on PostgreSQL', () => {
  it('dumps a running database, restores it into an empty one and checks it', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL as string;
    const source = await openTestDatabase();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-backup-pg-'));
    const target = `motcua_restore_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${target}`);
    const targetUrl = Object.assign(new URL(adminUrl), { pathname: `/${target}` }).toString();
    try {
      const sourceUrl = Object.assign(new URL(adminUrl), {
        pathname: `/${source.location.split('/').pop()}`,
      }).toString();
      // The server's file store is <data folder>/files: put the test database's files there.
      const store = createLocalFileStore(path.join(root, 'source-data', 'files'));
      for (const { sha256 } of await source.db.selectFrom('stored_file').select('sha256').execute()) {
        await store.put((await source.files.get(sha256)) as Buffer);
      }
      for (const { sha256 } of await source.db.selectFrom('report_file').select('sha256').execute()) {
        await store.put((await source.files.get(sha256)) as Buffer);
      }
      const made = await runCommand('backup', ['--out', path.join(root, 'pg.tar.gz'), '--no-seal'], {
        DATABASE_URL: sourceUrl,
        MOTCUA_DATA_DIR: path.join(root, 'source-data'),
        MOTCUA_SEAL_PASSPHRASE: TEST_SEAL_PASSPHRASE,
      });
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(made.stdout).toContain('cơ sở dữ liệu postgresql');
      const restored = await runCommand('restore', [path.join(root, 'pg.tar.gz')], {
        DATABASE_URL: targetUrl,
        MOTCUA_DATA_DIR: path.join(root, 'target-data'),
      });
      expect(restored.stderr).toBe('');
      expect(restored.stdout).toContain('Nhật ký toàn vẹn (audit log intact).');
      expect(restored.stdout).toContain('Số liệu khớp (rollups match).');
      expect(restored.stdout).toMatch(/thiếu 0 \(missing\), hỏng 0/);
      expect(restored.code).toBe(0);
      const copy = await openDatabase({ kind: 'postgres', url: targetUrl });
      try {
        expect(await count(copy.db, 'dossier')).toBe(await count(source.db, 'dossier'));
        expect(await count(copy.db, 'audit_log')).toBe(await count(source.db, 'audit_log'));
        const epochs = await copy.db.selectFrom('restore_epoch').select('epoch').execute();
        expect(epochs).toEqual([{ epoch: 1 }]);
      } finally {
        await copy.close();
      }
      // A second restore into the now full database is refused.
      const again = await runCommand('restore', [path.join(root, 'pg.tar.gz')], { DATABASE_URL: targetUrl });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('đã có bảng');
    } finally {
      await source.close();
      await admin.query(`drop database if exists ${target}`);
      await admin.end();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
