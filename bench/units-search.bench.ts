/**
 * Unit search over HTTP: queries per second and latency percentiles, on the embedded database and on
 * PostgreSQL, each beside a baseline in the same run (GET /healthz on the same server: the cost of
 * Fastify and the network path with no database work).
 * Run: npm run bench:units   (BENCH_DATABASE_URL picks the PostgreSQL server; default 127.0.0.1:5432)
 */
import autocannon from 'autocannon';
import { buildApp } from '../src/server/app.ts';
import { openTestDatabase, TEST_SEAL_PASSPHRASE } from '../src/server/test-support/test-database.ts';

const QUERIES = [
  'nung tri cao',
  'tan giang',
  'phuong thoi son',
  'my hiep',
  'ham liem',
  'xa vinh quang',
  'Ea H’Leo',
  'binh',
  'ba dinh',
  'hoa an',
];
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 10;

type Result = { label: string; rps: number; p50: number; p99: number; errors: number };

async function hammer(url: string, paths: string[], label: string): Promise<Result> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] as string }) },
    ],
  });
  return {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function benchOn(kind: 'embedded' | 'postgres'): Promise<Result[]> {
  if (kind === 'postgres')
    process.env.TEST_DATABASE_URL =
      process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  else delete process.env.TEST_DATABASE_URL;
  const database = await openTestDatabase();
  const app = await buildApp({ database, fileStore: database.files, sealPassphrase: TEST_SEAL_PASSPHRASE });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const searchPaths = QUERIES.map((q) => `/api/units?q=${encodeURIComponent(q)}&limit=20`);
    const lookupPaths = ['01279', '01288', '30502', '30112', '23095', '01270'].map((c) => `/api/units/${c}`);
    return [
      await hammer(url, ['/healthz'], `${kind}: baseline GET /healthz`),
      await hammer(url, searchPaths, `${kind}: GET /api/units?q=…`),
      await hammer(url, lookupPaths, `${kind}: GET /api/units/:code`),
    ];
  } finally {
    await app.close();
    await database.close();
  }
}

const rows = [...(await benchOn('embedded')), ...(await benchOn('postgres'))];
console.log(
  `unit search benchmark: ${CONNECTIONS} connections, ${DURATION_S} s each, ${QUERIES.length} rotating queries`,
);
console.log(
  `${'case'.padEnd(40)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'vs base'.padStart(8)} errors`,
);
for (const r of rows) {
  const base = rows.find(
    (b) => b.label.startsWith(r.label.split(':')[0] as string) && b.label.includes('baseline'),
  );
  console.log(
    `${r.label.padEnd(40)} ${Math.round(r.rps).toString().padStart(9)} ${r.p50.toString().padStart(8)} ${r.p99.toString().padStart(8)} ${(r.rps / (base?.rps ?? r.rps)).toFixed(3).padStart(8)} ${r.errors}`,
  );
}
