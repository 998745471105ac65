import path from 'node:path';
import { loadConfig } from '../config.ts';
import { restoreBackup } from '../modules/backup/restore.service.ts';
import { createConfiguredFileStore } from '../modules/documents/configured-file-store.ts';
import { fail, parseBackupArgs, readOperatorPassphrase } from './backup-args.ts';

const STEPS: Record<string, string> = {
  unpack: 'Đang giải nén (unpacking)',
  database: 'Đang khôi phục cơ sở dữ liệu (restoring the database)',
  files: 'Đang khôi phục tệp (restoring files)',
  audit: 'Đang kiểm tra nhật ký (audit:verify)',
  stats: 'Đang dựng lại số liệu (stats:rebuild)',
  epoch: 'Đang mở kỷ nguyên khôi phục (restore epoch)',
};

/**
 * `npm run restore -- FILE [--passphrase-file F]`: restores a backup into an empty data folder
 * (MOTCUA_DATA_DIR) or an empty DATABASE_URL database, then checks it. Exit 0 restored and checked,
 * 1 restored but a check failed, 2 refused (not empty, wrong passphrase, not a backup).
 */
async function main() {
  const { positionals, values } = parseBackupArgs(process.argv.slice(2));
  const file = positionals[0];
  if (!file) fail('Cần tên tệp sao lưu: npm run restore -- TỆP (the backup file is required).');
  const config = loadConfig();
  const passphrase = readOperatorPassphrase(values['passphrase-file']) ?? null;
  const fileStore = await createConfiguredFileStore(config);
  let lastStep = '';
  const report = await restoreBackup({
    file: path.resolve(file),
    target: config.databaseUrl
      ? { kind: 'postgresql', url: config.databaseUrl, dataDir: config.dataDir }
      : { kind: 'embedded', dataDir: config.dataDir },
    passphrase,
    fileStore,
    filesDir: config.s3 ? null : path.join(config.dataDir, 'files'),
    now: () => new Date(),
    onProgress(step, done, total) {
      if (step !== lastStep) {
        if (lastStep) process.stdout.write('\n');
        lastStep = step;
      }
      process.stdout.write(
        `\r${STEPS[step] ?? step}${done !== undefined ? ` ${done}${total ? `/${total}` : ''}` : ''}   `,
      );
    },
  });
  process.stdout.write('\n');
  const { files, epoch } = report;
  console.log(`Bản sao lưu lúc ${report.manifest.takenAt} (${report.manifest.database.kind}).`);
  console.log(
    report.auditIntact
      ? 'Nhật ký toàn vẹn (audit log intact).'
      : 'NHẬT KÝ SAI LỆCH (audit tampering detected).',
  );
  console.log(
    report.statsMatch ? 'Số liệu khớp (rollups match).' : 'SỐ LIỆU KHÔNG KHỚP (rollups do not match).',
  );
  console.log(
    `${files.checked} tệp đã kiểm tra SHA-256 (files checked); thiếu ${files.missing.length} (missing), hỏng ${files.corrupt.length} (corrupt).`,
  );
  for (const sha of [...files.missing, ...files.corrupt].slice(0, 20)) console.log(`  ${sha}`);
  console.log(
    report.sealRestored
      ? 'Mật khẩu con dấu đã khôi phục vào thư mục dữ liệu (seal passphrase restored).'
      : report.manifest.seal === 'sealed'
        ? 'Mật khẩu con dấu KHÔNG khôi phục (không có mật khẩu bảo vệ, hoặc tệp đã có): đặt MOTCUA_SEAL_PASSPHRASE (seal passphrase not restored).'
        : 'Bản sao lưu không chứa mật khẩu con dấu: đặt MOTCUA_SEAL_PASSPHRASE (the backup holds no seal passphrase).',
  );
  console.log(
    `Kỷ nguyên khôi phục ${epoch.epoch}: mã hồ sơ các ngày ${epoch.fromDay} → ${epoch.toDay} bỏ qua ${epoch.codeGap} số, ` +
      `số sổ kết quả bỏ qua ${epoch.bookGap} số, ghi là số hủy (restore epoch: numbers that may have been issued since the backup are skipped and recorded void).`,
  );
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((err) =>
  fail(`Khôi phục thất bại (restore failed): ${err instanceof Error ? err.message : String(err)}`),
);
