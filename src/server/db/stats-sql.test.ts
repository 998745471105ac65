import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../core/stats/metrics.ts';
import { intakeBody, postIntake } from '../test-support/dossier-helpers.ts';
import { createTestContext } from '../test-support/test-app.ts';
import { MIGRATIONS_DIR } from './migrator.ts';
import { statsMigrationStatus } from './stats-migration.ts';
import { readStatsMigration, statsMigrationSql } from './stats-sql.ts';

async function copyOfMigrations() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'motcua-migrations-'));
  for (const f of await fs.readdir(MIGRATIONS_DIR))
    await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  return dir;
}

describe("the rollups' generated SQL", () => {
  it('the newest generated migration is what METRICS and the contributions make now', async () => {
    const status = await statsMigrationStatus();
    // When this fails: `npm run stats:sql` writes the next migration (landed ones are never edited).
    expect(status.upToDate).toBe(true);
  });

  it('names every counter of METRICS once in each list of each function and table', () => {
    const text = statsMigrationSql({ added: [], recount: false });
    const made = readStatsMigration(text);
    expect(made).toEqual({ metrics: [...METRICS], added: [], recount: false });
    // stats_contrib's table, six kinds of day; stats_add: three inserts, three sums, three updates;
    // stats_recount: three inserts and three sums.
    const signature = text.match(/returns table \(day date, ([^)]*)\)/)?.[1]?.split(', ') ?? [];
    expect(signature.map((c) => c.split(' ')[0])).toEqual([...METRICS]);
    expect(text.match(/ union all\n/g)).toHaveLength(5);
    expect(text.match(/sign \* sum\(pd_31\)/g)).toHaveLength(3);
    expect(text.match(/overdue_cleared = t\.overdue_cleared \+ excluded\.overdue_cleared/g)).toHaveLength(3);
    expect(text.match(/ sum\(processing_hours\)/g)).toHaveLength(6);
    expect(text).not.toContain('select stats_recount();');
  });

  it('a hand-edited generated migration asks for the next one, counted again', async () => {
    const dir = await copyOfMigrations();
    try {
      const file = path.join(dir, '0018_stats_generated.sql');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace("(d.rating = 'satisfied')::int", "(d.rating = 'ok')::int"));
      const status = await statsMigrationStatus(dir);
      expect(status.upToDate).toBe(false);
      if (status.upToDate) return;
      const last = (await fs.readdir(dir)).sort().at(-1) as string;
      expect(status.file).toBe(
        `${String(Number(last.slice(0, 4)) + 1).padStart(4, '0')}_stats_generated.sql`,
      );
      expect(status.migration).toEqual({ added: [], recount: true });
      expect(status.text).toContain("(d.rating = 'satisfied')::int");
      expect(status.text.endsWith('select stats_recount();\n')).toBe(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a reworded comment asks for nothing; a hand-made function after the generated one is refused', async () => {
    const dir = await copyOfMigrations();
    try {
      const file = path.join(dir, '0018_stats_generated.sql');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(
        file,
        text.replace('-- What one dossier contributes', '-- What a dossier contributes'),
      );
      expect(await statsMigrationStatus(dir)).toEqual({ upToDate: true, newest: '0018_stats_generated.sql' });
      await fs.writeFile(
        path.join(dir, '9998_by_hand.sql'),
        'create or replace function stats_recount() returns void language sql as $$ select $$;\n',
      );
      await expect(statsMigrationStatus(dir)).rejects.toThrow(
        "9998_by_hand.sql makes the rollups' functions by hand after the generated 0018_stats_generated.sql",
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('new counters become columns at the end of the three tables; a counter out of order is refused', () => {
    const last = METRICS.at(-1) as (typeof METRICS)[number];
    const text = statsMigrationSql({ added: [last], recount: true });
    for (const table of ['stats_day_procedure', 'stats_day', 'stats_month']) {
      expect(text).toContain(`alter table ${table} add column ${last} integer not null default 0;`);
    }
    expect(() => statsMigrationSql({ added: ['received'], recount: true })).toThrow(
      "New counters go at the end of METRICS (the tables' column order): received",
    );
  });

  it('a migration adding a counter runs on the database: the columns come back, counted again', async () => {
    const ctx = await createTestContext();
    try {
      const reception = await ctx.login('reception.30502');
      for (let i = 0; i < 3; i++)
        expect((await postIntake(ctx.app, reception, intakeBody())).statusCode).toBe(201);
      const rollups = () =>
        sql<{
          h: string;
        }>`select md5(string_agg(t::text, '|' order by t::text)) as h from stats_day t`.execute(
          ctx.database.db,
        );
      // The triggers keep rows a dossier left at zero; a recount writes none: compare recounts.
      await sql`select stats_recount()`.execute(ctx.database.db);
      const before = (await rollups()).rows;
      // As if the last counter were new: the tables lose its column, the generated migration brings it back.
      const last = METRICS.at(-1) as (typeof METRICS)[number];
      for (const table of ['stats_day_procedure', 'stats_day', 'stats_month']) {
        await sql.raw(`alter table ${table} drop column ${last}`).execute(ctx.database.db);
      }
      await sql.raw(statsMigrationSql({ added: [last], recount: true })).execute(ctx.database.db);
      expect((await rollups()).rows).toEqual(before);
      expect((await postIntake(ctx.app, reception, intakeBody())).statusCode).toBe(201);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
