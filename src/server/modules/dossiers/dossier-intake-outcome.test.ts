import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock, type Headers, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

const clock = createClock('2026-11-25T09:00:00+07:00'); // a Wednesday
let ctx: TestContext;
let reception: Headers;
let volunteer: Headers;

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  reception = await ctx.login('reception.30502');
  volunteer = await ctx.login('volunteer.30502');
});
afterAll(() => ctx.close());

async function count(headers: Headers) {
  const res = await ctx.app.inject({ url: '/api/dossiers?view=all&pageSize=1', headers });
  return res.json().total as number;
}

async function events(id: number) {
  const res = await ctx.app.inject({ url: `/api/dossiers/${id}/events`, headers: reception });
  return (res.json().items ?? res.json()) as { type: string; data: Record<string, unknown> }[];
}

describe('the counter’s verdict on an incomplete or unacceptable dossier, at intake', () => {
  it('an incomplete dossier is registered with its supplement request in one go, and form 02 prints', async () => {
    const res = await postIntake(
      ctx.app,
      reception,
      intakeBody({
        components: [],
        outcome: { action: 'request-supplement', reasons: ['Thiếu giấy đề nghị'] },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { id, statusCode, status } = res.json();
    expect({ statusCode, status }).toEqual({ statusCode: 5, status: 'awaiting_supplement' });
    const list = await events(id);
    expect(list.map((e) => e.type)).toEqual(['intake', 'request-supplement']);
    expect(list[1]?.data).toMatchObject({
      reasons: ['Thiếu giấy đề nghị'],
      missingComponents: ['giay_de_nghi'],
    });
    const form = await ctx.app.inject({ url: `/api/dossiers/${id}/forms/02.pdf`, headers: reception });
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toBe('application/pdf');
  });

  it('a refusal at the counter is status 3 with its reasons, and form 03 prints', async () => {
    const res = await postIntake(
      ctx.app,
      reception,
      intakeBody({ outcome: { action: 'refuse', reasons: ['Không thuộc thẩm quyền giải quyết của xã'] } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { id, statusCode } = res.json();
    expect(statusCode).toBe(3);
    expect((await events(id)).map((e) => e.type)).toEqual(['intake', 'refuse']);
    const form = await ctx.app.inject({ url: `/api/dossiers/${id}/forms/03.pdf`, headers: reception });
    expect(form.statusCode).toBe(200);
  });

  it('without a verdict, missing papers are still refused (422) and nothing is written', async () => {
    const before = await count(reception);
    const res = await postIntake(ctx.app, reception, intakeBody({ components: [] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('MISSING_COMPONENTS');
    expect(await count(reception)).toBe(before);
  });

  it('a verdict needs its reasons, in Vietnamese', async () => {
    const res = await postIntake(
      ctx.app,
      reception,
      intakeBody({ outcome: { action: 'refuse', reasons: [] } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['body.outcome.reasons']).toBe('Vui lòng nêu ít nhất một lý do');
  });

  it('a verdict the caller may not give undoes the whole intake: no dossier is left behind', async () => {
    const before = await count(volunteer);
    const res = await postIntake(
      ctx.app,
      volunteer,
      intakeBody({
        channel: 'online',
        assisted: { consent: true },
        outcome: { action: 'refuse', reasons: ['Không đủ điều kiện'] },
      }),
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ROLE_NOT_ALLOWED');
    expect(await count(volunteer)).toBe(before);
    expect(await count(reception)).toBeGreaterThan(0);
  });
});
