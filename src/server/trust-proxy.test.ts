import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './test-support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  // One reverse proxy in front (TRUST_PROXY=1): only the address it appended is believed.
  ctx = await createTestContext({ trustProxy: 1, loginRateLimit: { max: 2, timeWindowMs: 60_000 } });
});
afterAll(() => ctx.close());

describe('behind one trusted proxy', () => {
  it('a forged leftmost X-Forwarded-For does not give the client fresh rate limits', async () => {
    const statuses: number[] = [];
    for (const forged of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': `${forged}, 203.0.113.7` },
        payload: { username: 'nobody.here', password: 'wrong-password' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-for': '203.0.113.8' },
      payload: { username: 'nobody.here', password: 'wrong-password' },
    });
    expect(other.statusCode).toBe(401);
  });
});

describe('behind a proxy named by its address', () => {
  it('believes X-Forwarded-For only from that address', async () => {
    const named = await createTestContext({ trustProxy: ['10.0.0.2'] });
    try {
      const seen = async (remoteAddress: string) => {
        const res = await named.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress,
          headers: { 'x-forwarded-for': '1.1.1.1, 203.0.113.7' },
          payload: { username: 'reception.30502', password: 'wrong-password' },
        });
        expect(res.statusCode).toBe(401);
        const row = await named.database.db
          .selectFrom('audit_log')
          .select('ip')
          .orderBy('id', 'desc')
          .executeTakeFirst();
        return row?.ip;
      };
      expect(await seen('10.0.0.2')).toBe('203.0.113.7');
      expect(await seen('198.51.100.9')).toBe('198.51.100.9');
    } finally {
      await named.close();
    }
  });
});
