/**
 * pgbench, run and read in one place: its built-in scripts or scripts of our own, with -l so that the
 * percentiles come from every transaction's latency, as the app's come from every response.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PgbenchRun = {
  label: string;
  clients: number;
  threads: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
};

/** The value at percentile p (0–100) of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export async function runPgbench(
  label: string,
  options: {
    env: NodeJS.ProcessEnv;
    database: string;
    clients: number;
    threads: number;
    seconds: number;
    /** Our own scripts (each drawn with equal weight per transaction), or pgbench's select-only. */
    scripts?: string[];
    selectOnly?: boolean;
  },
): Promise<PgbenchRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pgbench-'));
  try {
    const files = (options.scripts ?? []).map((s, i) => {
      const file = path.join(dir, `script-${i}.sql`);
      fs.writeFileSync(file, s);
      return file;
    });
    const args = [
      ...(files.length > 0 ? ['-n', ...files.flatMap((f) => ['-f', f])] : []),
      ...(options.selectOnly ? ['-S'] : []),
      ...['-c', String(options.clients), '-j', String(options.threads), '-T', String(options.seconds)],
      ...['-l', '--log-prefix', path.join(dir, 'log')],
      options.database,
    ];
    const { stdout } = await run('pgbench', args, { env: options.env, maxBuffer: 16 * 1024 * 1024 });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`no tps in\n${stdout}`);
    if (failed && Number(failed) > 0) throw new Error(`${failed} failed transactions\n${stdout}`);
    // The per-transaction log, a file per thread: client, transaction, latency in µs, …
    const latencies = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('log'))
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    return {
      label,
      clients: options.clients,
      threads: options.threads,
      tps: Number(tps),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    throw new Error(`pgbench "${label}" failed: ${e.stderr || e.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
