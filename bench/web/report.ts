/** The figures of bench/web.bench.ts: asset sizes (raw and gzip -9), times per run, verdicts. */
import { gzipSync } from 'node:zlib';
import { printTable } from '../print-table.ts';
import type { Resource, Visit } from './visit.ts';

export const KB = 1024;

export type Asset = {
  file: string;
  raw: number;
  gzip: number;
  startMs: number;
  endMs: number;
  beforeUsable: boolean;
};

export type Assets = {
  scripts: Asset[];
  stylesheets: Asset[];
  js: { raw: number; gzip: number; files: number };
  jsBeforeUsable: { raw: number; gzip: number; files: number };
  css: { raw: number; gzip: number; files: number };
  /** Everything the page fetched, the document and the API answers included, as served. */
  allRaw: number;
};

export type Timing = { usableMs: number; domContentLoadedMs: number; loadMs: number };

export type PageFigures = {
  page: string;
  url: string;
  viewport: { width: number; height: number };
  assets: Assets;
  slow3g: Timing[];
  slow3gMedian: Timing;
  unthrottled: Timing;
  /** Median usable time on Slow 3G over the unthrottled one. */
  ratio: number;
  errors: string[];
  answered4xx: string[];
};

/** Milliseconds to a tenth: the JSON need not carry the clock's noise. */
export const roundMs = (n: number) => Math.round(n * 10) / 10;

const asAsset = (r: Resource, usableMs: number): Asset => ({
  file: new URL(r.url).pathname,
  raw: r.body.length,
  gzip: gzipSync(r.body, { level: 9 }).length,
  startMs: roundMs(r.startMs),
  endMs: roundMs(r.endMs),
  beforeUsable: r.endMs <= usableMs,
});

const sum = (assets: Asset[]) => ({
  raw: assets.reduce((n, a) => n + a.raw, 0),
  gzip: assets.reduce((n, a) => n + a.gzip, 0),
  files: assets.length,
});

/** Every script and stylesheet the visit loaded, largest first. */
export function measureAssets(visit: Visit): Assets {
  const of = (kind: Resource['kind']) =>
    visit.resources
      .filter((r) => r.kind === kind && r.status === 200)
      .map((r) => asAsset(r, visit.usableMs))
      .sort((a, b) => b.raw - a.raw);
  const scripts = of('script');
  const stylesheets = of('stylesheet');
  return {
    scripts,
    stylesheets,
    js: sum(scripts),
    jsBeforeUsable: sum(scripts.filter((s) => s.beforeUsable)),
    css: sum(stylesheets),
    allRaw: visit.resources.reduce((n, r) => n + r.body.length, 0),
  };
}

export function median(timings: Timing[]): Timing {
  const mid = (pick: (t: Timing) => number) => {
    const sorted = timings.map(pick).sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? (sorted[half] as number)
      : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
  };
  return {
    usableMs: mid((t) => t.usableMs),
    domContentLoadedMs: mid((t) => t.domContentLoadedMs),
    loadMs: mid((t) => t.loadMs),
  };
}

const kb = (bytes: number) => (bytes / KB).toFixed(1);
const ms = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export function printAssets(figures: PageFigures, jsBudgetGzip: number) {
  const { assets: a } = figures;
  console.log(
    `\nWhat ${figures.page} loads (first Slow 3G run; KB = 1024 bytes, gzip -9 of the bytes served)`,
  );
  printTable(
    ['file', 'raw KB', 'gzip KB', 'start ms', 'end ms', 'before usable'],
    [
      ...[...a.scripts, ...a.stylesheets].map((s) => [
        s.file,
        kb(s.raw),
        kb(s.gzip),
        ms(s.startMs),
        ms(s.endMs),
        s.beforeUsable ? 'yes' : 'no',
      ]),
      [`JS total (${a.js.files} files)`, kb(a.js.raw), kb(a.js.gzip), '', '', ''],
      [`CSS total (${a.css.files} files)`, kb(a.css.raw), kb(a.css.gzip), '', '', ''],
      ['all responses as served', kb(a.allRaw), '', '', '', ''],
    ],
  );
  const ok = a.js.gzip <= jsBudgetGzip;
  console.log(
    `JS gzip ${kb(a.js.gzip)} KB (${a.js.gzip.toLocaleString('en')} B) vs target ≤ ${kb(jsBudgetGzip)} KB: ${verdict(ok)}`,
  );
}

export function printTimings(all: PageFigures[], usableBudgetMs: number) {
  console.log('\nTime to usable, cold cache, from the navigation start (ms)');
  const rows: (string | number)[][] = [];
  for (const f of all) {
    const row = (label: string, t: Timing, extra = '') => [
      `${f.page} ${f.viewport.width}×${f.viewport.height}`,
      label,
      ms(t.usableMs),
      ms(t.domContentLoadedMs),
      ms(t.loadMs),
      extra,
    ];
    f.slow3g.forEach((t, i) => {
      rows.push(row(`Slow 3G run ${i + 1}`, t));
    });
    rows.push(
      row(
        'Slow 3G median',
        f.slow3gMedian,
        `${verdict(f.slow3gMedian.usableMs < usableBudgetMs)} (< ${ms(usableBudgetMs)})`,
      ),
    );
    rows.push(row('no throttling', f.unthrottled, `× ${f.ratio.toFixed(1)} on Slow 3G`));
  }
  printTable(['page', 'network', 'usable', 'DOMContentLoaded', 'load', 'verdict'], rows);
}
