/**
 * Public tracking over HTTP: GET /api/public/dossiers/:code (no sign-in, masked view) with 32 concurrent
 * connections over a few hundred dossiers taken in through the API, on PostgreSQL and on the embedded
 * database. Baseline in the same run: pgbench -S (select only), -c 32 -j 2, on its own scratch database
 * on the same server. Target: lookups/s on PostgreSQL ≥ 25 % of pgbench -S TPS, no non-2xx.
 * Run: npm run bench:tracking   (BENCH_DATABASE_URL picks the server; BENCH_SECONDS, BENCH_POOL,
 * BENCH_DOSSIERS, BENCH_PROFILE_SQL=1 for the time per SQL statement)
 */
import {
  COMMUNES,
  CONNECTIONS,
  DURATION_S,
  drive,
  intakeBody,
  type LoadResult,
  login,
  nextIdempotencyKey,
  openBenchDatabase,
  POOL_SIZE,
  pgbench,
  printComparison,
  printSqlProfile,
  requiredComponents,
  resetSqlProfile,
  startApp,
  WARMUP_S,
} from './bench-support.ts';

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

async function benchOn(kind: 'postgres' | 'embedded'): Promise<LoadResult[]> {
  const database = await openBenchDatabase(kind);
  try {
    const { app, url } = await startApp(database);
    try {
      const codes = await seedDossiers(url);
      const group = {
        connections: CONNECTIONS,
        request: (n: number) => ({
          method: 'GET' as const,
          path: `/api/public/dossiers/${codes[n % codes.length]}`,
        }),
      };
      await drive(url, 'warm-up', [group], WARMUP_S);
      const rows: LoadResult[] = [];
      if (kind === 'postgres') {
        // Floors on the same server: no database work at all, and one trivial query through the pool.
        for (const path of ['/healthz', '/readyz']) {
          const floor = { connections: CONNECTIONS, request: () => ({ method: 'GET' as const, path }) };
          rows.push(await drive(url, `${kind}: floor GET ${path}`, [floor], DURATION_S));
        }
      }
      resetSqlProfile();
      const result = await drive(url, `${kind}: GET /api/public/dossiers/:code`, [group], DURATION_S);
      printSqlProfile(result.ok);
      return [...rows, result];
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

const baseline = await pgbench('select-only');
const results = [...(await benchOn('postgres')), ...(await benchOn('embedded'))];

console.log(
  `\ntracking benchmark: ${DOSSIERS} dossiers taken in through the API, ${CONNECTIONS} connections, ` +
    `${DURATION_S} s each after ${WARMUP_S} s warm-up; PostgreSQL app pool ${POOL_SIZE}, embedded PGlite in memory; ` +
    `load generator in the server's process`,
);
printComparison(baseline, results, { ratio: 'vs pgbench -S', verdict: 'target (≥25 %)' }, (r, ratio) => {
  const errors = r.errors ? ', ERRORS' : '';
  return r.label.startsWith('postgres: GET')
    ? `${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}${errors}`
    : `(not a target)${errors}`;
});
if (results.some((r) => r.errors > 0)) process.exitCode = 1;
