import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type PostgresPool, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './data-dir-lock.ts';
import type { DB } from './schema.ts';
import { SyncedNodeFS } from './synced-node-fs.ts';

// One value mapping for both back ends: dates stay 'YYYY-MM-DD' strings (a JS Date would shift them by
// the process time zone), bigint counts become numbers (they never pass 2^53 here).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

export type DatabaseKind = 'embedded' | 'postgres';

export type Database = {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where it lives, without credentials: the data folder or host/database. */
  location: string;
  close(): Promise<void>;
  /** Embedded only: whether a commit reaches the disk before it is acknowledged (known without a query). */
  fsync?: boolean;
  /**
   * Embedded only: closes PGlite (a transaction under way finishes first), runs `during` while the folder
   * is free for another process, and opens it again. Meanwhile queries are refused with
   * DatabaseLoadingError. `npm start` lends the folder to the first start's load, run in a child process
   * so that the memory it grows (PGlite's WebAssembly heap never shrinks) goes back to the system.
   */
  lend?(during: () => Promise<void>): Promise<void>;
  /**
   * PostgreSQL only: a small pool of its own for the job runner, so that messages and reports are not
   * starved of connections by the requests (nor take theirs). The embedded database has one connection.
   */
  background?: Kysely<DB>;
};

/** Connections of the job runner's own pool on PostgreSQL. */
export const BACKGROUND_CONNECTIONS = 3;

/** A query while the embedded database is lent to the first start's load: the API answers 503 NOT_READY. */
export class DatabaseLoadingError extends Error {
  constructor() {
    super('the embedded database is being loaded by the first start');
    this.name = 'DatabaseLoadingError';
  }
}

export type OpenDatabaseOptions =
  /** `durable: false` only for the benchmark's fsync-off comparison: PGlite's own `-F`. */
  | {
      kind: 'embedded';
      dataDir: string;
      durable?: boolean;
      /** false only in the process a lock holder starts on the folder it lent (Database.lend). */
      lock?: boolean;
      /**
       * Takes the lock but opens nothing: queries are refused until the first lend() has run. A new
       * folder is created by the first start's load in its own process (PGlite's initdb alone leaves
       * about 140 MB of the server's memory taken for good).
       */
      closedUntilLent?: boolean;
    }
  | { kind: 'embedded-memory' }
  | { kind: 'postgres'; url: string; maxConnections?: number };

/**
 * PGlite's default start parameters (0.5.16) without `-F` (fsync off), plus what makes a commit durable
 * and the memory small. WAL flushes go through fsync() (`wal_sync_method=fsync`): the glue's fdatasync()
 * is a no-op, fsync() reaches the disk through SyncedNodeFS. The WASM heap never shrinks once grown, so
 * the buffers are sized for one commune's PC, not PostgreSQL's server defaults (shared_buffers 128 MB).
 */
const START_PARAMS = [
  '--single',
  '-O',
  '-j',
  ...[
    'search_path=public',
    'exit_on_error=false',
    'log_checkpoints=false',
    'max_worker_processes=0',
    'max_parallel_workers=0',
    'max_parallel_workers_per_gather=0',
    'io_method=sync',
    'max_parallel_maintenance_workers=0',
    'wal_sync_method=fsync',
    'shared_buffers=32MB',
    'wal_buffers=1MB',
    'temp_buffers=2MB',
    'work_mem=4MB',
    'maintenance_work_mem=16MB',
  ].flatMap((setting) => ['-c', setting]),
];

async function openPglite(dataDir: string | undefined, durable: boolean): Promise<PGlite> {
  const extensions = { unaccent, pg_trgm };
  if (!dataDir) return PGlite.create({ extensions });
  const startParams = durable ? [...START_PARAMS, '-c', 'fsync=on'] : [...START_PARAMS, '-F'];
  return PGlite.create({ fs: new SyncedNodeFS(path.join(dataDir, 'pg')), extensions, startParams });
}

/** Opens the embedded database (holding the folder's lock) or a PostgreSQL pool; one Kysely for both. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    const url = new URL(options.url);
    const background = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: options.url, max: BACKGROUND_CONNECTIONS }),
      }),
    });
    return {
      db,
      background,
      kind: 'postgres',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: async () => {
        await Promise.all([db.destroy(), background.destroy()]);
      },
    };
  }
  const dataDir = options.kind === 'embedded' ? options.dataDir : undefined;
  const lock =
    dataDir && !(options.kind === 'embedded' && options.lock === false)
      ? acquireDataDirLock(dataDir)
      : undefined;
  try {
    const durable = options.kind === 'embedded' && options.durable !== false;
    const closedUntilLent = options.kind === 'embedded' && options.closedUntilLent === true;
    let pglite: PGlite | null = closedUntilLent ? null : await openPglite(dataDir, durable);
    let pool: pg.Pool | null = pglite ? new pg.Pool({ ...createPgConfig(pglite), max: 1 }) : null;
    // Clients handed out or being waited for: a lend waits for them, and refuses new ones until it ends.
    let busy = 0;
    let idle: (() => void) | null = null;
    let lent: Promise<void> | null = null;
    const done = () => {
      busy--;
      if (busy === 0) idle?.();
    };
    const switching: PostgresPool = {
      async connect() {
        if (lent || !pool) throw new DatabaseLoadingError();
        busy++;
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (err) {
          done();
          throw err;
        }
        const release = client.release.bind(client);
        let released = false;
        client.release = (err?: Error | boolean) => {
          release(err);
          if (!released) {
            released = true;
            done();
          }
        };
        return client;
      },
      end: async () => pool?.end(),
    };
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: switching }) });
    let closed = false;
    return {
      db,
      kind: 'embedded',
      location: dataDir ?? 'memory',
      // In memory PGlite keeps its own -F.
      fsync: durable && Boolean(dataDir),
      async close() {
        if (closed) return;
        closed = true;
        await lent?.catch(() => undefined);
        await db.destroy();
        await pglite?.close();
        lock?.release();
      },
      lend(during) {
        if (!dataDir || closed || lent) {
          return Promise.reject(new Error('only an open embedded data folder can be lent'));
        }
        const lending = (async () => {
          if (busy > 0) await new Promise<void>((resolve) => (idle = resolve));
          idle = null;
          await pool?.end();
          await pglite?.close();
          pool = null;
          pglite = null;
          let failure: unknown = null;
          try {
            await during();
          } catch (err) {
            failure = err;
          }
          // A close() waiting for the lend wants the folder shut, not opened once more.
          if (!closed) {
            try {
              const reopened = await openPglite(dataDir, durable);
              pglite = reopened;
              pool = new pg.Pool({ ...createPgConfig(reopened), max: 1 });
            } catch (err) {
              // The borrower's failure is the one to tell; the reopen's goes with it.
              if (failure instanceof Error) failure.cause ??= err;
              failure ??= err;
            }
          }
          if (failure) throw failure;
        })();
        lent = lending.finally(() => {
          lent = null;
        });
        return lent;
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
