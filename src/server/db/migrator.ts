import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { SERVER_SOURCE_DIR } from '../paths.ts';
import type { DB } from './schema.ts';

export const MIGRATIONS_DIR = path.join(SERVER_SOURCE_DIR, 'db', 'migrations');
// Any constant works; it keeps two servers starting against one PostgreSQL from migrating at once.
const MIGRATION_LOCK_KEY = 7_480_226;

export type MigrationResult = { applied: string[] };

/**
 * A landed migration is never edited: the database was built by the text it recorded. The start stops
 * (exit code 2) rather than run on a schema that no longer matches its migrations; or on a database that
 * a newer version of MotCua migrated further than this one knows.
 */
export class MigrationMismatchError extends Error {
  constructor(
    readonly kind: 'edited' | 'unknown',
    readonly versions: string[],
  ) {
    const list = versions.join(', ');
    super(
      kind === 'edited'
        ? `Tệp migration đã áp dụng bị sửa: ${list} (src/server/db/migrations). Hãy trả tệp về đúng nội dung đã áp dụng và đưa thay đổi vào một migration mới. ` +
            `(An applied migration was edited: ${list}. Restore its text and put the change in a new migration.)`
        : `Cơ sở dữ liệu đã được một phiên bản MotCua mới hơn nâng cấp (migration ${list} không có trong mã này); hãy chạy phiên bản mới hơn đó. ` +
            `(The database was migrated by a newer MotCua: ${list} is not in this code; run that newer version.)`,
    );
    this.name = 'MigrationMismatchError';
  }
}

/** SHA-256 of a migration's text, line endings folded (a Windows checkout turns \n into \r\n). */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Applies the numbered plain-SQL migrations not yet applied, each in its own transaction with its
 * checksum; first refuses a database whose applied migrations differ from the files (edited, or unknown).
 * Migrations applied before checksums were kept get the checksum of their file as it is now.
 */
export async function migrate(db: Kysely<DB>, options: { dir?: string } = {}): Promise<MigrationResult> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const texts = new Map<string, string>();
  for (const file of files)
    texts.set(file.replace(/\.sql$/, ''), await fs.readFile(path.join(dir, file), 'utf8'));
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migration (
        version text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      await sql`alter table schema_migration add column if not exists checksum text`.execute(conn);
      const rows = (
        await sql<{ version: string; checksum: string | null }>`
          select version, checksum from schema_migration order by version`.execute(conn)
      ).rows;
      const unknown = rows.filter((r) => !texts.has(r.version)).map((r) => r.version);
      if (unknown.length > 0) throw new MigrationMismatchError('unknown', unknown);
      const edited = rows
        .filter((r) => r.checksum !== null && r.checksum !== migrationChecksum(texts.get(r.version) ?? ''))
        .map((r) => r.version);
      if (edited.length > 0) throw new MigrationMismatchError('edited', edited);
      for (const r of rows.filter((row) => row.checksum === null)) {
        const checksum = migrationChecksum(texts.get(r.version) ?? '');
        await sql`update schema_migration set checksum = ${checksum} where version = ${r.version}`.execute(
          conn,
        );
      }
      const done = new Set(rows.map((r) => r.version));
      const applied: string[] = [];
      for (const [version, text] of texts) {
        if (done.has(version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(text).execute(trx);
          await sql`insert into schema_migration (version, checksum)
            values (${version}, ${migrationChecksum(text)})`.execute(trx);
        });
        applied.push(version);
      }
      return { applied };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
