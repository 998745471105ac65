import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { rebuildStats, verifyRollups } from './stats-rebuild.ts';

/**
 * Random sequences of real actions (through the API, with the clock moving hours or days between them),
 * ratings and scanned papers: after each sequence the rollups the triggers kept must equal a recount
 * from the dossiers, and the rebuild from the events must find nothing to repair.
 */
const clock = createClock('2026-04-06T08:00:00+07:00');
let ctx: TestContext;
let people: Record<string, Headers>;
let specialistId: number;
const dossiers: number[] = [];

const INPUTS: Record<string, () => object> = {
  assign: () => ({ assigneeId: specialistId }),
  'request-supplement': () => ({ reasons: ['Thiếu giấy tờ'] }),
  'request-payment': () => ({ amountVnd: 50_000, description: 'Lệ phí' }),
  refuse: () => ({ reasons: ['Không đủ điều kiện'] }),
  withdraw: () => ({ reason: 'Công dân xin rút' }),
  stop: () => ({ reason: 'Dừng theo yêu cầu' }),
  transfer: () => ({ agency: 'Văn phòng đăng ký đất đai' }),
  'return-step': () => ({ reason: 'Cần kiểm tra lại' }),
  'return-result': () => ({ recipientName: 'Nguyễn Văn Đức', method: 'counter' }),
  apologize: () => ({
    reason: 'Cần xác minh thêm',
    newDueAt: new Date(clock.now().getTime() + 20 * 86_400_000).toISOString(),
  }),
};

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  people = {
    reception: await ctx.login('reception.30502'),
    specialist: await ctx.login('specialist.30502'),
    head: await ctx.login('head.30502'),
    leader: await ctx.login('leader.30502'),
  };
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: people.specialist })).json().user.id;
}, 60_000);
afterAll(() => ctx.close());

type Move = { pick: number; action: number; hours: number; extra: number };

async function play(move: Move) {
  clock.set(new Date(clock.now().getTime() + move.hours * 3_600_000).toISOString());
  if (move.pick % 4 === 0 || dossiers.length === 0) {
    const online = move.extra % 3 === 0;
    const res = await postIntake(
      ctx.app,
      people.reception as Headers,
      intakeBody(online ? { channel: 'online' } : {}),
    );
    expect(res.statusCode, res.body).toBe(201);
    dossiers.push(res.json().id);
    return;
  }
  const id = dossiers[move.pick % dossiers.length] as number;
  if (move.extra % 7 === 0) {
    // A rating (once per dossier) or a scanned paper, written as their modules write them.
    await sql`insert into dossier_rating (dossier_id, rating, created_at)
      values (${id}, ${['very_satisfied', 'satisfied', 'not_satisfied'][move.extra % 3]}, ${clock.now()})
      on conflict do nothing`.execute(ctx.database.db);
    return;
  }
  if (move.extra % 7 === 1) {
    const sha = `${id.toString(16)}`.padStart(8, '0').repeat(8);
    await sql`insert into stored_file (sha256, size_bytes, media_type) values (${sha}, 10, 'application/pdf')
      on conflict do nothing`.execute(ctx.database.db);
    await sql`insert into document (sha256, citizen_id, dossier_id, component_key, name, digitization, unit_code)
      values (${sha}, '089085000123', ${id}, 'giay_de_nghi', 'Giấy đề nghị', 'digitized', '30502')
      on conflict do nothing`.execute(ctx.database.db);
    return;
  }
  const choices: [string, string][] = [];
  for (const [who, headers] of Object.entries(people)) {
    const view = await ctx.app.inject({ url: `/api/dossiers/${id}`, headers });
    if (view.statusCode !== 200) continue;
    for (const a of view.json().allowedActions as { action: string }[]) choices.push([who, a.action]);
  }
  if (!choices.length) return;
  const [who, action] = choices[move.action % choices.length] as [string, string];
  const res = await postAction(ctx.app, people[who] as Headers, id, action, INPUTS[action]?.() ?? {});
  // A refusal by the rules (a deadline passed, a role's step) is a 4xx and changes nothing: both are fine.
  expect(res.statusCode, res.body).toBeLessThan(500);
}

describe('rollups under random event sequences', () => {
  it('equal a full recount after every sequence, and the rebuild from the events finds nothing to repair', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            pick: fc.nat(40),
            action: fc.nat(20),
            hours: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 20, max: 120 })),
            extra: fc.nat(20),
          }),
          { minLength: 10, maxLength: 40 },
        ),
        async (moves) => {
          for (const move of moves) await play(move);
          expect(await verifyRollups(ctx.database.db)).toBe(true);
        },
      ),
      { numRuns: 8, seed: 766 },
    );
    // The sequences went well beyond intake: many kinds of events, resolved and rated dossiers.
    const kinds = await sql<{ type: string }>`select distinct type from dossier_event
      where dossier_id = any(${dossiers}::bigint[])`.execute(ctx.database.db);
    expect(kinds.rows.length).toBeGreaterThanOrEqual(8);
    const report = await rebuildStats(ctx.database.db);
    expect(report).toMatchObject({
      projectionsRepaired: 0,
      factsRepaired: 0,
      rollupRowsDiffering: 0,
      matches: true,
    });
    expect(report.dossiers).toBeGreaterThan(dossiers.length);
  }, 600_000);

  it('the rebuild finds and repairs rollups that were tampered with, and a projection out of step', async () => {
    const db = ctx.database.db;
    await sql`update stats_month set received = received + 5 where unit_code = '30502'`.execute(db);
    await sql`update dossier set components_digitized = 9 where id = ${dossiers[0] as number}`.execute(db);
    expect(await verifyRollups(db)).toBe(false);
    const report = await rebuildStats(db);
    expect(report.factsRepaired).toBe(1);
    expect(report.rollupRowsDiffering).toBeGreaterThan(0);
    expect(report.matches).toBe(true);
    expect(await verifyRollups(db)).toBe(true);
  });
});
