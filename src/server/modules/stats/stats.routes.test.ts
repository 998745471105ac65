import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../../core/stats/metrics.ts';
import {
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { createStatsRepository } from './stats.repository.ts';

/**
 * A small fixed month in Phường Thới Sơn (March 2026, office hours 07:00–11:30 and 13:30–17:00), every
 * expectation computed by hand:
 * - D1 counter, business household (3 working days, fee 50,000 đ): received Mon 2 Mar 08:00, due Thu 5
 *   08:00; result Tue 3 10:00 (early; 7 + 3 = 10 working hours, day 2); scanned; rated very satisfied.
 * - D2 online, same procedure: received Mon 2 10:00, due Thu 5 10:00; apology Thu 07:30 (new date Fri
 *   16:00); result Fri 6 09:00: late against the statutory date (5+8+8+8+2 = 31 hours, day 4); its
 *   paper reused from D1's; rated not satisfied.
 * - D3 counter: received Tue 3 08:00, supplement asked 09:00, handed in Mon 9: still in progress, overdue
 *   on 31 March.
 * - D4 counter: received Mon 30 Mar 08:00, due Thu 2 Apr: in progress on time.
 * - D5 counter, marital status certificate (no fee): refused at the counter: never received.
 * - D6 counter, marital status certificate: received Thu 5 08:00, withdrawn 09:00.
 */
const clock = createClock('2026-03-02T08:00:00+07:00');
const MARITAL = '1.004873';
let ctx: TestContext;
let reception: Headers;
let specialist: Headers;
let head: Headers;
let leader: Headers;
let specialistId: number;
const ids = { d1: 0, d2: 0, d3: 0, d4: 0, d5: 0, d6: 0 };

async function at(time: string, who: Headers, id: number, action: string, body: object = {}) {
  clock.set(time);
  const res = await postAction(ctx.app, who, id, action, body);
  expect(res.statusCode, res.body).toBe(200);
}

async function intake(time: string, body: Record<string, unknown>) {
  clock.set(time);
  const res = await postIntake(ctx.app, reception, intakeBody(body));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
}

async function resolve(id: number, day: string, resultAt: string, before?: () => Promise<void>) {
  await at(`${day}T09:00:00+07:00`, reception, id, 'assign', { assigneeId: specialistId });
  await at(`${day}T10:00:00+07:00`, specialist, id, 'forward');
  await at(`${day}T11:00:00+07:00`, head, id, 'forward');
  await at(`${day}T11:10:00+07:00`, leader, id, 'approve');
  await before?.();
  await at(resultAt, reception, id, 'result-ready');
}

async function addDocument(dossierId: number, digitization: 'digitized' | 'reused', reusedFrom?: number) {
  const db = ctx.database.db;
  const sha = `${dossierId.toString(16).padStart(2, '0')}ab`.repeat(16).slice(0, 64);
  await db
    .insertInto('stored_file')
    .values({ sha256: sha, size_bytes: 10, media_type: 'application/pdf' })
    .execute();
  const row = await db
    .insertInto('document')
    .values({
      sha256: sha,
      citizen_id: '089085000123',
      dossier_id: dossierId,
      component_key: 'giay_de_nghi',
      name: 'Giấy đề nghị',
      digitization,
      reused_from: reusedFrom ?? null,
      unit_code: '30502',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function rate(
  dossierId: number,
  rating: 'very_satisfied' | 'satisfied' | 'not_satisfied',
  time: string,
) {
  await ctx.database.db
    .insertInto('dossier_rating')
    .values({ dossier_id: dossierId, rating, created_at: new Date(time) })
    .execute();
}

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  reception = await ctx.login('reception.30502');
  specialist = await ctx.login('specialist.30502');
  head = await ctx.login('head.30502');
  leader = await ctx.login('leader.30502');
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;

  ids.d1 = await intake('2026-03-02T08:00:00+07:00', {});
  ids.d2 = await intake('2026-03-02T09:00:00+07:00', { channel: 'online' });
  await at('2026-03-02T10:00:00+07:00', reception, ids.d2, 'receive');
  await resolve(ids.d1, '2026-03-02', '2026-03-03T10:00:00+07:00');
  await at('2026-03-03T14:00:00+07:00', reception, ids.d1, 'return-result', {
    recipientName: 'Nguyễn Văn Đức',
    method: 'counter',
  });
  ids.d3 = await intake('2026-03-03T08:00:00+07:00', {});
  await at('2026-03-03T08:30:00+07:00', reception, ids.d3, 'assign', { assigneeId: specialistId });
  await at('2026-03-03T09:00:00+07:00', specialist, ids.d3, 'request-supplement', {
    reasons: ['Thiếu bản sao giấy tờ'],
  });
  ids.d5 = await intake('2026-03-03T10:00:00+07:00', {
    procedureCode: MARITAL,
    components: ['to_khai'],
    outcome: { action: 'refuse', reasons: ['Không thuộc thẩm quyền'] },
  });
  await resolve(ids.d2, '2026-03-04', '2026-03-06T09:00:00+07:00', () =>
    at('2026-03-05T07:30:00+07:00', leader, ids.d2, 'apologize', {
      reason: 'Cần xác minh thêm với cơ quan thuế',
      newDueAt: '2026-03-06T16:00:00+07:00',
    }),
  );
  ids.d6 = await intake('2026-03-05T08:00:00+07:00', { procedureCode: MARITAL, components: ['to_khai'] });
  await at('2026-03-05T09:00:00+07:00', reception, ids.d6, 'withdraw', { reason: 'Công dân xin rút' });
  await at('2026-03-09T08:00:00+07:00', reception, ids.d3, 'supplement-received');
  ids.d4 = await intake('2026-03-30T08:00:00+07:00', {});
  clock.set('2026-03-31T18:00:00+07:00');

  const first = await addDocument(ids.d1, 'digitized');
  await addDocument(ids.d2, 'reused', first);
  await rate(ids.d1, 'very_satisfied', '2026-03-03T15:00:00+07:00');
  await rate(ids.d2, 'not_satisfied', '2026-03-06T10:00:00+07:00');
}, 120_000);
afterAll(() => ctx.close());

function indicators(query: string, headers: Headers = leader) {
  return ctx.app.inject({ url: `/api/stats/indicators?${query}`, headers });
}

describe('indicators on a hand-computed month', () => {
  it('counts every figure of March as computed by hand', async () => {
    const res = await indicators('unit=30502&from=2026-03-01&to=2026-03-31');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toEqual({ from: '2026-03-01', to: '2026-03-31', asOf: '2026-03-31' });
    expect(body.received).toEqual({ total: 5, counter: 4, online: 1, postal: 0 });
    expect(body.resolved).toEqual({ total: 2, early: 1, onTime: 0, late: 1 });
    expect(body.inProgress).toEqual({ total: 2, onTime: 1, overdue: 1 });
    expect(body.onlineShare).toBe(0.2);
    expect(body.fullOnlineShare).toBe(0.2);
    expect(body.onTimeShare).toBe(0.5);
    expect(body.processingDays).toMatchObject({ average: 2.56, median: 2 });
    expect(body.digitization).toEqual({
      dossiersShare: 0.4,
      componentsShare: 0.4,
      reuseShare: 0.2,
      resultsShare: 0,
    });
    expect(body.onlinePaymentShare).toBe(0);
    expect(body.electronicResults).toBe(0);
    expect(body.satisfaction).toEqual({
      rated: 2,
      verySatisfied: 1,
      satisfied: 0,
      notSatisfied: 1,
      share: 0.5,
    });
    expect(body.proceduresOnline).toEqual({
      published: 29,
      complete: 29,
      online: 26,
      fullOnline: 13,
      share: 0.8966,
    });
    expect(body.ratios.onTime).toEqual({
      value: 0.5,
      numerator: 1,
      denominator: 2,
      formula: 'hồ sơ giải quyết trước và đúng hạn ÷ hồ sơ đã giải quyết',
    });
    expect(body.ratios.payment).toMatchObject({ numerator: 0, denominator: 4 });
  });

  it("scores Decision 766's six groups by hand", async () => {
    const body = (await indicators('unit=30502&from=2026-03-01&to=2026-03-31')).json();
    const points = Object.fromEntries(
      body.score766.groups.flatMap((g: { indicators: { key: string; points: number }[] }) =>
        g.indicators.map((i) => [i.key, i.points]),
      ),
    );
    expect(points).toEqual({
      procedures_complete: 10,
      late_apologized: 8,
      resolved_on_time: 7,
      in_progress_on_time: 3,
      procedures_online: 3.59,
      dossiers_online: 3.2,
      paid_online: 0,
      e_results: 0,
      dossiers_digitized: 4,
      reuse: 2,
      satisfaction: 9,
    });
    expect(
      body.score766.groups.map((g: { key: string; max: number; points: number }) => [g.key, g.max, g.points]),
    ).toEqual([
      ['transparency', 18, 18],
      ['progress', 20, 10],
      ['online', 12, 6.79],
      ['payment', 10, 0],
      ['digitization', 22, 6],
      ['satisfaction', 18, 9],
    ]);
    expect(body.score766).toMatchObject({ total: 49.79, earned: 49.79, measurableMax: 100 });
    const online = body.score766.groups[2].indicators[1];
    expect(online.formula).toBe('8 × min(1, hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận ÷ 50%)');
  });

  it('the same figures for the province and the nation, filtered by channel or field', async () => {
    const ministry = await ctx.login('ministry');
    const province = (await indicators('unit=91&from=2026-03-01&to=2026-03-31', ministry)).json();
    const nation = (await indicators('unit=VN&from=2026-03-01&to=2026-03-31', ministry)).json();
    expect(province.received.total).toBe(5);
    expect(nation.received.total).toBe(5);
    const online = (await indicators('unit=30502&from=2026-03-01&to=2026-03-31&channel=online')).json();
    expect(online.received).toEqual({ total: 1, counter: 0, online: 1, postal: 0 });
    expect(online.resolved).toEqual({ total: 1, early: 0, onTime: 0, late: 1 });
    const field = (await indicators('unit=30502&from=2026-03-01&to=2026-03-31&field=civil_status')).json();
    expect(field.received.total).toBe(1);
    // A period of a few days mixes the month table and the day table: 2–3 March only.
    const days = (await indicators('unit=VN&from=2026-03-02&to=2026-03-03', ministry)).json();
    expect(days.received.total).toBe(3);
    expect(days.inProgress).toEqual({ total: 2, onTime: 2, overdue: 0 });
  });

  it('a trend day by day over a whole month keeps each day (not the month on its first)', async () => {
    const res = await ctx.app.inject({
      url: '/api/stats/trend?unit=30502&from=2026-03-01&to=2026-03-31',
      headers: leader,
    });
    expect(res.statusCode, res.body).toBe(200);
    const points = res.json().points as { period: string; received: number; resolved: number }[];
    expect(res.json().granularity).toBe('day');
    const received = Object.fromEntries(points.filter((p) => p.received).map((p) => [p.period, p.received]));
    expect(received).toEqual({ '2026-03-02': 2, '2026-03-03': 1, '2026-03-05': 1, '2026-03-30': 1 });
  });

  it('lists the dossiers behind a figure, as many as the figure says', async () => {
    const list = async (metric: string) =>
      (
        await ctx.app.inject({
          url: `/api/stats/dossiers?unit=30502&from=2026-03-01&to=2026-03-31&metric=${metric}`,
          headers: leader,
        })
      ).json();
    const overdue = await list('overdue');
    expect(overdue.total).toBe(1);
    expect(overdue.items[0].applicant).toBe('Nguyễn Văn Đức');
    expect((await list('resolved_late')).total).toBe(1);
    expect((await list('received')).total).toBe(5);
    expect((await list('in_progress')).total).toBe(2);
  });

  it('answers a province ranking with its communes, and who may see what', async () => {
    const inspector = await ctx.login('inspector.91');
    const ranking = await ctx.app.inject({
      url: '/api/stats/ranking?unit=91&from=2026-03-01&to=2026-03-31',
      headers: inspector,
    });
    expect(ranking.statusCode, ranking.body).toBe(200);
    const first = ranking.json().items[0];
    expect(first).toMatchObject({ code: '30502', score766: 49.79 });
    expect(ranking.json().items.length).toBeGreaterThan(50);
    // A commune's own officers see their commune only; another province's inspector sees nothing here.
    expect((await indicators('unit=30112&from=2026-03-01&to=2026-03-31')).statusCode).toBe(403);
    expect((await indicators('unit=VN&from=2026-03-01&to=2026-03-31')).statusCode).toBe(403);
    const other = await ctx.login('inspector.82');
    expect((await indicators('unit=30502&from=2026-03-01&to=2026-03-31', other)).statusCode).toBe(403);
    expect(
      (await ctx.app.inject({ url: '/api/stats/indicators?unit=30502&from=2026-03-01&to=2026-03-31' }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a bad period or unit with the field named', async () => {
    const res = await indicators('unit=30502&from=2026-03-31&to=2026-03-01');
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('Ngày kết thúc phải từ ngày bắt đầu trở đi');
    const unit = await indicators('unit=3050&from=2026-03-01&to=2026-03-31');
    expect(unit.statusCode).toBe(400);
    expect(JSON.stringify(unit.json())).toContain('Mã đơn vị phải là VN');
    expect((await indicators('unit=99999&from=2026-03-01&to=2026-03-31')).statusCode).toBe(404);
  });

  it('the public board needs no sign-in, shows initials only and no dossier code', async () => {
    const res = await ctx.app.inject({ url: '/api/public/stats?unit=30502&from=2026-03-01&to=2026-03-31' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ onTimeShare: 0.5, onlineShare: 0.2, score766: { total: 49.79 } });
    expect(body.overdue.total).toBe(1);
    expect(body.overdue.items[0]).toMatchObject({ applicant: 'N. V. Đ.' });
    expect(JSON.stringify(body)).not.toContain('Nguyễn Văn Đức');
    expect(JSON.stringify(body)).not.toContain('089085000123');
    // No dossier code: with the code a stranger could look the dossier up.
    expect(body.overdue.items[0]).not.toHaveProperty('code');
    expect(JSON.stringify(body)).not.toMatch(/[A-Za-z0-9.]+-\d{6}-\d{4}/);
    // Without dates: this month so far.
    const month = await ctx.app.inject({ url: '/api/public/stats?unit=30502' });
    expect(month.statusCode, month.body).toBe(200);
    expect(month.json().period.from).toMatch(/^\d{4}-\d{2}-01$/);
  });

  it('reads the same running sums from whole months less what is dated later as from days', async () => {
    const db = ctx.database.db;
    const normal = (rows: Record<string, unknown>[]) =>
      rows
        .map((r) => [r.channel, ...METRICS.map((m) => Number(r[m]) + 0)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    for (const day of ['2026-03-02', '2026-03-05', '2026-03-10', '2026-03-31']) {
      for (const scope of [{ level: 'nation' as const }, { level: 'commune' as const, code: '30502' }]) {
        const fast = await createStatsRepository(db, () => '2026-03-31').upTo(scope, day);
        const slow = await createStatsRepository(db, () => '2026-06-01').upTo(scope, day);
        expect(normal(fast)).toEqual(normal(slow));
      }
    }
  });

  it('keeps the rollups equal to a full recount, and lists the same counters as the tables', async () => {
    const db = ctx.database.db;
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'stats_day'
      order by ordinal_position`.execute(db);
    expect(columns.rows.map((c) => c.column_name).slice(4)).toEqual([...METRICS]);
    const snapshot = async () =>
      (
        await sql`select * from stats_day_procedure order by unit_code, day, procedure_code, channel`.execute(
          db,
        )
      ).rows;
    const nonZero = (rows: unknown[]) =>
      (rows as Record<string, unknown>[]).filter((r) => METRICS.some((m) => Number(r[m]) !== 0));
    const before = nonZero(await snapshot());
    await sql`select stats_recount()`.execute(db);
    expect(nonZero(await snapshot())).toEqual(before);
  });
});
