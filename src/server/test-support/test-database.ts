import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrator.ts';
import { seedDatabase } from '../db/seed/seed.ts';

const TEMPLATE = 'motcua_test_template';
const TEMPLATE_LOCK = 7_480_227;

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
 * A seeded template database on the PostgreSQL server, built once per suite run and cloned per test file
 * (CREATE DATABASE … TEMPLATE is much faster than loading the reference data again).
 */
async function ensureTemplate(adminUrl: string) {
  await withAdmin(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [TEMPLATE]);
      const fresh = process.env.MOTCUA_TEST_TEMPLATE_BUILT === '1';
      if (exists.rowCount && fresh) return;
      if (exists.rowCount) await client.query(`drop database ${TEMPLATE}`);
      await client.query(`create database ${TEMPLATE}`);
      const template = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, TEMPLATE) });
      try {
        await migrate(template.db);
        await seedDatabase(template.db, { demo: true });
      } finally {
        await template.close();
      }
      process.env.MOTCUA_TEST_TEMPLATE_BUILT = '1';
    } finally {
      await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/**
 * A fresh, migrated and seeded database for one test file: embedded (in memory) by default, or a new
 * database on the server named by TEST_DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(options: { seed?: boolean } = {}): Promise<Database> {
  const seed = options.seed ?? true;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ kind: 'embedded-memory' });
    await migrate(database.db);
    if (seed) await seedDatabase(database.db, { demo: true });
    return database;
  }
  const name = `motcua_test_${randomBytes(6).toString('hex')}`;
  if (seed) await ensureTemplate(adminUrl);
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}${seed ? ` template ${TEMPLATE}` : ''}`));
  const database = await openDatabase({
    kind: 'postgres',
    url: withDatabase(adminUrl, name),
    maxConnections: 5,
  });
  if (!seed) await migrate(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name}`));
    },
  };
}
