import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open-configured.ts';
import { rebuildStats } from '../modules/stats/stats-rebuild.ts';

/**
 * `npm run stats:rebuild`: rebuilds the indicators' rollups from the events and proves they match.
 * Exit code 0 when the rollups match a recount afterwards, 1 when not, 2 when the database cannot be opened.
 */
async function main() {
  const config = loadConfig();
  const database = await openConfiguredDatabase(
    config,
    'Dừng máy chủ trước khi dựng lại số liệu (stop the server first), hoặc dùng DATABASE_URL.',
  );
  try {
    await migrate(database.db);
    const started = Date.now();
    const report = await rebuildStats(database.db, (stage, done, total) => {
      const what =
        stage === 'events' ? 'Đang đối chiếu sự kiện hồ sơ (refolding events)' : 'Đang đếm lại (recounting)';
      process.stdout.write(`\r${what} ${done}/${total}   `);
    });
    process.stdout.write('\n');
    console.log(
      `${report.dossiers} hồ sơ (dossiers) đối chiếu với sự kiện; ${report.projectionsRepaired} hồ sơ sửa lại theo sự kiện (rewritten from their events)`,
    );
    if (report.withoutEvents) {
      console.log(
        `${report.withoutEvents} hồ sơ không có sự kiện (dữ liệu đo hiệu năng), giữ nguyên (dossiers without events, kept as they are)`,
      );
    }
    console.log(`${report.factsRepaired} hồ sơ sửa lại dữ kiện số hóa, kết quả, đánh giá (facts rewritten)`);
    console.log(
      `${report.rollupRows} dòng tổng hợp (rollup rows); ${report.rollupRowsDiffering} dòng khác bản đếm lại trước khi dựng lại (differed before the rebuild)`,
    );
    console.log(
      report.matches
        ? 'Số liệu tổng hợp khớp với bản đếm lại từ hồ sơ (rollups match a full recount).'
        : 'SỐ LIỆU KHÔNG KHỚP sau khi dựng lại (rollups do not match a recount).',
    );
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = report.matches ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
