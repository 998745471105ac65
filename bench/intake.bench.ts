/**
 * Sustained dossier intake over HTTP on PostgreSQL: POST /api/dossiers by reception officers with
 * 32 concurrent clients, spread over the five demo communes and then all in one commune (every intake of
 * a commune's day serializes on its code counter). Baselines in the same run: pgbench's tpcb-like script
 * at scale 32, -c 32 -j 2, on its own scratch database on the same server; and pgbench replaying the SQL
 * of one intake (the same mix of communes) with as many clients as the app's pool. Targets (issue 14):
 * the app at ≥ 0.80 of that replay with a p99 ≤ 1.5× the replay's, the replay at ≥ 0.30 of tpcb-like,
 * no non-2xx. Afterwards the codes of every commune and day must
 * run 1…n without a gap (the replay's dossiers included: they draw from the same counters).
 * Run: npm run bench:intake   (BENCH_DATABASE_URL picks the server; BENCH_SECONDS, BENCH_POOL,
 * BENCH_PROFILE_SQL=1 for the time per SQL statement; BENCH_ONLY=embedded or BENCH_ONLY=postgres for one part)
 *
 * First, the embedded database as `npm start` runs it (bench/embedded-intake.ts): intake with fsync on
 * and off in the same run, idle and loaded RSS, and the second start's time to /readyz 200.
 */
import { sql } from 'kysely';
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
  printTable,
  replay,
  requiredComponents,
  resetSqlProfile,
  type Session,
  split,
  startApp,
  startCaptureApp,
  WARMUP_S,
} from './bench-support.ts';
import { benchEmbedded } from './embedded-intake.ts';
import { printEmbedded } from './embedded-report.ts';
import { PROCEDURE_CODE } from './load-requests.ts';
import type { PgbenchRun } from './pgbench.ts';
import { type Captured, pgbenchScript } from './sql-replay.ts';

/** Issue 14's targets: the app against pgbench replaying its own SQL, and that replay against tpcb-like. */
const TARGET_VS_REPLAY = 0.8;
const TARGET_P99_VS_REPLAY = 1.5;
const TARGET_REPLAY_VS_TPCB = 0.3;

function intakeGroup(session: Session, commune: string, connections: number, components: string[]) {
  const offset = COMMUNES.indexOf(commune) * 1_000_000 + groupRuns++ * 100_000;
  return { kind: 'intake', connections, session, commune, offset, components } satisfies LoadGroup;
}
let groupRuns = 0;

/**
 * The intake's SQL as a pgbench script: what one intake (sent with `key`) made the app send, the key made
 * unique per transaction. The statement allocates the code from the commune's counter and chains the audit
 * entry onto the head it finds, as the app's does; only the stored answer keeps the captured code.
 */
function intakeScript(statements: Captured[], key: string): string {
  return pgbenchScript(
    statements,
    (line) => line.replaceAll(key, 'replay-:client_id-:n'),
    '\\set n random(1, 2000000000)\n',
  );
}

/**
 * The database's ceiling for intakes: one intake per commune through a capturing app (after one
 * unrecorded intake each, so that caches are warm as under load), then pgbench replaying those scripts:
 * the five drawn evenly, and the first commune's alone, as the two load cases run.
 */
async function intakeSqlCeilings(database: BenchDatabase) {
  const capture = await startCaptureApp(database);
  const scripts: string[] = [];
  try {
    const components = await requiredComponents(capture.url);
    for (const [i, commune] of COMMUNES.entries()) {
      const session = await login(capture.url, `reception.${commune}`);
      await intakeOnce(capture.url, session, 8_000_000 + i, commune, components);
      const { value, statements } = await capture.record(() =>
        intakeOnce(capture.url, session, 9_000_000 + i, commune, components),
      );
      scripts.push(intakeScript(statements, value.key));
    }
  } finally {
    await capture.close();
  }
  return {
    mixed: await replay(database, "pgbench replaying one intake's SQL (5 communes)", scripts),
    single: await replay(
      database,
      `pgbench replaying one intake's SQL (${COMMUNES[0]})`,
      scripts.slice(0, 1),
    ),
  };
}

const only = process.env.BENCH_ONLY;
if (only !== 'postgres') printEmbedded(await benchEmbedded());
if (only === 'embedded') process.exit(0);

const baseline = await pgbench('tpcb-like');

