import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canReadDossier } from '../../../core/dossiers/dossier-access.ts';
import type { DossierAction } from '../../../core/dossiers/dossier-actions.ts';
import type { StaffPrincipal, StaffRole } from '../../../core/identity/roles.ts';
import { DEMO_PASSWORD } from '../../db/seed/demo-data.ts';
import {
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { scopeOf } from './dossiers.service.ts';

const clock = createClock('2026-12-02T08:00:00+07:00');
let ctx: TestContext;
const who: Record<string, Headers> = {};
let specialistId = 0;

/** Each action, the state it is tried in, and the roles that may take it there (the specification). */
const MATRIX: { action: DossierAction; from: string; roles: StaffRole[]; body?: () => object }[] = [
  { action: 'receive', from: 'submitted', roles: ['reception_officer', 'centre_director'] },
  {
    action: 'refuse',
    from: 'submitted',
    roles: ['reception_officer', 'centre_director'],
    body: () => ({ reasons: ['Thiếu giấy tờ'] }),
  },
  {
    action: 'assign',
    from: 'received',
    roles: ['reception_officer', 'department_head', 'commune_leader', 'centre_director'],
    body: () => ({ assigneeId: specialistId }),
  },
  {
    action: 'withdraw',
    from: 'received',
    roles: ['reception_officer', 'centre_director'],
    body: () => ({ reason: 'Công dân xin rút' }),
  },
  {
    action: 'request-supplement',
    from: 'step0',
    roles: ['reception_officer', 'specialist', 'department_head', 'centre_director'],
    body: () => ({ reasons: ['Thiếu bản sao'] }),
  },
  { action: 'forward', from: 'step0', roles: ['specialist'] },
  {
    action: 'request-payment',
    from: 'step0',
    roles: ['reception_officer', 'specialist'],
    body: () => ({ amountVnd: 100000, description: 'Lệ phí đăng ký' }),
  },
  {
    action: 'transfer',
    from: 'step0',
    roles: ['specialist', 'department_head'],
    body: () => ({ agency: 'Cơ quan thuế' }),
  },
  {
    action: 'stop',
    from: 'step0',
    roles: ['commune_leader', 'centre_director'],
    body: () => ({ reason: 'Không đủ điều kiện' }),
  },
  {
    action: 'apologize',
    from: 'step0',
    roles: ['commune_leader', 'centre_director'],
    body: () => ({ reason: 'Cần xác minh', newDueAt: '2026-12-20T17:00:00+07:00' }),
  },
  {
    action: 'return-step',
    from: 'step1',
    roles: ['department_head'],
    body: () => ({ reason: 'Cần thẩm định lại' }),
  },
  { action: 'approve', from: 'step2', roles: ['commune_leader'] },
  {
    action: 'supplement-received',
    from: 'awaiting_supplement',
    roles: ['reception_officer', 'specialist', 'centre_director'],
  },
  { action: 'payment-received', from: 'awaiting_payment', roles: ['reception_officer', 'specialist'] },
  { action: 'receive-back', from: 'transferred', roles: ['specialist', 'department_head'] },
  { action: 'result-ready', from: 'approved', roles: ['reception_officer', 'specialist', 'centre_director'] },
  {
    action: 'return-result',
    from: 'result_ready',
    roles: ['reception_officer', 'centre_director'],
    body: () => ({ recipientName: 'Nguyễn Văn Đức', method: 'counter' }),
  },
];

const LOCAL: Record<string, StaffRole> = {
  'reception.30502': 'reception_officer',
  'specialist.30502': 'specialist',
  'head.30502': 'department_head',
  'leader.30502': 'commune_leader',
  'director.30502': 'centre_director',
};
/** Accounts that may read the dossier but never act on it → 403. */
const READERS = ['province.91', 'inspector.91', 'ministry', 'sysadmin'];
/** Accounts for which the dossier does not exist → 404 (no existence leak). */
const STRANGERS = [
  'admin.30502',
  'volunteer.30502',
  'reception.neighbour',
  'reception.30112',
  'director.30112',
  'province.82',
];

async function step(headers: Headers, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, headers, id, action, body);
  if (res.statusCode !== 200) throw new Error(`${action}: ${res.body}`);
}

