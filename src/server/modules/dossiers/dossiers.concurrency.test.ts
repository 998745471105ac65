import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

// The day after the seed's pinned instant (TEST_SEED_NOW): no seeded dossier shares its codes' day.
const clock = createClock('2026-12-03T08:00:00+07:00');
let ctx: TestContext;
let reception: Headers;
let director: Headers;

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  reception = await ctx.login('reception.30112');
  director = await ctx.login('director.30112');
});
afterAll(() => ctx.close());

const body = () =>
  intakeBody({
    applicant: {
      citizenId: '087090004567',
      fullName: 'Lê Thị Hồng',
      dateOfBirth: '1990-05-06',
      address: 'Ấp Mỹ Phú',
      addressCommuneCode: '30112',
    },
  });

describe('concurrency', () => {
  it('gives 50 parallel intakes in one unit 50 distinct consecutive codes', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => postIntake(ctx.app, reception, body())),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(201));
    const codes = answers.map((a) => a.json().code as string);
    expect(new Set(codes).size).toBe(50);
    expect(codes.every((c) => c.startsWith('30112-261203-'))).toBe(true);
    const numbers = codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b);
    const first = numbers[0] as number;
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => first + i));
    // Nothing before them in this test's day: the sequence starts at 1.
    expect(first).toBe(1);
  });

  it('lets exactly one of two parallel actions on one dossier win; the other gets 409 with the state', async () => {
    const created = (await postIntake(ctx.app, reception, body())).json();
    const me = (
      await ctx.app.inject({ url: '/api/auth/me', headers: await ctx.login('specialist.30112') })
    ).json();
    const [a, b] = await Promise.all([
      postAction(ctx.app, reception, created.id, 'assign', { assigneeId: me.user.id, version: 1 }),
      postAction(ctx.app, director, created.id, 'withdraw', { reason: 'Công dân xin rút', version: 1 }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const winner = a.statusCode === 200 ? a : b;
    expect(loser.json().error.code).toBe('VERSION_CONFLICT');
    expect(loser.json().error.details).toMatchObject({ version: 2, state: winner.json().status });
    expect(loser.json().error.details.allowedActions).toEqual(expect.any(Array));
    expect(loser.json().error.message).toContain('phiên bản 2');
    const events = await ctx.app.inject({ url: `/api/dossiers/${created.id}/events`, headers: director });
    expect(events.json().items).toHaveLength(2);
  });

  it('answers a retried intake with the first answer and writes one dossier, even when the retries race', async () => {
    const key = randomUUID();
    const count = async () =>
      (await ctx.app.inject({ url: '/api/dossiers?q=087090004567&pageSize=1', headers: director })).json()
        .total;
    const before = await count();
    const [first, second, third] = await Promise.all([
      postIntake(ctx.app, reception, body(), key),
      postIntake(ctx.app, reception, body(), key),
      postIntake(ctx.app, reception, body(), key),
    ]);
    expect([first?.statusCode, second?.statusCode, third?.statusCode]).toEqual([201, 201, 201]);
    expect(new Set([first, second, third].map((r) => r?.json().code)).size).toBe(1);
    expect([first, second, third].filter((r) => r?.headers['idempotent-replayed'] === 'true')).toHaveLength(
      2,
    );
    expect(await count()).toBe(before + 1);
    const reused = await postIntake(ctx.app, reception, { ...body(), channel: 'postal' }, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('does not repeat a retried action', async () => {
    const created = (await postIntake(ctx.app, reception, body())).json();
    const key = randomUUID();
    const once = await postAction(
      ctx.app,
      reception,
      created.id,
      'withdraw',
      { reason: 'Công dân xin rút' },
      key,
    );
    const twice = await postAction(
      ctx.app,
      reception,
      created.id,
      'withdraw',
      { reason: 'Công dân xin rút' },
      key,
    );
    expect([once.statusCode, twice.statusCode]).toEqual([200, 200]);
    expect(twice.json()).toEqual(once.json());
    const events = await ctx.app.inject({ url: `/api/dossiers/${created.id}/events`, headers: director });
    expect(events.json().items.map((e: { type: string }) => e.type)).toEqual(['intake', 'withdraw']);
  });

  it('answers a retry with the first answer even when the world changed since (officer deactivated)', async () => {
    const created = (await postIntake(ctx.app, reception, body())).json();
    const specialist = await ctx.database.db
      .selectFrom('staff_account')
      .select('id')
      .where('username', '=', 'specialist.30112')
      .executeTakeFirstOrThrow();
    const key = randomUUID();
    const assign = () =>
      postAction(ctx.app, reception, created.id, 'assign', { assigneeId: specialist.id }, key);
    const first = await assign();
    expect(first.statusCode, first.body).toBe(200);
    await ctx.database.db
      .updateTable('staff_account')
      .set({ active: false })
      .where('id', '=', specialist.id)
      .execute();
    try {
      const retry = await assign();
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      // A new request with the same body is judged afresh: that officer no longer works here.
      const fresh = await postAction(ctx.app, reception, created.id, 'assign', { assigneeId: specialist.id });
      expect(fresh.statusCode).toBe(400);
    } finally {
      await ctx.database.db
        .updateTable('staff_account')
        .set({ active: true })
        .where('id', '=', specialist.id)
        .execute();
    }
  });

  it("keeps every digit of a day's 10,000th code (four digits at least, never cut)", async () => {
    await ctx.database.db
      .updateTable('dossier_code_counter')
      .set({ last_seq: 9999 })
      .where('unit_code', '=', '30112')
      .where('day', '=', '2026-12-03')
      .execute();
    const answer = await postIntake(ctx.app, reception, body());
    expect(answer.statusCode).toBe(201);
    expect(answer.json().code).toBe('30112-261203-10000');
    const next = await postIntake(ctx.app, reception, body());
    expect(next.json().code).toBe('30112-261203-10001');
  });
});
