/**
 * Shared plumbing of the HTTP benchmarks over dossiers: a fresh seeded database (PostgreSQL clone of the
 * seeded template, or embedded in memory), the real app listening on an ephemeral port, demo sign-ins,
 * a closed-loop load driver in a process of its own (bench/load-driver.ts) and pgbench as the baseline.
 */
import { execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type BuildAppOptions, buildApp } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/connection.ts';
import type { DB } from '../src/server/db/schema.ts';
import { DEMO_COMMUNES, DEMO_PASSWORD } from '../src/server/db/seed/demo-data.ts';
import {
  openTestDatabase,
  TEST_SEAL_PASSPHRASE,
  type TestDatabase,
} from '../src/server/test-support/test-database.ts';
import type { DriveOrder, DriveReport } from './load-driver.ts';
import {
  intakeBody,
  type LoadGroup,
  nextIdempotencyKey,
  PROCEDURE_CODE,
  type Session,
} from './load-requests.ts';
import { type PgbenchRun, percentile, runPgbench } from './pgbench.ts';
import { printTable } from './print-table.ts';
import { type Captured, captured } from './sql-replay.ts';

export type { LoadGroup, Session } from './load-requests.ts';
export { printTable } from './print-table.ts';

const run = promisify(execFile);

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
export const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
export const CONNECTIONS = 32;
const PGBENCH_THREADS = 2;
/** The app's pool on PostgreSQL: the default of openDatabase, as main.ts runs it in production. */
export const POOL_SIZE = Number(process.env.BENCH_POOL ?? 10);
export const COMMUNES: string[] = DEMO_COMMUNES.map((c) => c.code);

/** Filled when BENCH_PROFILE_SQL=1: time per SQL text (first 90 characters), measured by the driver. */
const sqlStats = new Map<string, { count: number; totalMs: number }>();
const PROFILE_SQL = process.env.BENCH_PROFILE_SQL === '1';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export type BenchDatabase = TestDatabase & { name: string | null };

/** A Kysely on the database with a hook on every statement (the driver's own timing included). */
function loggingDatabase(
  url: string,
  location: string,
  onQuery: (e: { sql: string; ms: number; q: Captured }) => void,
) {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) =>
      onQuery({ sql: event.query.sql, ms: event.queryDurationMillis, q: captured(event.query) }),
  });
  return { db, kind: 'postgres' as const, location, close: () => db.destroy() };
}

/**
 * A fresh seeded database. On PostgreSQL: openTestDatabase clones the seeded template (and drops the clone
 * on close); the app then gets its own pool of POOL_SIZE on that clone, as in production, instead of the
 * tests' pool of 5. Embedded: PGlite in memory, migrated and seeded (BENCH_PROFILE_SQL has no effect).
 */
export async function openBenchDatabase(kind: 'postgres' | 'embedded'): Promise<BenchDatabase> {
  if (kind === 'embedded') return { ...(await openTestDatabase({ serverUrl: null })), name: null };
  const clone = await openTestDatabase({ serverUrl: SERVER_URL });
  const name = new URL(`postgres://${clone.location}`).pathname.slice(1);
  const url = withDatabase(SERVER_URL, name);
  const database = PROFILE_SQL
    ? loggingDatabase(url, clone.location, ({ sql, ms }) => {
        const key = sql.replace(/\s+/g, ' ').slice(0, 90);
        const stat = sqlStats.get(key) ?? { count: 0, totalMs: 0 };
        stat.count++;
        stat.totalMs += ms;
        sqlStats.set(key, stat);
      })
    : await openDatabase({ kind: 'postgres', url, maxConnections: POOL_SIZE });
  return {
    ...database,
    files: clone.files,
    name,
    async close() {
      await database.close();
      await clone.close();
    },
  };
}

/**
 * A second app on the same PostgreSQL database whose every statement can be recorded, so that the app
 * being measured never pays for the hook. `record` returns what one piece of work sent. Its public-view
 * cache is off; the other caches (procedures, calendars) warm up as in the measured app.
 */
