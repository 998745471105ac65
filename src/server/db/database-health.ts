import { sql } from 'kysely';
import { type Database, DatabaseLoadingError } from './connection.ts';

export type DatabaseHealthReport = {
  /** false when the database did not answer at all. */
  answering: boolean;
  /** The embedded folder is lent to the first start's load (it answers again when that is done). */
  loading?: boolean;
  database: { kind: 'embedded' | 'postgresql'; fsync: boolean };
};

/** What /readyz says of the database: which kind, and whether commits are made durable (SHOW fsync). */
export async function readDatabaseHealth(database: Database): Promise<DatabaseHealthReport> {
  const kind = database.kind === 'embedded' ? ('embedded' as const) : ('postgresql' as const);
  try {
    const { rows } = await sql<{ fsync: string }>`show fsync`.execute(database.db);
    return { answering: true, database: { kind, fsync: rows[0]?.fsync === 'on' } };
  } catch (err) {
    if (err instanceof DatabaseLoadingError) {
      return { answering: false, loading: true, database: { kind, fsync: database.fsync ?? false } };
    }
    return { answering: false, database: { kind, fsync: false } };
  }
}
