import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../core/stats/metrics.ts';
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
    expect(status).toEqual({ upToDate: true, newest: '0018_stats_generated.sql' });
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
      expect(status.file).toBe('0019_stats_generated.sql');
      expect(status.migration).toEqual({ added: [], recount: true });
      expect(status.text).toContain("(d.rating = 'satisfied')::int");
      expect(status.text.endsWith('select stats_recount();\n')).toBe(true);
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
});