export async function startCaptureApp(database: BenchDatabase) {
  if (!database.name) throw new Error('capturing SQL needs PostgreSQL');
  let recording: Captured[] | null = null;
  const logging = loggingDatabase(withDatabase(SERVER_URL, database.name), database.location, ({ q }) => {
    recording?.push(q);
  });
  // No public-view cache: a recorded lookup must reach the database.
  const { app, url } = await startApp({ ...logging, files: database.files }, { publicViewTtlMs: 0 });
  return {
    url,
    async record<T>(work: () => Promise<T>): Promise<{ value: T; statements: Captured[] }> {
      recording = [];
      try {
        const value = await work();
        if (recording.length === 0) throw new Error('the recorded work sent no SQL');
        return { value, statements: recording };
      } finally {
        recording = null;
      }
    },
    async close() {
      await app.close();
      await logging.close();
    },
  };
}

/** pgbench replaying our scripts on the bench database, with as many clients as the app has connections. */
export function replay(database: BenchDatabase, label: string, scripts: string[]): Promise<PgbenchRun> {
  if (!database.name) throw new Error('replaying SQL needs PostgreSQL');
  return runPgbench(label, {
    env: pgEnv(),
    database: database.name,
    clients: POOL_SIZE,
    threads: PGBENCH_THREADS,
    seconds: DURATION_S,
    scripts,
  });
}

export async function startApp(
  database: TestDatabase,
  options: Partial<Pick<BuildAppOptions, 'publicViewTtlMs' | 'notificationProviders'>> = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    database,
    fileStore: database.files,
    sealPassphrase: TEST_SEAL_PASSPHRASE,
    loginRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    ...options,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/** Signs in a demo account over HTTP; returns the headers a signed-in browser sends. */
export async function login(url: string, username: string): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('motcua_session='));
  if (!cookie) throw new Error(`login ${username}: no session cookie`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0] as string, 'x-csrf-token': csrfToken };
}

/** The keys of the procedure's required components, as the reception screen ticks them. */
export async function requiredComponents(url: string, code = PROCEDURE_CODE): Promise<string[]> {
  const res = await fetch(`${url}/api/procedures/${code}`);
  if (res.status !== 200) throw new Error(`procedure ${code}: ${res.status} ${await res.text()}`);
  const { procedure } = (await res.json()) as {
    procedure: { components: { key: string; requirement: string }[] };
  };
  return procedure.components.filter((c) => c.requirement === 'required').map((c) => c.key);
}

/** One intake over HTTP, as a reception officer sends it; the dossier's code, or an Error. */
export async function intakeOnce(
  url: string,
  session: Session,
  n: number,
  commune: string,
  components: string[],
  key = nextIdempotencyKey(),
): Promise<{ code: string; key: string }> {
  const res = await fetch(`${url}/api/dossiers`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(intakeBody(n, commune, components)),
  });
  if (res.status !== 201) throw new Error(`intake ${n} in ${commune}: ${res.status} ${await res.text()}`);
  return { code: ((await res.json()) as { code: string }).code, key };
}

export type LoadResult = {
  label: string;
  /** The target row: the verdict the caller gives applies to it. */
  target?: boolean;
  /** pgbench replaying the SQL of this very request, when measured. */
  ceiling?: PgbenchRun;
  ok: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError: string | null;
  /** CPU time of the server's process per successful request (the load generator is a process apart). */
  cpuMsPerRequest: number;
  /** CPU time of the load generator's process per successful request. */
  loadCpuMsPerRequest: number;
};

/**
 * A closed loop run by bench/load-driver.ts in a process of its own: each group is one autocannon
 * instance, all started together; every response time comes back so the percentiles are exact.
 */
export async function drive(url: string, label: string, groups: LoadGroup[], seconds: number) {
  const profiler = label === 'warm-up' ? null : await startCpuProfile();
  try {
    return await driveOnce(url, label, groups, seconds);
  } finally {
    await profiler?.stop(label);
  }
}

