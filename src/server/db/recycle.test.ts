import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './connection.ts';

let dir: string;
let database: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-recycle-'));
  database = await openDatabase({ kind: 'embedded', dataDir: dir });
  await sql`create table t (n integer primary key)`.execute(database.db);
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recycling the embedded database (a fresh PGlite on the same folder)', () => {
  it('lets a transaction under way finish, holds new queries until the new instance answers, loses nothing', async () => {
    let inside!: () => void;
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const transaction = database.db.transaction().execute(async (trx) => {
      await sql`insert into t values (1)`.execute(trx);
      inside();
      await new Promise((r) => setTimeout(r, 300));
      await sql`insert into t values (2)`.execute(trx);
    });
    await started;
    const recycled = database.recycle?.();
    expect(recycled).toBeDefined();
    // Sent while the old instance closes: it waits and is answered by the new one.
    const during = sql<{ n: number }>`insert into t values (3) returning n`.execute(database.db);
    await Promise.all([transaction, recycled, during]);
    expect((await during).rows).toEqual([{ n: 3 }]);
    const rows = await sql<{ n: number }>`select n from t order by n`.execute(database.db);
    expect(rows.rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });

  it('a second recycle and a close after it work, and the folder opens again with the data', async () => {
    await database.recycle?.();
    await database.recycle?.();
    await database.close();
    database = await openDatabase({ kind: 'embedded', dataDir: dir });
    const rows = await sql<{ count: number }>`select count(*)::int as count from t`.execute(database.db);
    expect(rows.rows[0]?.count).toBe(3);
  });
});