/** A fresh dossier of 30502 in the named state (business household: specialist → head → leader). */
async function prepare(from: string): Promise<number> {
  const r = who['reception.30502'] as Headers;
  const channel = from === 'submitted' ? 'online' : 'counter';
  const res = await postIntake(ctx.app, r, intakeBody({ channel }));
  const id = res.json().id as number;
  if (from === 'submitted' || from === 'received') return id;
  await step(r, id, 'assign', { assigneeId: specialistId });
  const s = who['specialist.30502'] as Headers;
  if (from === 'step0') return id;
  const detour: Record<string, [string, object]> = {
    awaiting_supplement: ['request-supplement', { reasons: ['Thiếu'] }],
    awaiting_payment: ['request-payment', { amountVnd: 1000, description: 'Lệ phí' }],
    transferred: ['transfer', { agency: 'Cơ quan thuế' }],
  };
  const side = detour[from];
  if (side) {
    await step(s, id, side[0], side[1]);
    return id;
  }
  await step(s, id, 'forward');
  if (from === 'step1') return id;
  await step(who['head.30502'] as Headers, id, 'forward');
  if (from === 'step2') return id;
  await step(who['leader.30502'] as Headers, id, 'approve');
  if (from === 'approved') return id;
  await step(r, id, 'result-ready');
  return id;
}

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now, loginRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  // An officer of another commune of the same province (An Giang), to prove a neighbour sees nothing.
  const neighbour = await ctx.database.db
    .selectFrom('admin_unit')
    .select('code')
    .where('province_code', '=', '91')
    .where('level', '=', 'commune')
    .where('valid_to', 'is', null)
    .where('code', '!=', '30502')
    .executeTakeFirstOrThrow();
  await ctx.database.db
    .insertInto('staff_account')
    .values({
      username: 'reception.neighbour',
      password_hash: await hash(DEMO_PASSWORD),
      full_name: 'Tiếp nhận xã lân cận',
      role: 'reception_officer',
      unit_code: neighbour.code,
    })
    .execute();
  for (const name of [...Object.keys(LOCAL), ...READERS, ...STRANGERS]) who[name] = await ctx.login(name);
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: who['specialist.30502'] })).json().user
    .id;
});
afterAll(() => ctx.close());

