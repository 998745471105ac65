import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrator.ts';
import { seedDatabase } from '../db/seed/seed.ts';
import {
  createLocalFileStore,
  createTemporaryFileStore,
  type FileStore,
} from '../modules/documents/file-store.ts';
import { PROJECT_ROOT } from '../paths.ts';

const TEMPLATE_LOCK = 7_480_227;

/** The seal passphrase of every test database (the demo seals are made under it). */
export const TEST_SEAL_PASSPHRASE = 'motcua-test-seal-passphrase';
const TEST_PUBLIC_URL = 'http://localhost:3000';

/**
 * The instant every test database's demo is dated from, whatever today is: a working Wednesday morning
 * in Vietnam (10:00 +07:00). Tests that decide by the clock pin buildApp's `now` to it or after it.
 */
export const TEST_SEED_NOW = new Date('2026-12-02T03:00:00Z');

/** A test database and the file store its seeded documents (the demo's signed results) live in. */
export type TestDatabase = Database & { files: FileStore };

/** A template's files outlive each test: the signed demo results its clones point at. */
const templateFilesDir = (template: string) => path.join(os.tmpdir(), `${template}_files`);

const seedOptions = (files: FileStore) => ({
  demo: true,
  files,
  sealPassphrase: TEST_SEAL_PASSPHRASE,
  publicUrl: TEST_PUBLIC_URL,
  now: TEST_SEED_NOW,
});

async function withAdmin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The template's name changes whenever what goes into it may change: the seed runs through migrations,
 * reference data and most of the server's modules (the demo dossiers go through the dossier engine), so
 * every source file counts but the tests. Paths are hashed relative to the project: two checkouts of the
 * same code share one template.
 */
function templateName(): string {
  const hash = createHash('sha256');
  const inputs = [path.join(PROJECT_ROOT, 'src'), path.join(PROJECT_ROOT, 'reference')];
  const walk = (p: string) => {
    if (fs.statSync(p).isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) walk(path.join(p, entry));
    } else if (!p.endsWith('.test.ts')) {
      hash.update(path.relative(PROJECT_ROOT, p)).update(fs.readFileSync(p));
    }
  };
  inputs.forEach(walk);
  return `motcua_test_tpl_${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Clones a seeded template database on the PostgreSQL server, built once and reused across runs
 * (CREATE DATABASE … TEMPLATE takes well under a second; loading the reference data takes seconds).
 * Building and cloning happen under one advisory lock, so parallel test files never race.
 */
async function cloneSeededTemplate(adminUrl: string, name: string) {
  const template = templateName();
  await withAdmin(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [template]);
      if (!exists.rowCount) {
        const stale = await client.query(
          "select datname from pg_database where datname like 'motcua_test_tpl_%'",
        );
        for (const row of stale.rows) {
          await client.query(`drop database if exists ${row.datname}`);
          fs.rmSync(templateFilesDir(row.datname), { recursive: true, force: true });
        }
        const building = `${template}_building`;
        await client.query(`drop database if exists ${building}`);
        await client.query(`create database ${building}`);
        const db = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, building) });
        try {
          await migrate(db.db);
          await seedDatabase(db.db, seedOptions(createLocalFileStore(templateFilesDir(template))));
        } finally {
          await db.close();
        }
        await client.query(`alter database ${building} rename to ${template}`);
      }
      await client.query(`create database ${name} template ${template}`);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/**
 * A fresh, migrated and seeded database for one test file: embedded (in memory) by default, or a new
 * database on the server named by TEST_DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(
  options: { seed?: boolean; serverUrl?: string | null } = {},
): Promise<TestDatabase> {
  const seed = options.seed ?? true;
  const adminUrl = options.serverUrl === undefined ? process.env.TEST_DATABASE_URL : options.serverUrl;
  if (!adminUrl) {
    const files = createTemporaryFileStore();
    const database = await openDatabase({ kind: 'embedded-memory' });
    await migrate(database.db);
    if (seed) await seedDatabase(database.db, seedOptions(files));
    return {
      ...database,
      files,
      async close() {
        await database.close();
        files.remove();
      },
    };
  }
  const name = `motcua_test_${randomBytes(6).toString('hex')}`;
  if (seed) await cloneSeededTemplate(adminUrl, name);
  else await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const database = await openDatabase({
    kind: 'postgres',
    url: withDatabase(adminUrl, name),
    maxConnections: 5,
  });
  if (!seed) await migrate(database.db);
  // Content-addressed: the clones share the template's folder, whatever they add to it.
  const files = createLocalFileStore(templateFilesDir(templateName()));
  return {
    ...database,
    files,
    async close() {
      await database.close();
      await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name}`));
    },
  };
}
