import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open-configured.ts';
import { makeBackup } from '../modules/backup/backup.service.ts';
import { askRunningServer } from '../modules/backup/control-socket.ts';
import { snapshotEmbedded } from '../modules/backup/embedded-snapshot.ts';
import { findSealPassphrase } from '../modules/signing/seal-passphrase.ts';
import { fail, parseBackupArgs, readOperatorPassphrase } from './backup-args.ts';

/**
 * `npm run backup -- --out FILE [--passphrase-file F | --no-seal]`: one archive of the database, the
 * stored files and the seal passphrase (sealed under the operator's passphrase), while the server runs.
 * On the embedded database the running server makes the copy (through its local socket); with none
 * running, this command opens the folder itself. Exit 0 done, 2 refused or failed.
 */
async function main() {
  const { values } = parseBackupArgs(process.argv.slice(2));
  if (!values.out) fail('Cần --out TỆP: nơi ghi bản sao lưu (--out FILE is required).');
  const config = loadConfig();
  const protectWith = readOperatorPassphrase(values['passphrase-file']);
  const sealPassphrase = await findSealPassphrase(config.sealPassphrase, config.dataDir);
  if (!values['no-seal'] && sealPassphrase && !protectWith) {
    fail(
      'Cần mật khẩu bảo vệ mật khẩu con dấu trong bản sao lưu: MOTCUA_BACKUP_PASSPHRASE hoặc --passphrase-file TỆP (hoặc --no-seal để bỏ ra ngoài). ' +
        '(A passphrase to protect the seal passphrase is needed, or --no-seal.)',
    );
  }
  const { dataDir } = config;
  const started = Date.now();
  const report = await makeBackup({
    out: values.out,
    source: config.databaseUrl
      ? { kind: 'postgresql', url: config.databaseUrl }
      : {
          kind: 'embedded',
          dataDir,
          async snapshot(target) {
            const answer = await askRunningServer(dataDir, { op: 'snapshot', target });
            if (answer?.ok) return;
            if (answer) throw new Error(answer.error);
            const database = await openConfiguredDatabase(
              config,
              'Máy chủ đang chạy nhưng không nhận lệnh sao lưu: hãy nâng cấp hoặc dừng máy chủ (the running server takes no backup request).',
            );
            try {
              await snapshotEmbedded(database.db, dataDir, target);
            } finally {
              await database.close();
            }
          },
        },
    filesDir: config.s3 ? null : path.join(dataDir, 'files'),
    seal:
      sealPassphrase && protectWith && !values['no-seal']
        ? { passphrase: sealPassphrase, protectWith }
        : null,
    now: () => new Date(),
    onProgress: (step) => console.log(`… ${step}`),
  });
  const m = report.manifest;
  console.log(
    `Đã sao lưu vào ${report.file} (${(report.bytes / 1048576).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s): ` +
      `cơ sở dữ liệu ${m.database.kind} ${m.database.serverVersion}, ${m.files.count} tệp, ` +
      `mật khẩu con dấu ${m.seal === 'sealed' ? 'đã kèm (sealed)' : 'KHÔNG kèm (left out)'}.`,
  );
}

main().catch((err) =>
  fail(`Sao lưu thất bại (backup failed): ${err instanceof Error ? err.message : String(err)}`),
);
