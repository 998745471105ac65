/**
 * The database's own ceiling for a request: the SQL statements the app sent for one real request,
 * captured from Kysely and rendered as a pgbench script (parameters inlined as literals, the values that
 * must differ per transaction turned into pgbench variables), then run by pgbench with the same clients
 * and threads as the app's load. The app's rate over this rate is its own overhead (HTTP, validation,
 * query building, the driver); this rate over pgbench's built-in script is what the request's work
 * costs the database beside pgbench's five-statement transaction.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CompiledQuery } from 'kysely';

const run = promisify(execFile);

export type Captured = { sql: string; parameters: readonly unknown[] };

/** A parameter replaced by SQL text of the script's own (a pgbench variable, an expression). */
export class Raw {
  constructor(readonly text: string) {}
}

/** A PostgreSQL literal of a driver parameter, as node-postgres would send it. */
function literal(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/** One statement with its $n parameters inlined; statements with no parameters are kept as they are. */
export function inline(query: Captured): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));
}

export const captured = (q: CompiledQuery): Captured => ({ sql: q.sql, parameters: q.parameters });

/** The index of the parameter bound to `column` in a single-row `insert into t (cols) values ($…)`. */
export function parameterOfColumn(query: Captured, column: string): number {
  const match = /\(([^()]*)\) values \(([^()]*)\)/.exec(query.sql);
  const columns = match?.[1]?.split(',').map((c) => c.trim().replaceAll('"', ''));
  const values = match?.[2]?.split(',').map((v) => v.trim());
  const at = columns?.indexOf(column) ?? -1;
  const placeholder = at >= 0 ? /^\$(\d+)$/.exec(values?.[at] ?? '') : null;
  if (!placeholder) throw new Error(`no parameter for column ${column} in: ${query.sql.slice(0, 120)}`);
  return Number(placeholder[1]) - 1;
}

/**
 * A pgbench script: each statement inlined and ended by `;`, or by a meta-command such as `\gset` that
 * `edit` puts in its place; `edit` also puts pgbench variables into the text.
 */
export function pgbenchScript(
  statements: Captured[],
  edit: (sql: string, i: number) => string,
  preamble = '',
): string {
  const lines = statements.map((s, i) => {
    const line = edit(inline(s).replace(/\s*\n\s*/g, ' '), i);
    return line.includes('\\gset') ? line : `${line};`;
  });
  return `${preamble}${lines.join('\n')}\n`;
}

export type ReplayResult = { label: string; tps: number; latencyMs: number; p50Ms: number; p99Ms: number };

/** Runs pgbench with these scripts (each drawn with equal weight per transaction) on one database. */
export async function runScripts(
  label: string,
  env: NodeJS.ProcessEnv,
  database: string,
  scripts: string[],
  args: { clients: number; threads: number; seconds: number },
): Promise<ReplayResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-replay-'));
  try {
    const files = scripts.map((s, i) => {
      const file = path.join(dir, `script-${i}.sql`);
      fs.writeFileSync(file, s);
      return file;
    });
    const { stdout } = await run(
      'pgbench',
      [
        '-n',
        '-c',
        String(args.clients),
        '-j',
        String(args.threads),
        '-T',
        String(args.seconds),
        '-l',
        '--log-prefix',
        path.join(dir, 'log'),
        ...files.flatMap((f) => ['-f', f]),
        database,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
    // The per-transaction log: client, transaction, latency in µs, … (one file per thread).
    const latencies = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('log'))
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    const at = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? Number.NaN;
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
    const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`pgbench replay: no tps in\n${stdout}`);
    if (failed && Number(failed) > 0)
      throw new Error(`pgbench replay: ${failed} failed transactions\n${stdout}`);
    return { label, tps: Number(tps), latencyMs: Number(latency), p50Ms: at(0.5), p99Ms: at(0.99) };
  } catch (err) {
    const e = err as { stderr?: string };
    throw new Error(`pgbench replay of "${label}" failed: ${e.stderr ?? String(err)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
