import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { registerErrorHandler } from './error-handler.ts';
import { loggerOptions } from './logging.ts';

// A real PostgreSQL error from the test database carries the citizen's data in its message, detail,
// where and hint; the log line keeps what failed (code, constraint) and the request id, never the values.

const PHONE = '0912345678';
const CITIZEN_ID = '079123456789';
const EMAIL = 'nguyen.an@example.vn';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(() => database?.close());

async function logsOf(failing: () => Promise<unknown>, requestId: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // As buildApp does: the caller's request id is the one the lines carry.
  const app = Fastify({
    logger: loggerOptions('info', stream),
    genReqId: (req) => String(req.headers['x-request-id']),
  });
  registerErrorHandler(app);
  app.get('/fail', async () => failing());
  const res = await app.inject({ url: '/fail', headers: { 'x-request-id': requestId } });
  await app.close();
  return { res, lines: lines.join('') };
}

describe('personal data in the logs', () => {
  it('a unique-key violation logs its code and constraint, not the phone in its detail', async () => {
    const insert = () =>
      sql`insert into app_meta (key, value) values (${`phone ${PHONE}`}, '{}')`.execute(database.db);
    await insert();
    const { res, lines } = await logsOf(insert, 'req-unique-0001');
    expect(res.statusCode).toBe(500);
    expect(lines).toContain('"code":"23505"');
    expect(lines).toContain('app_meta_pkey');
    expect(lines).toContain('req-unique-0001');
    expect(lines).not.toContain(PHONE);
    expect(lines).not.toContain('Key (');
  });

  it("a raised error's message, detail, hint and where carry no phone, ID or e-mail into the log", async () => {
    const fail = () =>
      sql`do $$ begin raise exception 'citizen % %', ${sql.lit(CITIZEN_ID)}, ${sql.lit(PHONE)}
        using detail = ${sql.lit(`phone ${PHONE}`)}, hint = ${sql.lit(EMAIL)}, errcode = 'P0001'; end $$`.execute(
        database.db,
      );
    const { res, lines } = await logsOf(fail, 'req-raise-0002');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain(PHONE);
    expect(lines).toContain('"code":"P0001"');
    expect(lines).toContain('req-raise-0002');
    for (const personal of [PHONE, CITIZEN_ID, EMAIL]) expect(lines).not.toContain(personal);
  });

  it('masks phones, IDs and e-mails in any message by pattern', async () => {
    const { lines } = await logsOf(async () => {
      throw new Error(`gửi ${EMAIL}, gọi +84${PHONE.slice(1)}, CCCD ${CITIZEN_ID}`);
    }, 'req-plain-0003');
    expect(lines).toContain('req-plain-0003');
    expect(lines).toContain('[redacted]');
    for (const personal of [PHONE.slice(1), CITIZEN_ID, EMAIL]) expect(lines).not.toContain(personal);
  });
});
