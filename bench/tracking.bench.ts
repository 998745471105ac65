/**
 * Public tracking over HTTP: GET /api/public/dossiers/:code (no sign-in, masked view) with 32 concurrent
 * connections over a few hundred dossiers taken in through the API, on PostgreSQL and on the embedded
 * database. Baselines in the same run: pgbench -S (select only, scale 32), -c 32 -j 2, on its own scratch
 * database on the same server, and pgbench replaying the SQL of one lookup. Each database is measured
 * with the app as shipped (lookups cached 2 s, dropped when this process changes the dossier: with a few
 * hundred codes nearly every lookup is a cache hit) and with the cache off (every lookup a query).
 * Target: lookups/s on PostgreSQL as shipped ≥ 25 % of pgbench -S TPS, no non-2xx; the cache-off row
 * says what the database path alone gives.
 * Run: npm run bench:tracking   (BENCH_DATABASE_URL picks the server; BENCH_SECONDS, BENCH_POOL,
 * BENCH_DOSSIERS, BENCH_PROFILE_SQL=1 for the time per SQL statement)
 */
import {
  type BenchDatabase,
  COMMUNES,
  CONNECTIONS,
  DURATION_S,
  drive,
  intakeOnce,
  type LoadGroup,
  type LoadResult,
  login,
  openBenchDatabase,
  POOL_SIZE,
  pgbench,
  printComparison,
  printSqlProfile,
  replay,
  requiredComponents,
  resetSqlProfile,
  startApp,
  startCaptureApp,
  WARMUP_S,
} from './bench-support.ts';
import type { PgbenchRun } from './pgbench.ts';
import { pgbenchScript } from './sql-replay.ts';

const TARGET_RATIO = 0.25;
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 300);

/** Takes in DOSSIERS dossiers over the five communes through POST /api/dossiers; returns their codes. */
async function seedDossiers(url: string): Promise<string[]> {
  const sessions = await Promise.all(COMMUNES.map((c) => login(url, `reception.${c}`)));
  const components = await requiredComponents(url);
  const codes: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < DOSSIERS) {
      const n = next++;
      const at = n % COMMUNES.length;
      codes.push(
        (await intakeOnce(url, sessions[at] as (typeof sessions)[0], n, COMMUNES[at] as string, components))
          .code,
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return codes;
}

/**
 * The database's ceiling for lookups: the SQL of one lookup captured (after an unrecorded one, so the
 * procedure is cached as under load), then pgbench replaying it over the same codes (one script per
 * commune and day, its number drawn among 1…last: codes have no gaps).
 */
async function trackingSqlCeiling(database: BenchDatabase, codes: string[]): Promise<PgbenchRun> {
  const sample = codes[0] as string;
  const capture = await startCaptureApp(database);
  let statements: Awaited<ReturnType<typeof capture.record>>['statements'];
  try {
    const lookup = async () => {
      const res = await fetch(`${capture.url}/api/public/dossiers/${sample}`);
      if (res.status !== 200) throw new Error(`lookup for the replay: ${res.status} ${await res.text()}`);
    };
    await lookup();
    ({ statements } = await capture.record(lookup));
  } finally {
    await capture.close();
  }
  const last = new Map<string, number>();
  for (const code of codes) {
    const prefix = code.slice(0, code.lastIndexOf('-') + 1);
    last.set(prefix, Math.max(last.get(prefix) ?? 0, Number(code.slice(prefix.length))));
  }
  const scripts = [...last].map(([prefix, max]) =>
    pgbenchScript(
      statements,
      (line) => line.replaceAll(`'${sample}'`, `'${prefix}' || lpad(:s::text, 4, '0')`),
      `\\set s random(1, ${max})\n`,
    ),
  );
  return replay(database, "pgbench replaying one lookup's SQL", scripts);
}

async function benchOn(kind: 'postgres' | 'embedded'): Promise<LoadResult[]> {
  const database = await openBenchDatabase(kind);
  try {
    const rows: LoadResult[] = [];
    let codes: string[] = [];
    let ceiling: PgbenchRun | undefined;
    // As shipped (lookups cached for PUBLIC_VIEW_TTL_MS), then with the cache off: every lookup a query.
    for (const cached of [true, false]) {
      const { app, url } = await startApp(database, cached ? {} : { publicViewTtlMs: 0 });
      try {
        if (codes.length === 0) codes = await seedDossiers(url);
        if (kind === 'postgres' && !ceiling) ceiling = await trackingSqlCeiling(database, codes);
        const group: LoadGroup = {
          kind: 'get',
          connections: CONNECTIONS,
          paths: codes.map((code) => `/api/public/dossiers/${code}`),
        };
        await drive(url, 'warm-up', [group], WARMUP_S);
        if (kind === 'postgres' && cached) {
          // Floors on the same server: no database work at all, and one trivial query through the pool.
          for (const path of ['/healthz', '/readyz']) {
            const floor: LoadGroup = { kind: 'get', connections: CONNECTIONS, paths: [path] };
            rows.push(await drive(url, `${kind}: floor GET ${path}`, [floor], DURATION_S));
          }
        }
        resetSqlProfile();
        const label = `${kind}: GET /api/public/dossiers/:code${cached ? ' (cache hits)' : ', cache off'}`;
        const result = await drive(url, label, [group], DURATION_S);
        printSqlProfile(result.ok);
        rows.push({
          ...result,
          target: kind === 'postgres' && cached,
          ceiling: cached ? undefined : ceiling,
        });
      } finally {
        await app.close();
      }
    }
    return rows;
  } finally {
    await database.close();
  }
}

const baseline = await pgbench('select-only');
const results = [...(await benchOn('postgres')), ...(await benchOn('embedded'))];

console.log(
  `\ntracking benchmark: ${DOSSIERS} dossiers taken in through the API, ${CONNECTIONS} connections, ` +
    `${DURATION_S} s each after ${WARMUP_S} s warm-up; PostgreSQL app pool ${POOL_SIZE}, embedded PGlite in memory; ` +
    `load generator in a process of its own`,
);
printComparison(baseline, results, { ratio: 'vs pgbench -S', verdict: 'target (≥25 %)' }, (r, ratio) => {
  const errors = r.errors ? ', ERRORS' : '';
  return r.target ? `${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}${errors}` : `(not a target)${errors}`;
});
if (results.some((r) => r.errors > 0)) process.exitCode = 1;
