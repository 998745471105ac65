import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, DatabaseLoadingError, openDatabase } from './connection.ts';

let dir: string;
let database: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-lend-'));
  database = await openDatabase({ kind: 'embedded', dataDir: dir });
  await sql`create table t (n integer primary key)`.execute(database.db);
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lending the embedded data folder (the first start loads it in another process)', () => {
  it('lets a transaction under way finish, refuses queries meanwhile, and sees what the borrower wrote', async () => {
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
    let refused: unknown = null;
    const lent = database.lend?.(async () => {
      // The server still holds the folder's lock: the borrower opens it without taking it.
      const borrower = await openDatabase({ kind: 'embedded', dataDir: dir, lock: false });
      try {
        const seen = await sql<{ n: number }>`select n from t order by n`.execute(borrower.db);
        expect(seen.rows.map((r) => r.n)).toEqual([1, 2]);
        await sql`insert into t values (3)`.execute(borrower.db);
      } finally {
        await borrower.close();
      }
      refused = await sql`select 1`.execute(database.db).catch((err: unknown) => err);
    });
    expect(lent).toBeDefined();
    // Sent once the lend began: refused at once, not queued behind the borrower's work.
    const during = await sql`insert into t values (4)`.execute(database.db).catch((err: unknown) => err);
    await Promise.all([transaction, lent]);
    expect(during).toBeInstanceOf(DatabaseLoadingError);
    expect(refused).toBeInstanceOf(DatabaseLoadingError);
    const rows = await sql<{ n: number }>`select n from t order by n`.execute(database.db);
    expect(rows.rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });

  it('opens the folder again when the borrower fails, and says why', async () => {
    const failed = await database
      .lend?.(async () => {
        throw new Error('the load failed');
      })
      .catch((err: Error) => err.message);
    expect(failed).toBe('the load failed');
    const rows = await sql<{ count: number }>`select count(*)::int as count from t`.execute(database.db);
    expect(rows.rows[0]?.count).toBe(3);
  });

  it('a second lend and a close during a lend work, and the folder opens again with the data', async () => {
    await database.lend?.(async () => {});
    const lent = database.lend?.(() => new Promise((r) => setTimeout(r, 200)));
    await expect(database.lend?.(async () => {})).rejects.toThrow('only an open embedded data folder');
    await database.close();
    await lent;
    database = await openDatabase({ kind: 'embedded', dataDir: dir });
    const rows = await sql<{ count: number }>`select count(*)::int as count from t`.execute(database.db);
    expect(rows.rows[0]?.count).toBe(3);
  });
});