const database = await openBenchDatabase('postgres');
const ceilings: { mixed: PgbenchRun; single: PgbenchRun } = await intakeSqlCeilings(database);
const results: LoadResult[] = [];
let gapRows: { unit_code: string; day: string; last_seq: number; n: number; lo: number; hi: number }[] = [];
try {
  const { app, url } = await startApp(database);
  try {
    const sessions = new Map<string, Session>();
    for (const c of COMMUNES) sessions.set(c, await login(url, `reception.${c}`));
    const components = await requiredComponents(url);
    const session = (c: string) => sessions.get(c) as Session;
    const mixed = split(CONNECTIONS, COMMUNES.length).map((n, i) =>
      intakeGroup(session(COMMUNES[i] as string), COMMUNES[i] as string, n, components),
    );
    const single = COMMUNES[0] as string;

    await drive(url, 'warm-up', mixed, WARMUP_S);
    resetSqlProfile();
    const label = `intake, 5 communes (${split(CONNECTIONS, 5).join('/')})`;
    results.push({ ...(await drive(url, label, mixed, DURATION_S)), ceiling: ceilings.mixed, target: true });
    printSqlProfile(results[0]?.ok ?? 1);
    await drive(url, 'warm-up', [intakeGroup(session(single), single, CONNECTIONS, components)], WARMUP_S);
    resetSqlProfile();
    const one = [intakeGroup(session(single), single, CONNECTIONS, components)];
    results.push({
      ...(await drive(url, `intake, 1 commune (${single})`, one, DURATION_S)),
      ceiling: ceilings.single,
      target: true,
    });
    printSqlProfile(results[1]?.ok ?? 1);
  } finally {
    await app.close();
  }

  // Every (commune, day) counter against the codes actually stored: 1…last_seq, each exactly once. One
  // snapshot: a counter step commits with its dossier, so an intake still in flight is in neither.
  const { rows } = await sql<{
    unit_code: string;
    day: string;
    last_seq: number;
    n: number;
    lo: number;
    hi: number;
  }>`
    select c.unit_code, c.day, c.last_seq,
           count(d.id)::int as n,
           coalesce(min(split_part(d.code, '-', 3)::int), 0) as lo,
           coalesce(max(split_part(d.code, '-', 3)::int), 0) as hi
      from dossier_code_counter c
      left join dossier d
        on d.receiving_unit_code = c.unit_code
       and split_part(d.code, '-', 2) = to_char(c.day, 'YYMMDD')
     group by c.unit_code, c.day, c.last_seq
     order by c.day desc, c.unit_code`.execute(database.db);
  gapRows = rows;
} finally {
  await database.close();
}

console.log(
  `\nintake benchmark: POST /api/dossiers (${PROCEDURE_CODE}, counter), PostgreSQL, app pool ${POOL_SIZE}, ` +
    `${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up; load generator in a process of its own`,
);
printComparison(
  baseline,
  results,
  { ratio: 'vs pgbench', verdict: 'targets (≥0.80 of replay, p99 ≤1.5× replay; replay ≥0.30 of tpcb)' },
  (r) => {
    const replay = r.ceiling as PgbenchRun;
    const vsReplay = r.perSecond / replay.tps;
    const p99Ratio = r.p99 / replay.p99Ms;
    const replayVsTpcb = replay.tps / baseline.tps;
    return [
      `${fmt2(vsReplay)} of replay ${vsReplay >= TARGET_VS_REPLAY ? 'ok' : 'MISSED'}`,
      `p99 ${fmt2(p99Ratio)}× ${p99Ratio <= TARGET_P99_VS_REPLAY ? 'ok' : 'MISSED'}`,
      `replay ${fmt2(replayVsTpcb)} of tpcb ${replayVsTpcb >= TARGET_REPLAY_VS_TPCB ? 'ok' : 'MISSED'}`,
      r.errors === 0 ? 'no errors' : 'ERRORS',
    ].join(', ');
  },
);

function fmt2(n: number) {
  return n.toFixed(2);
}

const bad = gapRows.filter((r) => r.n !== r.last_seq || r.lo !== (r.n ? 1 : 0) || r.hi !== r.last_seq);
const today = gapRows[0]?.day;
console.log(
  `\ncode sequence check (dossier_code_counter against stored dossier codes, ${gapRows.length} commune-days)`,
);
printTable(
  ['commune', 'day', 'last_seq', 'dossiers', 'min', 'max', 'consecutive'],
  gapRows
    .filter((r) => r.day === today)
    .map((r) => [r.unit_code, r.day, r.last_seq, r.n, r.lo, r.hi, bad.includes(r) ? 'NO' : 'yes']),
);
console.log(
  bad.length === 0
    ? `all ${gapRows.length} commune-days consecutive 1…n, no gaps, no duplicates`
    : `GAPS in ${bad.length} commune-days: ${bad.map((r) => `${r.unit_code} ${r.day} (${r.n} codes, counter ${r.last_seq}, ${r.lo}…${r.hi})`).join('; ')}`,
);
if (bad.length > 0 || results.some((r) => r.errors > 0)) process.exitCode = 1;
