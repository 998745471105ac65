/**
 * The database's own ceiling for a request: the SQL statements the app sent for one real request,
 * captured from Kysely and rendered as a pgbench script (parameters inlined as literals, the values that
 * must differ per transaction turned into pgbench variables), then run by pgbench with as many clients
 * as the app has database connections. The app's rate over this rate is its own overhead (HTTP,
 * validation, query building, the driver); this rate over pgbench's built-in script is what the
 * request's work costs the database beside pgbench's five-statement transaction.
 */
import type { CompiledQuery } from 'kysely';

export type Captured = { sql: string; parameters: readonly unknown[] };

/** A PostgreSQL literal of a driver parameter, as node-postgres would send it. */
function literal(value: unknown): string {
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
function inline(query: Captured): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));
}

export const captured = (q: CompiledQuery): Captured => ({ sql: q.sql, parameters: q.parameters });

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
