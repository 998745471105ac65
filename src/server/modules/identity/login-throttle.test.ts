import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { DEMO_PASSWORD } from '../../db/seed/demo-data.ts';
import { openTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import { ADDRESS_FAILURES, createIdentityService, LOCKOUT } from './identity.service.ts';

let database: TestDatabase;
let clock = new Date('2026-03-02T08:00:00+07:00');
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
let identity: ReturnType<typeof createIdentityService>;
beforeAll(async () => {
  database = await openTestDatabase();
  identity = createIdentityService(database.db, { sessionTtlHours: 12, now: () => clock });
});
afterAll(() => database.close());

const from = (ip: string) => ({ requestId: 'test-request', ip, userAgent: null });
/** The error code of a sign-in, or 'ok'. */
async function attempt(username: string, password: string, ip: string) {
  try {
    await identity.login(username, password, from(ip));
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('wrong passwords slow the guesser down without locking out the officer', () => {
  it('holds back unknown addresses with a doubling delay; the officer’s own PC still signs in', async () => {
    const officer = 'specialist.30502';
    expect(await attempt(officer, DEMO_PASSWORD, '10.0.0.7')).toBe('ok');
    for (let i = 1; i < LOCKOUT.attempts; i++) {
      expect(await attempt(officer, 'doan-mo', `198.51.100.${i}`)).toBe('INVALID_CREDENTIALS');
    }
    expect(await attempt(officer, 'doan-mo', '198.51.100.9')).toBe('ACCOUNT_LOCKED');
    advance(10_000);
    // Even the right password from an address that never signed in waits out the delay...
    expect(await attempt(officer, DEMO_PASSWORD, '198.51.100.20')).toBe('ACCOUNT_LOCKED');
    // ...but the officer at their own PC is not locked out.
    expect(await attempt(officer, DEMO_PASSWORD, '10.0.0.7')).toBe('ok');

    // The right password reset the count: the guesser starts again, and each wrong one past the limit doubles.
    for (let i = 1; i <= LOCKOUT.attempts; i++) await attempt(officer, 'doan-mo', '198.51.100.30');
    advance(LOCKOUT.firstDelaySeconds * 1000 + 1);
    expect(await attempt(officer, 'doan-mo', '198.51.100.31')).toBe('ACCOUNT_LOCKED');
    advance(LOCKOUT.firstDelaySeconds * 1000 + 1); // 30 s is no longer enough: the delay is now 60 s
    expect(await attempt(officer, DEMO_PASSWORD, '198.51.100.32')).toBe('ACCOUNT_LOCKED');
    advance(LOCKOUT.firstDelaySeconds * 1000);
    expect(await attempt(officer, DEMO_PASSWORD, '198.51.100.32')).toBe('ok');
  });

  it(`refuses an address after ${ADDRESS_FAILURES.max} wrong passwords to any accounts, for ${ADDRESS_FAILURES.minutes} minutes`, async () => {
    const spray = '203.0.113.50';
    for (let i = 0; i < ADDRESS_FAILURES.max; i++) {
      expect(await attempt(i % 2 ? 'reception.30112' : 'nobody.anywhere', 'doan-mo', spray)).toMatch(
        /INVALID_CREDENTIALS|ACCOUNT_LOCKED/,
      );
    }
    expect(await attempt('head.30112', DEMO_PASSWORD, spray)).toBe('RATE_LIMITED');
    expect(await attempt('head.30112', DEMO_PASSWORD, '203.0.113.51')).toBe('ok');
    advance(ADDRESS_FAILURES.minutes * 60_000 + 1);
    expect(await attempt('head.30112', DEMO_PASSWORD, spray)).toBe('ok');
  });
});
