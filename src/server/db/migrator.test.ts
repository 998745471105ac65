import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { MIGRATIONS_DIR, MigrationMismatchError, migrate, migrationChecksum } from './migrator.ts';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  // Migrated from the real folder; each test works on a copy of it.
  database = await openTestDatabase({ seed: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);

describe('checksummed migrations', () => {
  it('records each applied migration with the SHA-256 of its text', async () => {
    const rows = (
      await sql<{
        version: string;
        checksum: string;
      }>`select version, checksum from schema_migration order by version`.execute(database.db)
    ).rows;
    expect(rows[0]?.version).toBe('0001_extensions_and_units');
    for (const r of rows) {
      expect(r.checksum).toBe(migrationChecksum(fs.readFileSync(file(`${r.version}.sql`), 'utf8')));
    }
    expect(await migrate(database.db, { dir })).toEqual({ applied: [] });
  });

  it('stops on a landed migration that was edited, naming it, and applies nothing', async () => {
    const target = file('0009_reports.sql');
    const original = fs.readFileSync(target, 'utf8');
    fs.writeFileSync(file('0099_later.sql'), 'create table later_one (id integer);');
    fs.writeFileSync(target, `${original}\n-- a later fix\n`);
    try {
      const err = await migrate(database.db, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationMismatchError);
      expect((err as Error).message).toBe(
        'Tệp migration đã áp dụng bị sửa: 0009_reports (src/server/db/migrations). Hãy trả tệp về đúng nội dung đã áp dụng và đưa thay đổi vào một migration mới. ' +
          '(An applied migration was edited: 0009_reports. Restore its text and put the change in a new migration.)',
      );
      const later = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
        where table_name = 'later_one'`.execute(database.db);
      expect(later.rows[0]?.n).toBe(0);
    } finally {
      fs.writeFileSync(target, original);
      fs.rmSync(file('0099_later.sql'));
    }
  });

  it('takes a Windows checkout (CRLF line endings) for the same text', async () => {
    const target = file('0002_calendar_identity_audit.sql');
    const original = fs.readFileSync(target, 'utf8');
    fs.writeFileSync(target, original.replace(/\n/g, '\r\n'));
    try {
      expect(await migrate(database.db, { dir })).toEqual({ applied: [] });
    } finally {
      fs.writeFileSync(target, original);
    }
  });

  it('refuses a database that a newer version migrated further', async () => {
    await sql`insert into schema_migration (version, checksum) values ('0100_from_the_future', 'x')`.execute(
      database.db,
    );
    try {
      const err = await migrate(database.db, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationMismatchError);
      expect((err as MigrationMismatchError).kind).toBe('unknown');
      expect((err as Error).message).toContain('0100_from_the_future');
    } finally {
      await sql`delete from schema_migration where version = '0100_from_the_future'`.execute(database.db);
    }
  });

  it('gives migrations applied before checksums were kept the checksum of their file as it is', async () => {
    await sql`update schema_migration set checksum = null where version = '0004_documents'`.execute(
      database.db,
    );
    expect(await migrate(database.db, { dir })).toEqual({ applied: [] });
    const row = await sql<{ checksum: string }>`select checksum from schema_migration
      where version = '0004_documents'`.execute(database.db);
    expect(row.rows[0]?.checksum).toBe(
      migrationChecksum(fs.readFileSync(file('0004_documents.sql'), 'utf8')),
    );
  });
});
