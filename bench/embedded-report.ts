import {
  type EmbeddedFigures,
  TARGET_IDLE_MB,
  TARGET_LOAD_MB,
  TARGET_SECOND_START_S,
} from './embedded-intake.ts';
import { printTable } from './print-table.ts';

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The embedded rows: durability's cost (fsync on against off, same run), memory and the second start. */
export function printEmbedded(f: EmbeddedFigures) {
  console.log(
    '\nembedded database (PGlite, npm start on a fresh data folder; load generator in a process of its own)',
  );
  printTable(
    ['case', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
    [f.durable, f.relaxed].map((r) => [r.label, fmt(r.perSecond), fmt(r.p50, 1), fmt(r.p99, 1), r.errors]),
  );
  const ratio = f.durable.perSecond / Math.max(f.relaxed.perSecond, 1e-9);
  console.log(
    `fsync cost: fsync on runs at ${fmt(ratio * 100)} % of fsync off's intakes/s ` +
      `(p99 ${fmt(f.durable.p99, 1)} ms against ${fmt(f.relaxed.p99, 1)} ms)`,
  );
  printTable(
    ['figure', 'measured', 'target', 'verdict'],
    [
      ['first start (demo history), s to /readyz 200', fmt(f.firstStartS, 1), '', ''],
      [
        'idle RSS after the first start, MB',
        fmt(f.idleAfterFirstMb),
        `< ${TARGET_IDLE_MB}`,
        verdict(f.idleAfterFirstMb < TARGET_IDLE_MB),
      ],
      [
        'second start, s to /readyz 200',
        fmt(f.secondStartS, 2),
        `< ${TARGET_SECOND_START_S}`,
        verdict(f.secondStartS < TARGET_SECOND_START_S),
      ],
      [
        'idle RSS after the second start, MB',
        fmt(f.idleAfterSecondMb),
        `< ${TARGET_IDLE_MB}`,
        verdict(f.idleAfterSecondMb < TARGET_IDLE_MB),
      ],
      [
        'peak RSS under intake (fsync on), MB',
        fmt(f.loadPeakMb),
        `< ${TARGET_LOAD_MB}`,
        verdict(f.loadPeakMb < TARGET_LOAD_MB),
      ],
    ],
  );
}
