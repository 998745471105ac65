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
import { rebuildStats } from '../stats/stats-rebuild.ts';

const clock = createClock('2026-11-23T08:00:00+07:00'); // a Monday
let minutes = 0;
/** A minute later on the pinned clock. */
const tick = () =>
  clock.set(new Date(Date.parse('2026-11-23T08:00:00+07:00') + ++minutes * 60_000).toISOString());
let ctx: TestContext;
let reception: Headers;

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  reception = await ctx.login('reception.30502');
});
afterAll(() => ctx.close());

async function supplementRequested() {
  const res = await postIntake(ctx.app, reception, intakeBody());
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json() as { id: number };
  tick();
  const asked = await postAction(ctx.app, reception, id, 'request-supplement', {
    reasons: ['Thiếu tờ khai'],
  });
  expect(asked.statusCode, asked.body).toBe(200);
  return { id, view: asked.json() };
}

const stored = async (id: number) =>
  (
    await sql<{ snapshot: Record<string, unknown> }>`select snapshot from dossier where id = ${id}`.execute(
      ctx.database.db,
    )
  ).rows[0]?.snapshot ?? {};

async function overwrite(id: number, snapshot: unknown) {
  await sql`update dossier set snapshot = ${JSON.stringify(snapshot)}::jsonb where id = ${id}`.execute(
    ctx.database.db,
  );
}

const view = async (id: number) => {
  const res = await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: reception });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('versioned dossier snapshots', () => {
  it('are stored with their version and the forms the actions gave grounds for', async () => {
    const { id, view: v } = await supplementRequested();
    expect(v.forms).toEqual(['01', '02', '06', '07']);
    expect(await stored(id)).toMatchObject({ snapshotVersion: 2, forms: ['01', '02'] });
    const refused = await ctx.app.inject({ url: `/api/dossiers/${id}/forms/03.pdf`, headers: reception });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('không bị từ chối tiếp nhận');
  });

  it('an older snapshot (version 1, no forms) or one that does not validate is rebuilt from the events when read', async () => {
    const { id, view: before } = await supplementRequested();
    const { snapshotVersion: _v, forms: _f, ...v1 } = await stored(id);
    for (const old of [v1, { ...v1, snapshotVersion: 2, forms: ['01', '02'], statusCode: 'năm' }]) {
      await overwrite(id, old);
      const after = await view(id);
      expect(after.forms).toEqual(['01', '02', '06', '07']);
      expect({ ...after, forms: undefined }).toEqual({ ...before, forms: undefined });
      // The form the rebuilt state allows prints; the work list shows the dossier as it is.
      const form = await ctx.app.inject({ url: `/api/dossiers/${id}/forms/02.pdf`, headers: reception });
      expect(form.statusCode).toBe(200);
      const list = await ctx.app.inject({ url: `/api/dossiers?q=${before.code}`, headers: reception });
      expect(list.json().items).toEqual([expect.objectContaining({ id, status: 'awaiting_supplement' })]);
    }
    // The next action writes the current version again.
    tick();
    const back = await postAction(ctx.app, reception, id, 'supplement-received', {});
    expect(back.statusCode, back.body).toBe(200);
    expect(await stored(id)).toMatchObject({ snapshotVersion: 2, state: 'received', forms: ['01', '02'] });
  });

  it('npm run stats:rebuild writes every stale snapshot again', async () => {
    const { id } = await supplementRequested();
    const { snapshotVersion: _v, forms: _f, ...v1 } = await stored(id);
    await overwrite(id, v1);
    const report = await rebuildStats(ctx.database.db);
    expect(report.projectionsRepaired).toBeGreaterThanOrEqual(1);
    expect(await stored(id)).toMatchObject({ snapshotVersion: 2, forms: ['01', '02'] });
  });
});
