/**
 * Notifications under load, on PostgreSQL: counter intakes with 32 concurrent clients over the five demo
 * communes, each applicant with a mobile number, with notifications off (no provider: no message is
 * recorded) and on (Zalo ZNS at a local server that speaks its template API, the job runner delivering).
 * Runs off → on → off in one process, so the baseline is measured around the case. Targets: intakes/s with
 * notifications on ≥ 90 % of off (the mean of the two off runs), and the p99 delay from the intake's
 * commit to the provider's request < 2 s at that load; every message reaches the provider exactly once.
 * Run: npm run bench:notify   (BENCH_DATABASE_URL picks the server; BENCH_SECONDS for each run)
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { createZnsClient } from '../src/server/modules/notifications/providers.ts';
import {
  COMMUNES,
  CONNECTIONS,
  DURATION_S,
  drive,
  type LoadGroup,
  type LoadResult,
  login,
  openBenchDatabase,
  requiredComponents,
  split,
  startApp,
  WARMUP_S,
} from './bench-support.ts';
import { printTable } from './print-table.ts';

const TARGET_RATIO = 0.9;
const TARGET_P99_DELAY_MS = 2_000;
const TOKEN = 'bench-oa-token';

// The provider runs in a process of its own, as a remote one would: its work takes no CPU from the app.
const child = fork(path.join(import.meta.dirname, 'zns-server-child.ts'), [TOKEN], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const zns = {
  url: await new Promise<string>((resolve) =>
    child.once('message', (m) => resolve((m as { url: string }).url)),
  ),
  async state() {
    const res = await fetch(this.url.replace('/message/template', '/_delivered'));
    return (await res.json()) as { requests: number; delivered: { providerId: string; at: number }[] };
  },
};
const database = await openBenchDatabase('postgres');
let runs = 0;

async function run(label: string, on: boolean): Promise<LoadResult> {
  const { app, url } = await startApp(database, {
    notificationProviders: on
      ? { kind: 'http', zalo: createZnsClient({ url: zns.url, accessToken: TOKEN }), sms: null, email: null }
      : { kind: 'http', zalo: null, sms: null, email: null },
  });
  app.jobs.start();
  try {
    const components = await requiredComponents(url);
    const groups: LoadGroup[] = [];
    for (const [i, n] of split(CONNECTIONS, COMMUNES.length).entries()) {
      const commune = COMMUNES[i] as string;
      groups.push({
        kind: 'intake',
        connections: n,
        session: await login(url, `reception.${commune}`),
        commune,
        offset: i * 1_000_000 + ++runs * 100_000,
        components,
        phone: true,
      });
    }
    await drive(url, 'warm-up', groups, WARMUP_S);
    const result = await drive(url, label, groups, DURATION_S);
    // The queue drains before the next run (the delays are those of the load, not of the drain).
    const deadline = Date.now() + 60_000;
    while (on && Date.now() < deadline) {
      const left = await database.db
        .selectFrom('notification')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'sending'])
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return result;
  } finally {
    await app.close();
  }
}

// A first run warms the server, the database and the caches; it is not counted.
await run('warm-up run', true);
const offA = await run('notifications off (1)', false);
const on = await run('notifications on (Zalo ZNS)', true);
const offB = await run('notifications off (2)', false);

const rows = await database.db
  .selectFrom('notification')
  .select(['tracking_id', 'provider_message_id', 'created_at', 'status'])
  .execute();
// The provider's side: when each message first arrived, by its message id.
const provider = await zns.state();
const arrivals = new Map(provider.delivered.map((m) => [m.providerId, m.at]));
const delays = rows
  .map((r) => (arrivals.get(r.provider_message_id ?? '') ?? Number.NaN) - r.created_at.getTime())
  .filter((d) => Number.isFinite(d))
  .sort((a, b) => a - b);
const pct = (p: number) =>
  delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? Number.NaN;
const notSent = rows.filter((r) => r.status !== 'sent').length;
const duplicates = provider.requests - provider.delivered.length;
const { rows: dossiers } = await sql<{ n: number }>`select count(*)::int as n from dossier`.execute(
  database.db,
);
await database.close();
child.disconnect();

const baseline = (offA.perSecond + offB.perSecond) / 2;
const ratio = on.perSecond / baseline;
console.log(
  `\nnotifications benchmark: POST /api/dossiers (counter, applicant with a phone), PostgreSQL, ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up`,
);
printTable(
  ['run', 'intakes/s', 'p50 ms', 'p99 ms', 'server CPU ms/intake', 'errors'],
  [offA, on, offB].map((r) => [
    r.label,
    r.perSecond.toFixed(1),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.cpuMsPerRequest.toFixed(2),
    r.errors,
  ]),
);
console.log(
  `\nthroughput on / off (mean of both off runs ${baseline.toFixed(1)}/s): ${ratio.toFixed(2)} — target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}`,
);
console.log(
  `commit → provider request, ${delays.length} messages: p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${(delays.at(-1) ?? Number.NaN).toFixed(0)} ms — target p99 < ${TARGET_P99_DELAY_MS} ms: ${pct(99) < TARGET_P99_DELAY_MS ? 'ok' : 'MISSED'}`,
);
console.log(
  `messages: ${rows.length} recorded, ${notSent} not sent, ${provider.delivered.length} at the provider, ${duplicates} retried requests deduplicated; ${dossiers[0]?.n} dossiers in the database`,
);
if (
  ratio < TARGET_RATIO ||
  !(pct(99) < TARGET_P99_DELAY_MS) ||
  notSent > 0 ||
  [offA, on, offB].some((r) => r.errors > 0)
) {
  process.exitCode = 1;
}
