import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock, HOUSEHOLD, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

const clock = createClock('2026-12-07T08:00:00+07:00'); // a Monday
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
});
afterAll(() => ctx.close());

const FEE = { name: 'Lệ phí đăng ký (tỉnh 91)', amountVnd: 15_000 };

describe('catalogue scope: national versions and province variants', () => {
  it('a province publishes a variant its communes use; another province keeps the national version', async () => {
    const national = (await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}` })).json();
    expect(national.scope).toBe('VN');
    const p91 = await ctx.login('province.91');
    const p82 = await ctx.login('province.82');
    const sysadmin = await ctx.login('sysadmin');
    const variant = { ...national.procedure, fees: [FEE], duration: { amount: 2, unit: 'working_days' } };

    // Province 91 may not touch the national version: no national draft, by name or by default.
    const asNational = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures?scope=VN',
      headers: p91,
      payload: variant,
    });
    expect(asNational.statusCode).toBe(403);
    expect(asNational.json().error).toMatchObject({
      code: 'CATALOGUE_SCOPE_FORBIDDEN',
      message: expect.stringContaining('Phiên bản toàn quốc của thủ tục do Bộ quản lý'),
    });
    // A variant may change fees, steps and duration only.
    const renamed = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: p91,
      payload: { ...variant, name: 'Tên khác' },
    });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().error).toMatchObject({ code: 'VARIANT_CHANGES_LOCKED' });
    expect(renamed.json().error.message).toContain('name');

    const draft = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: p91,
      payload: variant,
    });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({ code: HOUSEHOLD, scope: '91', status: 'draft' });
    const version = draft.json().version as number;

    // Province 82 can neither publish nor retire 91's variant.
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/${version}/publish`,
      headers: p82,
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('CATALOGUE_SCOPE_FORBIDDEN');
    expect(foreign.json().error.message).toContain('tỉnh mã 91');

    const published = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/${version}/publish`,
      headers: p91,
    });
    expect(published.json()).toEqual({ code: HOUSEHOLD, version, scope: '91', status: 'published' });

    // The portal: province 91's communes see the variant's fee, the nation and province 82 do not.
    const in91 = (await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}?province=91` })).json();
    expect(in91).toMatchObject({ version, scope: '91', procedure: { fees: [FEE] } });
    const in82 = (await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}?province=82` })).json();
    expect(in82).toMatchObject({ version: national.version, scope: 'VN' });
    expect(in82.procedure.fees).toEqual(national.procedure.fees);
    const list91 = (await ctx.app.inject({ url: `/api/procedures?q=${HOUSEHOLD}&province=91` })).json();
    expect(list91.items).toEqual([expect.objectContaining({ code: HOUSEHOLD, scope: '91', hasFees: true })]);
    const listVN = (await ctx.app.inject({ url: `/api/procedures?q=${HOUSEHOLD}` })).json();
    expect(listVN.items).toEqual([expect.objectContaining({ code: HOUSEHOLD, scope: 'VN' })]);

    // Intake: 30502 (province 91) is handled under the variant, 30112 (province 82) under the national one.
    const d91 = (await postIntake(ctx.app, await ctx.login('reception.30502'), intakeBody())).json();
    const d82 = (await postIntake(ctx.app, await ctx.login('reception.30112'), intakeBody())).json();
    const rows = await ctx.database.db
      .selectFrom('dossier as d')
      .innerJoin('procedure_version as p', 'p.id', 'd.procedure_version_id')
      .select(['d.id', 'd.fees', 'p.version', 'p.scope'])
      .where('d.id', 'in', [d91.id, d82.id])
      .orderBy('d.id')
      .execute();
    expect(rows.map((r) => [r.version, r.scope])).toEqual([
      [version, '91'],
      [national.version, 'VN'],
    ]);
    expect(JSON.stringify(rows[0]?.fees)).toContain('15000');
    expect(d91.dueAt).toBe('2026-12-09T08:00:00+07:00');

    // The ministry's system administrator publishes a national version; 82 follows it, 91 keeps its variant.
    const nextNational = { ...national.procedure, durationNote: 'Theo quyết định của Bộ' };
    const natDraft = await ctx.app.inject({
      method: 'POST',
      url: '/api/procedures',
      headers: sysadmin,
      payload: nextNational,
    });
    expect(natDraft.json()).toMatchObject({ scope: 'VN', status: 'draft' });
    const natVersion = natDraft.json().version as number;
    const natPublished = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/${natVersion}/publish`,
      headers: sysadmin,
    });
    expect(natPublished.json()).toMatchObject({ scope: 'VN', status: 'published' });
    expect((await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}?province=82` })).json().version).toBe(
      natVersion,
    );
    expect((await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}?province=91` })).json().version).toBe(
      version,
    );

    // 82 cannot retire 91's variant; 91 can, and its communes fall back to the national version.
    const retireForeign = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/${version}/retire`,
      headers: p82,
    });
    expect(retireForeign.statusCode).toBe(403);
    const retired = await ctx.app.inject({
      method: 'POST',
      url: `/api/procedures/${HOUSEHOLD}/versions/${version}/retire`,
      headers: p91,
    });
    expect(retired.json()).toMatchObject({ scope: '91', status: 'retired' });
    expect((await ctx.app.inject({ url: `/api/procedures/${HOUSEHOLD}?province=91` })).json()).toMatchObject({
      version: natVersion,
      scope: 'VN',
    });
  });
});
