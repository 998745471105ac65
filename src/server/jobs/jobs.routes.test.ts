import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_NOW, type TestContext } from '../test-support/test-app.ts';

let ctx: TestContext;
let admin: Record<string, string>;
const DAY = 86_400_000;
// A fixed clock: the recurring slots and the purge's cut-offs are computed from it.
const NOW = new Date(TEST_NOW);

beforeAll(async () => {
  ctx = await createTestContext({ now: () => NOW });
  admin = await ctx.login('sysadmin');
});
afterAll(async () => {
  await ctx.close();
});

const insertJob = (values: { kind: string; state: 'pending' | 'done' | 'dead'; finishedAt?: Date | null }) =>
  ctx.database.db
    .insertInto('job')
    .values({
      kind: values.kind,
      payload: JSON.stringify({ phone: '0912345678' }),
      state: values.state,
      run_at: NOW,
      attempts: values.state === 'dead' ? 8 : 0,
      max_attempts: 8,
      last_error: values.state === 'dead' ? 'ZNS answered -124: quota exhausted' : null,
      created_at: NOW,
      finished_at: values.state === 'pending' ? null : (values.finishedAt ?? NOW),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.id));

describe('the scheduled work on the job runner', () => {
  it('runs the hourly reports, the hourly reminders and the daily purge as jobs, once per slot', async () => {
    await ctx.database.db
      .insertInto('idempotency_key')
      .values([
        {
          scope: 'staff:1',
          key: 'old-key-0001',
          route: 'POST /api/dossiers',
          request_hash: 'x',
          created_at: new Date(NOW.getTime() - 91 * DAY),
        },
        {
          scope: 'staff:1',
          key: 'new-key-0001',
          route: 'POST /api/dossiers',
          request_hash: 'x',
          created_at: new Date(NOW.getTime() - 89 * DAY),
        },
      ] as never)
      .execute();
    const oldDone = await insertJob({
      kind: 'test.old',
      state: 'done',
      finishedAt: new Date(NOW.getTime() - 31 * DAY),
    });
    const oldDead = await insertJob({
      kind: 'test.old',
      state: 'dead',
      finishedAt: new Date(NOW.getTime() - 31 * DAY),
    });

    expect(await ctx.app.jobs.runOnce()).toBe(3);
    // The reminders' hourly run (after 08:00 in Vietnam) enqueued the day's reminders once.
    expect(await ctx.app.jobs.runOnce()).toBe(1);
    expect(await ctx.app.jobs.runOnce()).toBe(0);
    const ran = await ctx.database.db
      .selectFrom('job')
      .select(['kind', 'state', 'run_at'])
      .where('kind', 'in', ['reports.run-due', 'kernel.purge', 'notifications.reminders'])
      .orderBy('kind')
      .execute();
    const hour = new Date(Math.floor(NOW.getTime() / 3_600_000) * 3_600_000);
    const day = new Date(Math.floor(NOW.getTime() / DAY) * DAY);
    expect(ran).toEqual([
      { kind: 'kernel.purge', state: 'done', run_at: day },
      { kind: 'notifications.reminders', state: 'done', run_at: hour },
      { kind: 'reports.run-due', state: 'done', run_at: hour },
    ]);
    const keys = await ctx.database.db
      .selectFrom('idempotency_key')
      .select('key')
      .where('key', 'like', '%-key-0001')
      .execute();
    expect(keys.map((k) => k.key)).toEqual(['new-key-0001']);
    const left = await ctx.database.db
      .selectFrom('job')
      .select('id')
      .where('id', 'in', [oldDone, oldDead])
      .execute();
    expect(left.map((r) => Number(r.id))).toEqual([oldDead]);
  });
});

describe('the dead-letter list (system administrator)', () => {
  it('lists the jobs with counts per state, filters by state and kind, pages, and never shows a payload', async () => {
    const dead = await insertJob({ kind: 'notify.zns', state: 'dead' });
    await insertJob({ kind: 'notify.sms', state: 'pending' });
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/admin/jobs?state=dead&kind=notify',
      headers: admin,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.items).toEqual([
      expect.objectContaining({
        id: dead,
        kind: 'notify.zns',
        state: 'dead',
        attempts: 8,
        lastError: 'ZNS answered -124: quota exhausted',
      }),
    ]);
    expect(body.total).toBe(1);
    expect(body.counts.dead).toBe(2);
    expect(body.counts.pending).toBe(1);
    expect(body.kinds).toEqual(expect.arrayContaining(['notify.sms', 'notify.zns', 'reports.run-due']));
    expect(res.body).not.toContain('0912345678');

    const paged = await ctx.app.inject({
      method: 'GET',
      url: '/api/admin/jobs?pageSize=1&page=2',
      headers: admin,
    });
    expect(paged.json().items).toHaveLength(1);
    expect(paged.json().total).toBe(body.counts.pending + body.counts.done + body.counts.dead);

    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/api/admin/jobs?state=lost&pageSize=500',
      headers: admin,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({
      'querystring.state': 'Trạng thái phải là pending, done hoặc dead',
      'querystring.pageSize': 'Số dòng mỗi trang tối đa 100',
    });
  });

  it('retries a dead job (its tries given back, audited) and says why it will not retry another', async () => {
    const dead = await insertJob({ kind: 'notify.zns', state: 'dead' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${dead}/retry`,
      headers: admin,
    });
    expect(res.statusCode).toBe(204);
    const row = await ctx.database.db
      .selectFrom('job')
      .selectAll()
      .where('id', '=', dead)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'pending', attempts: 0, finished_at: null });
    const audit = await sql<{ action: string; details: unknown }>`
      select action, details from audit_log where entity = 'job' and entity_id = ${String(dead)}`.execute(
      ctx.database.db,
    );
    expect(audit.rows).toEqual([{ action: 'job.retry', details: { kind: 'notify.zns', attemptsBefore: 8 } }]);

    const again = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${dead}/retry`,
      headers: admin,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(
      `Công việc số ${dead} không nằm trong danh sách lỗi (đang ở trạng thái pending); chỉ công việc đã thử hết số lần mới chạy lại được.`,
    );
    const missing = await ctx.app.inject({
      method: 'POST',
      url: '/api/admin/jobs/999999/retry',
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('is the system administrator’s only: every other role, a commune’s, a province’s or the ministry’s, gets 403', async () => {
    const others = ['reception.01279', 'director.01279', 'province.91', 'inspector.91', 'ministry'];
    for (const username of others) {
      const headers = await ctx.login(username);
      for (const [method, url] of [
        ['GET', '/api/admin/jobs'],
        ['POST', '/api/admin/jobs/1/retry'],
      ] as const) {
        const res = await ctx.app.inject({ method, url, headers });
        expect(res.statusCode, `${username} ${method} ${url}`).toBe(403);
        expect(res.body).not.toContain('reports.run-due');
      }
    }
    for (const [method, url] of [
      ['GET', '/api/admin/jobs'],
      ['POST', '/api/admin/jobs/1/retry'],
    ] as const) {
      expect((await ctx.app.inject({ method, url })).statusCode).toBe(401);
    }
  });
});
