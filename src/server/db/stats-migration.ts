import fs from 'node:fs/promises';
import path from 'node:path';
import { METRICS, type Metric } from '../../core/stats/metrics.ts';
import { MIGRATIONS_DIR } from './migrator.ts';
import { readStatsMigration, type StatsMigration, statsMigrationSql, withoutComments } from './stats-sql.ts';

export type StatsMigrationStatus =
  | { upToDate: true; newest: string }
  /** The migration to write: its file name, what it does and its text. */
  | { upToDate: false; newest: string | null; file: string; migration: StatsMigration; text: string };

/**
 * Whether the newest generated migration of the rollups is what the generator makes from METRICS now, and
 * if not the one to write next (new counters, or contributions changed: counted again).
 */
export async function statsMigrationStatus(dir = MIGRATIONS_DIR): Promise<StatsMigrationStatus> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  let newest: {
    file: string;
    text: string;
    made: NonNullable<ReturnType<typeof readStatsMigration>>;
  } | null = null;
  let byHand: string[] = [];
  for (const file of files) {
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    const made = readStatsMigration(text);
    if (made) {
      newest = { file, text, made };
      byHand = [];
    } else if (/function\s+stats_(contrib|add|recount)\b/.test(withoutComments(text))) {
      byHand.push(file);
    }
  }
  if (newest && byHand.length > 0) {
    throw new Error(
      `${byHand.join(', ')} makes the rollups' functions by hand after the generated ${newest.file}: make the change in src/server/db/stats-sql.ts and run npm run stats:sql instead`,
    );
  }
  const sameMetrics = newest?.made.metrics.join() === METRICS.join();
  // A reworded comment in the generator is no reason to write a migration (nor to count everything again).
  const same = (a: string, b: string) => withoutComments(a) === withoutComments(b);
  if (newest && sameMetrics && same(statsMigrationSql(newest.made), newest.text)) {
    return { upToDate: true, newest: newest.file };
  }
  // Before the first generated migration the tables had the columns of 0008, which were METRICS then.
  const had = newest?.made.metrics ?? [...METRICS];
  const dropped = had.filter((m) => !(METRICS as readonly string[]).includes(m));
  if (dropped.length > 0) {
    throw new Error(
      `Counters left METRICS (${dropped.join(', ')}): the tables keep their columns; add, never remove`,
    );
  }
  const migration: StatsMigration = {
    added: METRICS.filter((m) => !had.includes(m)) as Metric[],
    // The first generated migration makes the hand-written functions anew, counting as they did.
    recount: newest !== null,
  };
  const last = Number(files.at(-1)?.slice(0, 4) ?? 0);
  return {
    upToDate: false,
    newest: newest?.file ?? null,
    file: `${String(last + 1).padStart(4, '0')}_stats_generated.sql`,
    migration,
    text: statsMigrationSql(migration),
  };
}
