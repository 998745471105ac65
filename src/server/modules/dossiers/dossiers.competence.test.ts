import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICANT,
  BIRTH,
  BIRTH_DETAILS,
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { DEMO_SIGNING_PIN } from '../signing/demo-pki.ts';

// Received at Phường Nùng Trí Cao (01279) for Phường Tân Giang (01288), both of Cao Bằng: the citizen
// may file at any centre of the province, but only Tân Giang decides.
const RECEIVING = '01279';
const COMPETENT = '01288';
const clock = createClock('2026-12-02T08:00:00+07:00');
let ctx: TestContext;
const who: Record<string, Headers> = {};
const ids: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  for (const prefix of ['reception', 'specialist', 'head', 'leader']) {
    for (const unit of [RECEIVING, COMPETENT]) {
      const name = `${prefix}.${unit}`;
      who[name] = await ctx.login(name);
      ids[name] = (await ctx.app.inject({ url: '/api/auth/me', headers: who[name] })).json().user.id;
    }
  }
});
afterAll(() => ctx.close());

function as(name: string) {
  return who[name] as Headers;
}

async function receivedForCompetent() {
  const res = await postIntake(
    ctx.app,
    as(`reception.${RECEIVING}`),
    intakeBody({
      procedureCode: BIRTH,
      components: ['to_khai', 'giay_chung_sinh'],
      competentUnitCode: COMPETENT,
      applicant: { ...APPLICANT, citizenId: '004085000321', addressCommuneCode: COMPETENT },
    }),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
}

async function ok(name: string, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, as(name), id, action, body);
  expect(res.statusCode, `${name} ${action}: ${res.body}`).toBe(200);
  return res.json();
}

async function notCompetent(name: string, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, as(name), id, action, body);
  expect(res.statusCode, `${name} ${action}: ${res.body}`).toBe(403);
  expect(res.json().error.code).toBe('NOT_COMPETENT_UNIT');
  expect(res.json().error.message).toContain('Phường Tân Giang');
}

function indicators(unit: string) {
  return ctx.app.inject({
    url: `/api/stats/indicators?unit=${unit}&from=2026-12-01&to=2026-12-31`,
    headers: as(`leader.${unit}`),
  });
}

describe('one commune does not decide another’s dossiers', () => {
  it('the receiving commune receives and routes; only the competent commune processes, approves and signs', async () => {
    const id = await receivedForCompetent();
    // Routing goes to the competent commune's officers, never the receiving commune's own.
    const ownSpecialist = await postAction(ctx.app, as(`reception.${RECEIVING}`), id, 'assign', {
      assigneeId: ids[`specialist.${RECEIVING}`],
    });
    expect(ownSpecialist.statusCode).toBe(400);
    expect(ownSpecialist.json().error.fields['body.assigneeId']).toContain('có thẩm quyền');
    await ok(`reception.${RECEIVING}`, id, 'assign', { assigneeId: ids[`specialist.${COMPETENT}`] });
    // Once it is being processed, the receiving commune neither acts nor asks for papers.
    await notCompetent(`specialist.${RECEIVING}`, id, 'forward');
    await notCompetent(`reception.${RECEIVING}`, id, 'request-supplement', { reasons: ['Thiếu bản sao'] });
    await notCompetent(`reception.${RECEIVING}`, id, 'assign', {
      assigneeId: ids[`specialist.${COMPETENT}`],
    });
    await ok(`specialist.${COMPETENT}`, id, 'forward');
    await ok(`head.${COMPETENT}`, id, 'forward');
    await notCompetent(`leader.${RECEIVING}`, id, 'approve');
    // The receiving leader's view offers nothing to do; the competent leader's offers the approval.
    const seenThere = await ctx.app.inject({
      url: `/api/dossiers/${id}`,
      headers: as(`leader.${RECEIVING}`),
    });
    expect(seenThere.statusCode).toBe(200);
    expect(seenThere.json().allowedActions).toEqual([]);
    const seenHere = await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: as(`leader.${COMPETENT}`) });
    expect(seenHere.json().allowedActions.map((a: { action: string }) => a.action)).toContain('approve');
    const approved = await ok(`leader.${COMPETENT}`, id, 'approve');
    expect(approved.canSignResult).toBe(true);
    expect(
      (await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: as(`leader.${RECEIVING}`) })).json()
        .canSignResult,
    ).toBe(false);
    const sign = (name: string) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/dossiers/${id}/result/sign`,
        headers: as(name),
        payload: { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS },
      });
    expect((await sign(`leader.${RECEIVING}`)).statusCode).toBe(403);
    const signed = await sign(`leader.${COMPETENT}`);
    expect(signed.statusCode, signed.body).toBe(201);
    // The citizen collects the result where they filed it.
    const returned = await ok(`reception.${RECEIVING}`, id, 'return-result', {
      recipientName: APPLICANT.fullName,
      method: 'counter',
    });
    expect(returned.status).toBe('returned');
  });

  it('a role’s queue is the competent commune’s: a receiving officer of that role does not see it', async () => {
    const id = await receivedForCompetent();
    await ok(`reception.${RECEIVING}`, id, 'assign', { assigneeId: ids[`specialist.${COMPETENT}`] });
    // Forwarded to the department heads' step with no one named: a queue.
    await ok(`specialist.${COMPETENT}`, id, 'forward');
    const mine = async (name: string) =>
      (await ctx.app.inject({ url: '/api/dossiers?view=mine&pageSize=100', headers: as(name) }))
        .json()
        .items.map((i: { id: number }) => i.id);
    expect(await mine(`head.${COMPETENT}`)).toContain(id);
    expect(await mine(`head.${RECEIVING}`)).not.toContain(id);
  });

  it('the officers offered for routing are the competent commune’s, of the caller’s province only', async () => {
    const list = await ctx.app.inject({
      url: `/api/staff?unit=${COMPETENT}`,
      headers: as(`reception.${RECEIVING}`),
    });
    expect(list.statusCode, list.body).toBe(200);
    const names = list.json().items.map((i: { id: number }) => i.id);
    expect(names).toContain(ids[`specialist.${COMPETENT}`]);
    expect(names).not.toContain(ids[`specialist.${RECEIVING}`]);
    const otherProvince = await ctx.app.inject({
      url: '/api/staff?unit=30502',
      headers: as(`reception.${RECEIVING}`),
    });
    expect(otherProvince.statusCode).toBe(400);
    expect(otherProvince.json().error.fields['query.unit']).toContain('trong tỉnh của bạn');
  });

  it('counts the indicators at the competent commune, not at the receiving one', async () => {
    const before = {
      competent: (await indicators(COMPETENT)).json().received.total as number,
      receiving: (await indicators(RECEIVING)).json().received.total as number,
    };
    await receivedForCompetent();
    expect((await indicators(COMPETENT)).json().received.total).toBe(before.competent + 1);
    expect((await indicators(RECEIVING)).json().received.total).toBe(before.receiving);
  });
});
