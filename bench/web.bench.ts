/**
 * The web app as a citizen's browser gets it: the server as `npm start` runs it (demo data, on a fresh
 * data folder), Debian's Chromium with a cold cache, the portal's home page `/` and the tracking page
 * `/track/<code>` that the QR on a receipt opens (on a 360×740 phone).
 * Figures: every script and stylesheet the page loads (bytes as served, the server does not compress,
 * and gzip -9 of them), and the time until the page is usable (home: the procedure search and the
 * tracking code fields visible and enabled; tracking: the dossier's status shown), measured in the page
 * from the navigation's start, three times over DevTools' "Slow 3G" and once without throttling.
 * Targets: the home page's JavaScript ≤ 200 KB gzipped; usable in under 5 s on Slow 3G (median).
 * Run: npm run bench:web   (CHROMIUM_PATH picks the browser; results also in bench/results/web-*.json)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWeb, isWebBuildCurrent, WEB_DIST } from '../src/server/web/web-build.ts';
import {
  KB,
  measureAssets,
  median,
  type PageFigures,
  printAssets,
  printTimings,
  roundMs,
  type Timing,
} from './web/report.ts';
import { findDemoDossierCode, type RunningServer, startServer } from './web/server.ts';
import type { UsableWhen } from './web/usable.ts';
import { SLOW_3G, type Visit, visitPage } from './web/visit.ts';

const JS_BUDGET_GZIP = 200 * KB;
const USABLE_BUDGET_MS = 5_000;
const SLOW_RUNS = 3;
const RESULTS = path.resolve(import.meta.dirname, 'results');

type PageCase = {
  page: string;
  path: string;
  usableWhen: UsableWhen;
  viewport: { width: number; height: number };
};

/** Which build dist/web holds: another `npm start` or `npm run build:web` may replace it under us. */
const readBuildId = () => readFile(path.join(WEB_DIST, '.build-id'), 'utf8').catch(() => '');
const REBUILT =
  'dist/web was rebuilt by another process during the run (an `npm start` or `npm run build:web` on ' +
  'changed sources): the server lost the assets it was serving; run again when nothing else builds it';

const timingOf = (v: Visit): Timing => ({
  usableMs: roundMs(v.usableMs),
  domContentLoadedMs: roundMs(v.domContentLoadedMs),
  loadMs: roundMs(v.loadMs),
});

/** One unthrottled visit first (not counted: the server's first answers), then the measured ones. */
async function measurePage(baseUrl: string, c: PageCase): Promise<PageFigures> {
  const url = `${baseUrl}${c.path}`;
  const options = { usableWhen: c.usableWhen, viewport: c.viewport };
  await visitPage(url, { ...options, network: 'unthrottled' });
  const slow: Visit[] = [];
  for (let run = 1; run <= SLOW_RUNS; run++) {
    const visit = await visitPage(url, { ...options, network: 'slow-3g' });
    console.log(`${c.page}: Slow 3G run ${run}: usable at ${Math.round(visit.usableMs)} ms`);
    slow.push(visit);
  }
  const unthrottled = await visitPage(url, { ...options, network: 'unthrottled' });
  console.log(`${c.page}: no throttling: usable at ${Math.round(unthrottled.usableMs)} ms`);

  const first = slow[0] as Visit;
  const scriptsOf = (v: Visit) =>
    v.resources
      .filter((r) => r.kind === 'script')
      .map((r) => r.url)
      .sort()
      .join(' ');
  const errors = [...slow, unthrottled].flatMap((v) => v.errors);
  if ([...slow, unthrottled].some((v) => scriptsOf(v) !== scriptsOf(first))) {
    errors.push('not every run loaded the same scripts (the sizes are those of the first Slow 3G run)');
  }
  const slow3g = slow.map(timingOf);
  const slow3gMedian = median(slow3g);
  return {
    page: c.page,
    url: c.path,
    viewport: c.viewport,
    assets: measureAssets(first),
    slow3g,
    slow3gMedian,
    unthrottled: timingOf(unthrottled),
    ratio: slow3gMedian.usableMs / unthrottled.usableMs,
    errors: [...new Set(errors)],
    answered4xx: [...new Set([...slow, unthrottled].flatMap((v) => v.answered4xx))],
  };
}

async function main() {
  if (!(await isWebBuildCurrent())) {
    console.log('Building the web app (dist/web is not from the current sources)…');
    await buildWeb({ onLine: (line) => console.log(`  ${line}`) });
  }
  console.log('Starting the server on a fresh data folder (seeding takes about 15 s)…');
  const server: RunningServer = await startServer();
  const stopOnSignal = () => void server.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const buildId = await readBuildId();
  const figures: PageFigures[] = [];
  try {
    const code = await findDemoDossierCode(server.baseUrl);
    const cases: PageCase[] = [
      {
        page: '/',
        path: '/',
        usableWhen: { labels: ['Bạn cần làm thủ tục gì?', 'Mã hồ sơ'] },
        viewport: { width: 1280, height: 860 },
      },
      {
        page: '/track/<code>',
        path: `/track/${encodeURIComponent(code)}`,
        usableWhen: { testId: 'tracking-status' },
        viewport: { width: 360, height: 740 },
      },
    ];
    for (const c of cases) figures.push(await measurePage(server.baseUrl, c));
  } catch (error) {
    throw (await readBuildId()) === buildId ? error : new Error(REBUILT, { cause: error });
  } finally {
    await server.stop();
  }
  if ((await readBuildId()) !== buildId) throw new Error(REBUILT);

  for (const f of figures) printAssets(f, JS_BUDGET_GZIP);
  printTimings(figures, USABLE_BUDGET_MS);
  console.log(
    `(Slow 3G: DevTools' preset through CDP, ${SLOW_3G.downloadThroughput} B/s down and up, ` +
      `${SLOW_3G.latency} ms added to every request; the browser cache off, a fresh profile per run)`,
  );
  for (const f of figures) {
    for (const e of f.errors) console.log(`warning (${f.page}): ${e}`);
    if (f.answered4xx.length) console.log(`note (${f.page}): answered ${f.answered4xx.join(', ')}`);
  }

  await mkdir(RESULTS, { recursive: true });
  const at = new Date().toISOString();
  const file = path.join(RESULTS, `web-${at.replace(/[:.]/g, '-')}.json`);
  const budgets = { jsGzipBytes: JS_BUDGET_GZIP, usableMs: USABLE_BUDGET_MS };
  await writeFile(file, `${JSON.stringify({ at, network: SLOW_3G, budgets, pages: figures }, null, 2)}\n`);
  console.log(`\nWritten to ${path.relative(process.cwd(), file)}`);
}

await main();
