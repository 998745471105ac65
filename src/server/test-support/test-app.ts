import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from '../app.ts';
import { DEMO_PASSWORD } from '../db/seed/demo-data.ts';
import { openTestDatabase, TEST_SEAL_PASSPHRASE, TEST_SEED_NOW, type TestDatabase } from './test-database.ts';

/**
 * The clock of a test app that does not bring its own: half an hour after the seed's, and ticking, so
 * no test depends on the day it runs (a holiday, a weekend, a month end) while durations stay real.
 */
export const TEST_NOW = new Date(TEST_SEED_NOW.getTime() + 30 * 60_000);
export function tickingClock(start: Date = TEST_NOW): () => Date {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

export type TestContext = {
  app: FastifyInstance;
  database: TestDatabase;
  /** Signs in a demo account; returns the headers a signed-in browser sends (cookie and CSRF token). */
  login(username: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

/** The whole app on a fresh seeded database (embedded, or PostgreSQL with TEST_DATABASE_URL). */
export async function createTestContext(options: Partial<BuildAppOptions> = {}): Promise<TestContext> {
  return createTestContextOn(await openTestDatabase(), options);
}

/** The whole app on a database the test opened itself (closed with the context). */
export async function createTestContextOn(
  database: TestDatabase,
  options: Partial<BuildAppOptions> = {},
): Promise<TestContext> {
  const app = await buildApp({
    database,
    fileStore: database.files,
    sealPassphrase: TEST_SEAL_PASSPHRASE,
    now: tickingClock(),
    ...options,
  });
  await app.ready();
  return {
    app,
    database,
    async login(username) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'motcua_session');
      if (!cookie) throw new Error('no session cookie');
      return { cookie: `motcua_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
