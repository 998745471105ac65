import fs from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../db/migrator.ts';
import { statsMigrationStatus } from '../db/stats-migration.ts';

/**
 * npm run stats:sql: writes the next migration of the indicator rollups when METRICS or the contributions
 * (src/server/db/stats-sql.ts) changed; landed migrations are never edited.
 */
const status = await statsMigrationStatus();
if (status.upToDate) {
  console.log(`The rollups' SQL is up to date (${status.newest}).`);
} else {
  await fs.writeFile(path.join(MIGRATIONS_DIR, status.file), status.text, { flag: 'wx' });
  const added = status.migration.added.length > 0 ? status.migration.added.join(', ') : 'no new counters';
  console.log(
    `Wrote src/server/db/migrations/${status.file}: ${added}${status.migration.recount ? ', counted again' : ''}.`,
  );
}
