import fs from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Where the embedded database keeps its files inside the data folder (see db/connection.ts). */
export const embeddedPgDir = (dataDir: string) => path.join(dataDir, 'pg');

/**
 * A consistent copy of the running embedded database's files: the pool's one connection is held, so no
 * statement and no transaction runs while the files are copied (intakes wait, a second or so), after a
 * checkpoint has written every committed page. Opening the copy is then like a start after a clean stop.
 */
export async function snapshotEmbedded(db: Kysely<DB>, dataDir: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await db.connection().execute(async (conn) => {
    await sql`checkpoint`.execute(conn);
    await fs.cp(embeddedPgDir(dataDir), target, { recursive: true, errorOnExist: true, force: false });
  });
}
