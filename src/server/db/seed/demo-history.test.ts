import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildStats, verifyRollups } from '../../modules/stats/stats-rebuild.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { TEST_SEED_NOW } from '../../test-support/test-database.ts';
import { generateBulkHistory } from './bulk-history.ts';
import { demoHistoryPlan, generateHistory, randomFrom, splitExactly } from './demo-history.ts';

let ctx: TestContext;
let written = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  // July 2025 of the two communes of the field reports (the demo runs the whole plan at first start).
  const plan = demoHistoryPlan(TEST_SEED_NOW);
  const july = {
    ...plan,
    to: '2025-07-31',
    communes: plan.communes.filter((c) => c.code === '30502' || c.code === '30112'),
  };
  written = await generateHistory(ctx.database.db, july, { files: ctx.database.files });
}, 300_000);
afterAll(() => ctx.close());

describe('the demo history', () => {
  it('splits a total exactly and the same seed gives the same days', () => {
    const a = splitExactly(660, 14, randomFrom(766, '30502'));
    expect(a.reduce((s, x) => s + x, 0)).toBe(660);
    expect(splitExactly(660, 14, randomFrom(766, '30502'))).toEqual(a);
    expect(splitExactly(660, 14, randomFrom(767, '30502'))).not.toEqual(a);
  });

  it("reproduces Thới Sơn's 660 dossiers from 1 to 18 July 2025, over 83 % online, from the public API", async () => {
    expect(written).toBeGreaterThan(971);
    const res = await ctx.app.inject({ url: '/api/public/stats?unit=30502&from=2025-07-01&to=2025-07-18' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.received.total).toBe(660);
    expect(body.onlineShare).toBeGreaterThan(0.83);
    expect(body.resolved.total).toBeGreaterThan(500);
    expect(body.score766.total).toBeGreaterThan(50);
  });

  it("reproduces Mỹ Hiệp's 311 dossiers since 1 July 2025, 283 online, from the staff API", async () => {
    const ministry = await ctx.login('ministry');
    const res = await ctx.app.inject({
      url: '/api/stats/indicators?unit=30112&from=2025-07-01&to=2025-07-18',
      headers: ministry,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().received).toMatchObject({ total: 311, online: 283 });
  });

  it('every generated dossier is the fold of its events, its facts are its papers, the rollups a recount', async () => {
    expect(await verifyRollups(ctx.database.db)).toBe(true);
    const report = await rebuildStats(ctx.database.db);
    expect(report).toMatchObject({
      projectionsRepaired: 0,
      factsRepaired: 0,
      rollupRowsDiffering: 0,
      matches: true,
    });
  });
});

describe('the history at benchmark size', () => {
  it('writes the asked number of dossiers over the current communes, and the rebuild keeps them as they are', async () => {
    const db = ctx.database.db;
    const before = Number(
      (
        await db
          .selectFrom('dossier')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await generateBulkHistory(db, { size: 600, seed: 766, from: '2025-07-01', to: '2026-11-28' });
    const after = await db
      .selectFrom('dossier')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.count('receiving_unit_code').distinct().as('communes'),
      ])
      .where('code', 'like', '%-B%')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(600);
    expect(Number(after.communes)).toBeGreaterThan(400);
    const report = await rebuildStats(db);
    expect(report).toMatchObject({
      withoutEvents: 600,
      projectionsRepaired: 0,
      rollupRowsDiffering: 0,
      matches: true,
    });
    expect(report.dossiers).toBe(before + 600);
  }, 120_000);
});