/** With BENCH_CPU_PROF=<folder>: a V8 CPU profile of the server's process over each measured run. */
async function startCpuProfile() {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return null;
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(label: string) {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${label.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const DRIVER = fileURLToPath(new URL('./load-driver.ts', import.meta.url));

async function driveOnce(url: string, label: string, groups: LoadGroup[], seconds: number) {
  const cpuBefore = process.cpuUsage();
  const child = fork(DRIVER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const report = await new Promise<DriveReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as DriveReport));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load driver exited with ${code} before reporting`)));
    child.send({ url, groups, seconds } satisfies DriveOrder);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const ok = Math.max(report.ok, 1);
  return {
    label,
    ok: report.ok,
    perSecond: report.ok / report.elapsedS,
    p50: percentile(report.latencies, 50),
    p99: percentile(report.latencies, 99),
    errors: report.errors,
    firstError: report.firstError,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / ok,
    loadCpuMsPerRequest: report.cpuMs / ok,
  } satisfies LoadResult;
}

/** Splits `total` connections over `parts` groups as evenly as possible (7, 7, 6, 6, 6 for 32 over 5). */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function pgEnv(): NodeJS.ProcessEnv {
  const u = new URL(SERVER_URL);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * pgbench on its own scratch database, dropped afterwards: the default tpcb-like script, or -S (select
 * only); -c 32 -j 2 -T DURATION_S. Initialised at scale 32: with one branch row (scale 1) its 32 clients
 * would mostly queue on that row and the baseline would be low (pgbench's manual: scale ≥ clients).
 */
export async function pgbench(mode: 'tpcb-like' | 'select-only'): Promise<PgbenchRun> {
  const name = `motcua_bench_pgbench_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  try {
    await run('pgbench', ['-i', '-q', '-s', String(CONNECTIONS), name], { env: pgEnv() });
    return await runPgbench(`pgbench ${mode === 'select-only' ? '-S ' : ''}(${mode}, scale ${CONNECTIONS})`, {
      env: pgEnv(),
      database: name,
      clients: CONNECTIONS,
      threads: PGBENCH_THREADS,
      seconds: DURATION_S,
      selectOnly: mode === 'select-only',
    });
  } finally {
    await admin((c) => c.query(`drop database if exists ${name}`));
  }
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

export const resetSqlProfile = () => sqlStats.clear();

/** With BENCH_PROFILE_SQL=1: the SQL statements by total time spent in them (driver-measured). */
export function printSqlProfile(requests: number) {
  if (!PROFILE_SQL || sqlStats.size === 0) return;
  const rows = [...sqlStats.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, 20);
  console.log(
    `\nSQL profile (driver round-trip time incl. lock waits; per request over ${requests} requests)`,
  );
  printTable(
    ['statement', 'calls/req', 'ms/call', 'ms/req'],
    rows.map(([q, s]) => [
      q,
      fmt(s.count / requests, 2),
      fmt(s.totalMs / s.count, 2),
      fmt(s.totalMs / requests, 2),
    ]),
  );
  sqlStats.clear();
}

/**
 * The figures beside the baseline: pgbench's row, a row for each replay of the app's own SQL, one per
 * load result with its ratio to pgbench and to its own replay (when it has one) and the verdict the
 * caller gives against its targets; then any first error and the footnote.
 */
export function printComparison(
  baseline: PgbenchRun,
  results: LoadResult[],
  columns: { ratio: string; verdict: string },
  verdictOf: (r: LoadResult, ratio: number) => string,
) {
  const ceilings = [...new Set(results.map((r) => r.ceiling).filter((c): c is PgbenchRun => !!c))];
  const pgRow = (r: PgbenchRun) => [
    `${r.label}, -c ${r.clients} -j ${r.threads}`,
    fmt(r.tps),
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    fmt(r.tps / baseline.tps, 3),
    ...Array(5).fill(''),
  ];
  printTable(
    [
      'case',
      'req/s',
      'p50 ms',
      'p99 ms',
      columns.ratio,
      'vs own SQL',
      'errors',
      'server CPU ms/req',
      'load CPU ms/req',
      columns.verdict,
    ],
    [
      pgRow(baseline),
      ...ceilings.map(pgRow),
      ...results.map((r) => {
        const ratio = r.perSecond / baseline.tps;
        return [
          r.label,
          fmt(r.perSecond),
          fmt(r.p50, 1),
          fmt(r.p99, 1),
          fmt(ratio, 3),
          r.ceiling ? fmt(r.perSecond / r.ceiling.tps, 3) : '',
          r.errors,
          fmt(r.cpuMsPerRequest, 2),
          fmt(r.loadCpuMsPerRequest, 2),
          verdictOf(r, ratio),
        ];
      }),
    ],
  );
  for (const r of results) if (r.firstError) console.log(`first error of "${r.label}": ${r.firstError}`);
  console.log(
    "(vs own SQL: the app's rate over pgbench replaying the SQL the app sent for one such request, with as " +
      "many clients as the app's pool; CPU: of the server's process and of the load generator's process, " +
      "each per successful request; embedded rows count the database's work in the server's CPU)",
  );
}