describe('who may take which action on which dossier', () => {
  for (const row of MATRIX) {
    it(`${row.action} (from ${row.from}): ${row.roles.join(', ')}; readers 403; other units 404`, async () => {
      const body = row.body?.() ?? {};
      const shared = await prepare(row.from);
      const version = async () =>
        (
          await ctx.app.inject({ url: `/api/dossiers/${shared}/events`, headers: who['director.30502'] })
        ).json().items.length as number;
      const before = await version();
      for (const [name, role] of Object.entries(LOCAL)) {
        if (row.roles.includes(role)) {
          const fresh = await prepare(row.from);
          const res = await postAction(ctx.app, who[name] as Headers, fresh, row.action, body);
          expect(res.statusCode, `${name} ${row.action}: ${res.body}`).toBe(200);
        } else {
          const res = await postAction(ctx.app, who[name] as Headers, shared, row.action, body);
          expect(res.statusCode, `${name} ${row.action}: ${res.body}`).toBe(403);
          expect(res.json().error.code).toBe('ROLE_NOT_ALLOWED');
        }
      }
      for (const name of READERS) {
        const res = await postAction(ctx.app, who[name] as Headers, shared, row.action, body);
        expect(res.statusCode, `${name} ${row.action}`).toBe(403);
      }
      for (const name of STRANGERS) {
        const res = await postAction(ctx.app, who[name] as Headers, shared, row.action, body);
        expect(res.statusCode, `${name} ${row.action}`).toBe(404);
        expect(res.json().error.code).toBe('DOSSIER_NOT_FOUND');
      }
      // None of the refused attempts wrote anything.
      expect(await version()).toBe(before);
    });
  }

  it('lets readers and the commune read the dossier, and hides it from other units', async () => {
    const id = await prepare('received');
    for (const name of [...Object.keys(LOCAL), ...READERS]) {
      expect(
        (await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: who[name] })).statusCode,
        name,
      ).toBe(200);
    }
    for (const name of STRANGERS) {
      expect(
        (await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: who[name] })).statusCode,
        name,
      ).toBe(404);
    }
    const list = await ctx.app.inject({ url: '/api/dossiers?pageSize=100', headers: who['reception.30112'] });
    expect(
      list.json().items.every((i: { receivingUnitCode: string }) => i.receivingUnitCode === '30112'),
    ).toBe(true);
  });

  it('lets only counter roles register a dossier, a volunteer only online, and nobody from another province', async () => {
    expect((await postIntake(ctx.app, who['specialist.30502'] as Headers, intakeBody())).statusCode).toBe(
      403,
    );
    expect((await postIntake(ctx.app, who['province.91'] as Headers, intakeBody())).statusCode).toBe(403);
    const volunteerCounter = await postIntake(ctx.app, who['volunteer.30502'] as Headers, intakeBody());
    expect(volunteerCounter.statusCode).toBe(400);
    expect(volunteerCounter.json().error.fields['body.channel']).toContain('trực tuyến');
    const noConsent = await postIntake(
      ctx.app,
      who['volunteer.30502'] as Headers,
      intakeBody({ channel: 'online' }),
    );
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().error.fields['body.assisted']).toContain('đồng ý');
    const assisted = await postIntake(
      ctx.app,
      who['volunteer.30502'] as Headers,
      intakeBody({
        channel: 'online',
        assisted: { consent: true, note: 'Công dân không dùng điện thoại thông minh' },
      }),
    );
    expect(assisted.statusCode).toBe(201);
    // The dossier shows who helped, and that the citizen agreed.
    const helped = await ctx.app.inject({
      url: `/api/dossiers/${assisted.json().id}`,
      headers: who['reception.30502'],
    });
    expect(helped.json().assisted).toMatchObject({
      role: 'support_volunteer',
      consent: true,
      unitCode: '30502',
      note: 'Công dân không dùng điện thoại thông minh',
    });
    expect(helped.json().assisted.byName).toBeTruthy();
    const counterAssisted = await postIntake(
      ctx.app,
      who['reception.30502'] as Headers,
      intakeBody({ assisted: { consent: true } }),
    );
    expect(counterAssisted.json().error.fields['body.channel']).toContain('online');
    // The volunteer sees what they filed, nothing else.
    const mine = await ctx.app.inject({ url: '/api/dossiers?pageSize=100', headers: who['volunteer.30502'] });
    expect(mine.json().items.map((i: { id: number }) => i.id)).toEqual([assisted.json().id]);
    const foreign = await postIntake(
      ctx.app,
      who['reception.30502'] as Headers,
      intakeBody({ competentUnitCode: '30112' }),
    );
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields['body.competentUnitCode']).toContain('cùng tỉnh');
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/dossiers', payload: intakeBody() })).statusCode,
    ).toBe(401);
  });

  it('lists for every account exactly the dossiers the read rule lets it open', async () => {
    const rows = await ctx.database.db.selectFrom('dossier').selectAll().execute();
    for (const name of [
      ...Object.keys(LOCAL),
      ...READERS,
      ...STRANGERS.filter((n) => n !== 'reception.neighbour'),
    ]) {
      const headers = who[name] as Headers;
      const me = (await ctx.app.inject({ url: '/api/auth/me', headers })).json().user as StaffPrincipal;
      const listed: number[] = [];
      for (let page = 1; ; page++) {
        const res = await ctx.app.inject({ url: `/api/dossiers?pageSize=100&page=${page}`, headers });
        expect(res.statusCode, name).toBe(200);
        listed.push(...res.json().items.map((i: { id: number }) => i.id));
        if (listed.length >= res.json().total) break;
      }
      const readable = rows.filter((r) => canReadDossier(me, scopeOf(r))).map((r) => r.id);
      expect(
        listed.sort((a, b) => a - b),
        name,
      ).toEqual(readable.sort((a, b) => a - b));
    }
  });
});
