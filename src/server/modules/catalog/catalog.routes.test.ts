import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock, HOUSEHOLD, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

const clock = createClock('2026-12-07T08:00:00+07:00'); // a Monday
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
});
afterAll(() => ctx.close());

describe('the procedure catalogue', () => {
  it('ships at least 25 published procedures and finds them without diacritics', async () => {
    const all = await ctx.app.inject({ url: '/api/procedures?pageSize=100' });
    expect(all.json().total).toBeGreaterThanOrEqual(25);
    const fields = new Set(all.json().items.map((p: { field: string }) => p.field));
    for (const f of [
      'civil_status',
      'certification',
      'residence',
      'business_household',
      'social_protection',
      'land',
      'environment',
    ]) {
      expect(fields).toContain(f);
    }
    const res = await ctx.app.inject({ url: '/api/procedures?q=dang%20ky%20khai%20sinh' });
    expect(res.json().items.map((p: { code: string }) => p.code)).toContain('1.001193');
    expect(res.json().items[0]).toMatchObject({
      code: expect.any(String),
      name: expect.stringContaining('khai sinh'),
    });
    const byCode = await ctx.app.inject({ url: '/api/procedures?q=1.001612' });
    expect(byCode.json().items.map((p: { code: string }) => p.code)).toEqual(['1.001612']);
    const civil = await ctx.app.inject({ url: '/api/procedures?field=civil_status&pageSize=100' });
    expect(civil.json().items.every((p: { field: string }) => p.field === 'civil_status')).toBe(true);
    const bad = await ctx.app.inject({ url: '/api/procedures?field=nope&pageSize=0' });
    expect(Object.keys(bad.json().error.fields).sort()).toEqual([
      'querystring.field',
      'querystring.pageSize',
    ]);
  });

  it('shows one procedure in full and answers 404 for an unknown code', async () => {
    const res = await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}` });
    expect(res.json()).toMatchObject({
      version: 1,
      procedure: { code: HOUSEHOLD, duration: { amount: 3, unit: 'working_days' }, steps: expect.any(Array) },
    });
    const unknown = await ctx.app.inject({ url: '/api/procedures/9.999999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('Không tìm thấy thủ tục hành chính 9.999999.');
  });

  it('publishes a new version for new dossiers while a received one keeps the version it came under', async () => {
    const reception = await ctx.login('reception.30502');
    const before = (await postIntake(ctx.app, reception, intakeBody())).json();
    const current = (await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}` })).json().procedure;
    // The national version is the ministry's: the system administrator publishes it.
    const admin = await ctx.login('sysadmin');
    const next = {
      ...current,
      duration: { amount: 2, unit: 'working_days' },
      durationNote: 'Rút ngắn theo quyết định của tỉnh',
    };
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: reception,
      payload: next,
    });
    expect(refused.statusCode).toBe(403);
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: admin,
      payload: { ...next, code: '1-001612', components: [] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields).toMatchObject({
      'body.code': 'Mã thủ tục không hợp lệ (dạng 1.004222)',
      'body.components': 'Cần ít nhất một thành phần hồ sơ',
    });
    const draft = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: admin,
      payload: next,
    });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toEqual({ code: HOUSEHOLD, version: 2, scope: 'VN', status: 'draft' });
    // A draft changes nothing for the counter until it is published.
    expect((await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}` })).json().version).toBe(1);
    const published = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/2/publish`,
      headers: admin,
    });
    expect(published.json()).toEqual({ code: HOUSEHOLD, version: 2, scope: 'VN', status: 'published' });
    const after = (await postIntake(ctx.app, reception, intakeBody())).json();
    expect(after.dueAt).toBe('2026-12-09T08:00:00+07:00');
    expect(before.dueAt).toBe('2026-12-10T08:00:00+07:00');
    const old = (await ctx.app.inject({ url: `/api/dossiers/${before.id}`, headers: reception })).json();
    expect(old.procedure.version).toBe(1);
    expect(
      (await ctx.app.inject({ url: `/api/dossiers/${after.id}`, headers: reception })).json().procedure
        .version,
    ).toBe(2);
    const versions = await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}/versions`, headers: admin });
    expect(
      versions.json().items.map((v: { version: number; status: string }) => [v.version, v.status]),
    ).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
  });
});
