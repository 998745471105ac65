/**
 * A child process for the durability tests: opens the embedded database in the folder given as argv[2],
 * prints its fsync settings, then commits one row between two marks on stderr. With OBSERVE_FSYNC=1 it
 * also prints every file Node's fs.fsyncSync is called on (Node's own function, wrapped here; nothing of
 * ours is replaced), so a test can see what a commit syncs without strace.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../db/connection.ts';

const say = (line: string) => fs.writeSync(2, `${line}\n`);

if (process.env.OBSERVE_FSYNC === '1') {
  const fsyncSync = fs.fsyncSync;
  fs.fsyncSync = (fd: number) => {
    say(`FSYNC ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`);
    fsyncSync(fd);
  };
}

const database = await openDatabase({
  kind: 'embedded',
  dataDir: process.argv[2] as string,
  durable: process.env.DURABLE !== '0',
});
const { rows } = await sql<{ name: string; setting: string }>`
  select name, setting from pg_settings where name in ('fsync', 'wal_sync_method') order by name`.execute(
  database.db,
);
say(`SETTINGS ${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.setting])))}`);
await sql`create table if not exists durable_probe (n int)`.execute(database.db);
say('COMMIT-START');
await sql`insert into durable_probe values (1)`.execute(database.db);
say('COMMIT-ACKNOWLEDGED');
await database.close();
