import fs from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { SERVER_SOURCE_DIR } from '../paths.ts';
import type { DB } from './schema.ts';

const MIGRATIONS_DIR = path.join(SERVER_SOURCE_DIR, 'db', 'migrations');
// Any constant works; it keeps two servers starting against one PostgreSQL from migrating at once.
const MIGRATION_LOCK_KEY = 7_480_226;

export type MigrationResult = { applied: string[] };

/** Applies the numbered plain-SQL migrations not yet applied, each in its own transaction. */
export async function migrate(db: Kysely<DB>): Promise<MigrationResult> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migration (
        version text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Set(
        (await sql<{ version: string }>`select version from schema_migration`.execute(conn)).rows.map(
          (r) => r.version,
        ),
      );
      const applied: string[] = [];
      for (const file of files) {
        const version = file.replace(/\.sql$/, '');
        if (done.has(version)) continue;
        const text = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
        await conn.transaction().execute(async (trx) => {
          await sql.raw(text).execute(trx);
          await sql`insert into schema_migration (version) values (${version})`.execute(trx);
        });
        applied.push(version);
      }
      return { applied };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
