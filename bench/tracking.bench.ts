/**
 * Public tracking over HTTP: GET /api/public/dossiers/:code (no sign-in, masked view) with 32 concurrent
 * connections over a few hundred dossiers taken in through the API, on PostgreSQL and on the embedded
 * database. Baseline in the same run: pgbench -S (select only), -c 32 -j 2, on its own scratch database
 * on the same server, and pgbench replaying the SQL of one lookup. Each database is measured with the
 * app as shipped (lookups cached for a moment, dropped when this process changes the dossier) and with
 * the cache off (every lookup a query). Target: lookups/s on PostgreSQL as shipped ≥ 25 % of pgbench -S
 * TPS, no non-2xx.
 * Run: npm run bench:tracking   (BENCH_DATABASE_URL picks the server; BENCH_SECONDS, BENCH_POOL,
 * BENCH_DOSSIERS, BENCH_PROFILE_SQL=1 for the time per SQL statement)
 */
import {
  type BenchDatabase,
  COMMUNES,
  CONNECTIONS,
  DURATION_S,
  drive,
  intakeBody,
  type LoadGroup,
  type LoadResult,
  login,
  nextIdempotencyKey,
  openBenchDatabase,
  PGBENCH_THREADS,
  POOL_SIZE,
  pgbench,
  pgEnv,
  printComparison,
  printSqlProfile,
  requiredComponents,
  resetSqlProfile,
  startApp,
  WARMUP_S,
} from './bench-support.ts';
import { pgbenchScript, type ReplayResult, runScripts } from './sql-replay.ts';

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
      const commune = COMMUNES[n % COMMUNES.length] as string;
      const res = await fetch(`${url}/api/dossiers`, {
        method: 'POST',
        headers: {
          ...sessions[n % COMMUNES.length],
          'content-type': 'application/json',
          'idempotency-key': nextIdempotencyKey(),
        },
        body: JSON.stringify(intakeBody(n, commune, components)),
      });
      if (res.status !== 201) throw new Error(`intake ${n}: ${res.status} ${await res.text()}`);
      codes.push(((await res.json()) as { code: string }).code);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return codes;
}

/**
 * The database's ceiling for lookups: the SQL of one lookup captured, then pgbench replaying it over the
 * same codes (one script per commune and day, its number drawn among 1…last: codes have no gaps).
 */
async function trackingSqlCeiling(
  database: BenchDatabase,
  url: string,
  codes: string[],
): Promise<ReplayResult> {
  const sample = codes[0] as string;
  database.recording = [];
  const res = await fetch(`${url}/api/public/dossiers/${sample}`);
  const statements = database.recording;
  database.recording = null;
  if (res.status !== 200) throw new Error(`lookup for the replay: ${res.status} ${await res.text()}`);
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
  return runScripts("pgbench replaying one lookup's SQL", pgEnv(), database.name ?? '', scripts, {
    clients: CONNECTIONS,
    threads: PGBENCH_THREADS,
    seconds: DURATION_S,
  });
}

let ceiling: ReplayResult | null = null;

async function benchOn(kind: 'postgres' | 'embedded'): Promise<LoadResult[]> {
  const database = await openBenchDatabase(kind, { capture: kind === 'postgres' });
  try {
    const rows: LoadResult[] = [];
    let codes: string[] = [];
    // As shipped (lookups cached for PUBLIC_VIEW_TTL_MS), then with the cache off: every lookup a query.
    for (const cached of [true, false]) {
      const { app, url } = await startApp(database, cached ? {} : { publicViewTtlMs: 0 });
      try {
        if (codes.length === 0) codes = await seedDossiers(url);
        if (kind === 'postgres' && !cached) ceiling = await trackingSqlCeiling(database, url, codes);
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
        const label = `${kind}: GET /api/public/dossiers/:code${cached ? '' : ', cache off'}`;
        const result = await drive(url, label, [group], DURATION_S);
        printSqlProfile(result.ok);
        rows.push(result);
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
printComparison(
  baseline,
  ceiling,
  results,
  { ratio: 'vs pgbench -S', verdict: 'target (≥25 %)' },
  (r, ratio) => {
    const errors = r.errors ? ', ERRORS' : '';
    return r.label === 'postgres: GET /api/public/dossiers/:code'
      ? `${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}${errors}`
      : `(not a target)${errors}`;
  },
);
if (results.some((r) => r.errors > 0)) process.exitCode = 1;
