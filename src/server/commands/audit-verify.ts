import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open-configured.ts';
import { verifyAuditChains } from '../modules/audit/audit.service.ts';

/**
 * `npm run audit:verify`: recomputes every audit hash chain and says whether any past entry was edited or
 * deleted. Exit code 0 when intact, 1 when not, 2 when the database cannot be opened.
 */
async function main() {
  const config = loadConfig();
  const database = await openConfiguredDatabase(
    config,
    'Dừng máy chủ trước khi kiểm tra nhật ký (stop the server first), hoặc dùng DATABASE_URL.',
  );
  try {
    await migrate(database.db);
    const result = await verifyAuditChains(database.db, (done, total) => {
      process.stdout.write(`\rĐang kiểm tra chuỗi nhật ký ${done}/${total} (checking chains)`);
    });
    process.stdout.write('\n');
    console.log(
      `${result.entries} bản ghi trong ${result.chains} chuỗi (entries in chains); ${result.unchained} bản ghi trước khi có chuỗi (unchained, before migration 0003)`,
    );
    if (result.ok) {
      console.log('Nhật ký toàn vẹn: không có bản ghi nào bị sửa hay xóa (audit log intact).');
    } else {
      console.log('PHÁT HIỆN SAI LỆCH (tampering detected):');
      for (const p of result.problems) console.log(`  chuỗi ${p.chain}, số ${p.seq}: ${p.problem}`);
    }
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
