/**
 * The indicators at national scale on PostgreSQL: 1 M and 10 M generated dossiers over all 3,321
 * communes (the demo history's generator with a size argument), then the national 766 view, a province's
 * ranking and a commune's dashboard served by the rollups, side by side with the same figures computed by
 * a plain GROUP BY over the dossiers (the same definitions, stats_contrib, recounted on every read), the
 * figures compared for equality, and the server's memory while it serves them over HTTP.
 * Targets: national under 300 ms and commune under 50 ms at 10 M.
 * Run: npm run bench:stats   (BENCH_STATS_SIZES=1000000,10000000; BENCH_DATABASE_URL picks the server;
 * the generated databases are kept, named motcua_bench_stats_<size>, and reused by the next run)
 */
import { performance } from 'node:perf_hooks';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { toLocalDate } from '../src/core/calendar/vn-time.ts';
import { buildApp } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrator.ts';
import type { DB } from '../src/server/db/schema.ts';
import { generateBulkHistory } from '../src/server/db/seed/bulk-history.ts';
import { DEMO_PASSWORD } from '../src/server/db/seed/demo-data.ts';
import { seedDatabase } from '../src/server/db/seed/seed.ts';
import { createLocalFileStore } from '../src/server/modules/documents/file-store.ts';
import { createStatsService } from '../src/server/modules/stats/stats.service.ts';
import { createUnitsRepository } from '../src/server/modules/units/units.repository.ts';
import { createUnitsService } from '../src/server/modules/units/units.service.ts';
import { printTable } from './print-table.ts';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZES = (process.env.BENCH_STATS_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = 7;
const SEED = 766;
const PERIOD = { from: '2025-12-01', to: '2026-11-30' };
const PROVINCE = '91';
const COMMUNE = '30502';
const SEAL = 'bench-stats-seal-passphrase';

const urlOf = (name: string) => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(run: (c: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The database of one size: made once (minutes at 10 M), then kept and reused. */
async function prepare(size: number) {
  const name = `motcua_bench_stats_${size}`;
  const exists = await admin((c) => c.query('select 1 from pg_database where datname = $1', [name]));
  if (!exists.rowCount) await admin((c) => c.query(`create database ${name}`));
  const database = await openDatabase({ kind: 'postgres', url: urlOf(name), maxConnections: 10 });
  await migrate(database.db);
  const done = await database.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', 'bench.stats')
    .executeTakeFirst();
  if (!done) {
    const files = createLocalFileStore(`/tmp/${name}_files`);
    await seedDatabase(database.db, {
      demo: true,
      files,
      sealPassphrase: SEAL,
      publicUrl: 'http://localhost',
    });
    const started = performance.now();
    await generateBulkHistory(
      database.db,
      { size, seed: SEED, from: '2025-07-01', to: '2026-11-28' },
      (d, t) =>
        process.stdout.write(`\r  ${name}: ${d.toLocaleString('en')}/${t.toLocaleString('en')} dossiers`),
    );
    process.stdout.write('\n');
    await database.db
      .insertInto('app_meta')
      .values({ key: 'bench.stats', value: JSON.stringify({ size, seed: SEED }) })
      .execute();
    console.log(`  generated and recounted in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return { name, database };
}

/** The median of `runs` timed runs after one untimed (a single run, untimed warm-up skipped, for slow ones). */
async function median(run: () => Promise<unknown>, runs = RUNS) {
  if (runs > 1) await run();
  const times: number[] = [];
  let last: unknown;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, last };
}

/** The same figures as the rollups, recounted from the dossiers on every read (a plain GROUP BY). */
function groupBy(db: Kysely<DB>, where: ReturnType<typeof sql>, key: 'channel' | 'receiving_unit_code') {
  const today = toLocalDate(new Date());
  const asOf = PERIOD.to < today ? PERIOD.to : today;
  return sql<Record<string, number | string>>`
    select ${sql.raw(key)} as key,
      sum(c.received) filter (where c.day between ${PERIOD.from}::date and ${PERIOD.to}::date)::int as received,
      sum(c.resolved_early + c.resolved_on_time) filter (where c.day between ${PERIOD.from}::date and ${PERIOD.to}::date)::int as on_time,
      sum(c.resolved_late) filter (where c.day between ${PERIOD.from}::date and ${PERIOD.to}::date)::int as late,
      sum(c.rated_very + c.rated_satisfied) filter (where c.day between ${PERIOD.from}::date and ${PERIOD.to}::date)::int as satisfied,
      sum(c.comp_reused) filter (where c.day between ${PERIOD.from}::date and ${PERIOD.to}::date)::int as reused,
      sum(c.received - c.ended) filter (where c.day <= ${asOf}::date)::int as in_progress,
      sum(c.due_passed - c.overdue_cleared) filter (where c.day <= ${asOf}::date)::int as overdue
    from dossier d cross join lateral stats_contrib(d) c
    where ${where}
    group by 1`.execute(db);
}

type Figures = { received: number; onTime: number; late: number; inProgress: number; overdue: number };
const fromRollups = (i: {
  received: { total: number };
  resolved: { early: number; onTime: number; late: number };
  inProgress: { total: number; overdue: number };
}): Figures => ({
  received: i.received.total,
  onTime: i.resolved.early + i.resolved.onTime,
  late: i.resolved.late,
  inProgress: i.inProgress.total,
  overdue: i.inProgress.overdue,
});
const fromGroupBy = (rows: Record<string, number | string>[]): Figures =>
  rows.reduce<Figures>(
    (a, r) => ({
      received: a.received + Number(r.received ?? 0),
      onTime: a.onTime + Number(r.on_time ?? 0),
      late: a.late + Number(r.late ?? 0),
      inProgress: a.inProgress + Number(r.in_progress ?? 0),
      overdue: a.overdue + Number(r.overdue ?? 0),
    }),
    { received: 0, onTime: 0, late: 0, inProgress: 0, overdue: 0 },
  );

async function measure(size: number) {
  console.log(`\n${size.toLocaleString('en')} dossiers`);
  const { database } = await prepare(size);
  const db = database.db;
  const units = createUnitsService(createUnitsRepository(db));
  const stats = createStatsService({ db, units, now: () => new Date() });
  const query = (unit: string) => ({ unit, ...PERIOD });
  const nation = await stats.resolveUnit('VN');
  const province = await stats.resolveUnit(PROVINCE);
  const commune = await stats.resolveUnit(COMMUNE);

  const national = await median(() => stats.indicators(nation, query('VN')));
  const baseRuns = size >= 1_000_000 ? 1 : RUNS;
  const nationalBase = await median(() => groupBy(db, sql`true`, 'channel'), baseRuns);
  const ranking = await median(() => stats.ranking(province, query(PROVINCE)));
  const rankingBase = await median(
    () => groupBy(db, sql`d.province_code = ${PROVINCE}`, 'receiving_unit_code'),
    baseRuns,
  );
  const communeIndicators = await median(() => stats.indicators(commune, query(COMMUNE)));
  const dashboard = await median(() =>
    Promise.all([
      stats.indicators(commune, query(COMMUNE)),
      stats.trend(commune, query(COMMUNE)),
      stats.byProcedure(commune, query(COMMUNE)),
    ]),
  );
  const dashboardBase = await median(() => groupBy(db, sql`d.receiving_unit_code = ${COMMUNE}`, 'channel'));

  const same = (a: Figures, b: Figures) => {
    const equal = JSON.stringify(a) === JSON.stringify(b);
    if (!equal) console.log('  differ:', JSON.stringify(a), JSON.stringify(b));
    return equal;
  };
  const nationalSame = same(
    fromRollups(national.last as never),
    fromGroupBy((nationalBase.last as { rows: Record<string, number>[] }).rows),
  );
  const dashboardSame = same(
    fromRollups(communeIndicators.last as never),
    fromGroupBy((dashboardBase.last as { rows: Record<string, number>[] }).rows),
  );
  const rankingRows = (ranking.last as { items: { received: { total: number } }[] }).items;
  const rankingSame =
    rankingRows.reduce((s, r) => s + r.received.total, 0) ===
    (rankingBase.last as { rows: { received: number }[] }).rows.reduce(
      (s, r) => s + Number(r.received ?? 0),
      0,
    );

  // The server's memory while it serves the three views over HTTP (a ministry session, 20 rounds).
  const app = await buildApp({
    database,
    fileStore: createLocalFileStore('/tmp/motcua_bench_stats_files'),
    sealPassphrase: SEAL,
    logLevel: 'silent',
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ministry', password: DEMO_PASSWORD },
  });
  const cookie = `motcua_session=${login.cookies.find((c) => c.name === 'motcua_session')?.value}`;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  const q = `from=${PERIOD.from}&to=${PERIOD.to}`;
  for (let i = 0; i < 20; i++) {
    await Promise.all([
      app.inject({ url: `/api/stats/indicators?unit=VN&${q}`, headers: { cookie } }),
      app.inject({ url: `/api/stats/ranking?unit=${PROVINCE}&${q}`, headers: { cookie } }),
      app.inject({ url: `/api/stats/ranking?unit=VN&${q}`, headers: { cookie } }),
      app.inject({ url: `/api/stats/indicators?unit=${COMMUNE}&${q}`, headers: { cookie } }),
      app.inject({ url: `/api/stats/trend?unit=${COMMUNE}&${q}`, headers: { cookie } }),
    ]);
  }
  clearInterval(sampler);
  await app.close();
  await database.close();

  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const row = (name: string, a: { ms: number }, b: { ms: number }, equal: boolean, target: string) => [
    name,
    a.ms.toFixed(1),
    b.ms.toFixed(0),
    `×${(b.ms / a.ms).toFixed(0)}`,
    equal ? 'yes' : 'NO',
    target,
  ];
  const at10m = size >= 10_000_000;
  printTable(
    ['view (one year)', 'rollups ms', 'GROUP BY ms', 'faster', 'same figures', 'target'],
    [
      row(
        'national 766 view (VN)',
        national,
        nationalBase,
        nationalSame,
        at10m ? `< 300 ms: ${national.ms < 300 ? 'PASS' : 'FAIL'}` : '< 300 ms at 10 M',
      ),
      row(
        `province ranking (${PROVINCE}, ${rankingRows.length} communes)`,
        ranking,
        rankingBase,
        rankingSame,
        '',
      ),
      row(`commune indicators (${COMMUNE})`, communeIndicators, dashboardBase, dashboardSame, ''),
    ],
  );
  const dashboardTarget = at10m ? `${dashboard.ms < 50 ? 'PASS' : 'FAIL'}` : 'target at 10 M';
  console.log(
    `commune dashboard (${COMMUNE}: indicators, trend and procedures together): ${dashboard.ms.toFixed(1)} ms (< 50 ms: ${dashboardTarget})`,
  );
  console.log(
    `server memory while serving: RSS ${mb(rssBefore)} before, peak ${mb(rssPeak)} (+${mb(rssPeak - rssBefore)})`,
  );
}

for (const size of SIZES) await measure(size);
