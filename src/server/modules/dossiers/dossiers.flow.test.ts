import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIso } from '../../../core/calendar/vn-time.ts';
import { createWorkCalendar } from '../../../core/calendar/work-calendar.ts';
import {
  APPLICANT,
  BIRTH,
  createClock,
  type Headers,
  intakeBody,
  LAND,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { createWebApp } from '../../web/web.routes.ts';

const clock = createClock('2026-11-23T08:00:00+07:00'); // a Monday
let ctx: TestContext;
let reception: Headers;
let specialist: Headers;
let head: Headers;
let leader: Headers;
let director: Headers;
let specialistId: number;

// A built web app of one page: /track/<code> sends it with the tracked dossier inside.
const webDir = mkdtempSync(path.join(tmpdir(), 'motcua-flow-web-'));
mkdirSync(path.join(webDir, 'assets'));
writeFileSync(
  path.join(webDir, 'index.html'),
  '<!doctype html><html><body><div id="root"></div></body></html>',
);

beforeAll(async () => {
  const web = createWebApp(webDir);
  web.ready = true;
  ctx = await createTestContext({
    now: clock.now,
    trackingLimit: { max: 20, wrongFactMax: 3, windowMs: 60_000 },
    web,
  });
  reception = await ctx.login('reception.30502');
  specialist = await ctx.login('specialist.30502');
  head = await ctx.login('head.30502');
  leader = await ctx.login('leader.30502');
  director = await ctx.login('director.30502');
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;
});
afterAll(async () => {
  await ctx.close();
  rmSync(webDir, { recursive: true, force: true });
});

async function intake(body = intakeBody()) {
  const res = await postIntake(ctx.app, reception, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string; dueAt: string; version: number; statusCode: number };
}

async function act(who: Headers, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, who, id, action, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('the dossier paths', () => {
  it('counter intake → steps → approve → result → returned, with the control slip and codes 2, 4, 9, 10', async () => {
    // Monday 23 November 2026; Tuesday 24 is Vietnamese Culture Day, a day off from 2026.
    clock.set('2026-11-23T08:00:00+07:00');
    const created = await intake();
    expect(created).toMatchObject({
      status: 'received',
      statusCode: 2,
      version: 1,
      dueAt: '2026-11-27T08:00:00+07:00',
    });
    expect(created.code).toMatch(/^30502-261123-\d{4}$/);

    clock.set('2026-11-23T09:00:00+07:00');
    let d = await act(reception, created.id, 'assign', { assigneeId: specialistId });
    // The specialist's 16 working hours from Monday 09:00 end on Thursday 09:00.
    expect(d).toMatchObject({
      statusCode: 4,
      step: { role: 'specialist', dueAt: '2026-11-26T09:00:00+07:00' },
    });
    clock.set('2026-11-26T09:00:00+07:00');
    d = await act(specialist, created.id, 'forward');
    clock.set('2026-11-26T14:00:00+07:00');
    d = await act(head, created.id, 'forward');
    clock.set('2026-11-26T16:00:00+07:00');
    d = await act(leader, created.id, 'approve');
    expect(d.statusCode).toBe(4);
    d = await act(reception, created.id, 'result-ready');
    expect(d.statusCode).toBe(9);
    clock.set('2026-11-27T07:30:00+07:00');
    d = await act(reception, created.id, 'return-result', {
      recipientName: 'Nguyễn Văn Đức',
      method: 'counter',
    });
    expect(d).toMatchObject({
      status: 'returned',
      statusCode: 10,
      version: 7,
      returnedAt: '2026-11-27T07:30:00+07:00',
    });
    expect(d.allowedActions).toEqual([]);
    expect(
      d.controlSlip.map((r: { action: string; verdict: string | null }) => [r.action, r.verdict]),
    ).toEqual([
      ['intake', null],
      ['assign', 'early'],
      ['forward', 'on_time'],
      ['forward', 'on_time'],
      ['result-ready', 'early'],
      ['return-result', 'on_time'],
    ]);
    // The events are the truth: seven of them, in order.
    const events = await ctx.app.inject({ url: `/api/dossiers/${created.id}/events`, headers: reception });
    expect(events.json().items.map((e: { type: string }) => e.type)).toEqual([
      'intake',
      'assign',
      'forward',
      'forward',
      'approve',
      'result-ready',
      'return-result',
    ]);
  });

  it('refuses at intake with reasons: status 3, nothing more allowed', async () => {
    const online = await postIntake(ctx.app, reception, intakeBody({ channel: 'online' }));
    expect(online.json()).toMatchObject({ status: 'submitted', statusCode: 1, dueAt: null });
    const d = await act(reception, online.json().id, 'refuse', { reasons: ['Giấy đề nghị không có chữ ký'] });
    expect(d).toMatchObject({ status: 'refused', statusCode: 3, allowedActions: [] });
    const again = await postAction(ctx.app, reception, online.json().id, 'receive');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      details: { state: 'refused', statusCode: 3, allowedActions: [] },
    });
  });

  it('moves the due date by exactly the working time a supplement request paused the clock', async () => {
    clock.set('2026-11-23T08:00:00+07:00');
    const created = await intake();
    await act(reception, created.id, 'assign', { assigneeId: specialistId });
    clock.set('2026-11-23T10:00:00+07:00');
    const paused = await act(specialist, created.id, 'request-supplement', {
      reasons: ['Thiếu bản sao hợp đồng thuê địa điểm kinh doanh'],
      applicantDeadline: '2026-12-10',
    });
    expect(paused).toMatchObject({ statusCode: 5, status: 'awaiting_supplement' });
    // Back on Friday 27 at 14:00, across Tuesday 24 November, Vietnamese Culture Day (a day off from 2026).
    clock.set('2026-11-27T14:00:00+07:00');
    const resumed = await act(reception, created.id, 'supplement-received');
    expect(resumed.statusCode).toBe(4);
    expect(resumed.pauses).toEqual([
      { start: '2026-11-23T10:00:00+07:00', end: '2026-11-27T14:00:00+07:00', reason: 'supplement' },
    ]);
    // Paused: Monday 10:00–17:00 5 h, Wednesday and Thursday 8 h each, Friday 07:00–14:00 5 h = 26 h.
    const calendar = createWorkCalendar();
    const pausedHours = calendar.workingHoursBetween(
      parseIso('2026-11-23T10:00:00+07:00'),
      parseIso('2026-11-27T14:00:00+07:00'),
    );
    expect(pausedHours).toBe(26);
    expect(calendar.workingHoursBetween(parseIso(created.dueAt), parseIso(resumed.dueAt))).toBe(pausedHours);
    expect(resumed.dueAt).toBe('2026-12-02T10:00:00+07:00');
  });

  it('transfers to another agency with a sub-deadline and receives it back', async () => {
    clock.set('2026-11-23T08:00:00+07:00');
    const created = await intake(intakeBody({ procedureCode: LAND, components: ['don_dang_ky'] }));
    await act(reception, created.id, 'assign', { assigneeId: specialistId });
    clock.set('2026-11-23T09:00:00+07:00');
    const out = await act(specialist, created.id, 'transfer', {
      agency: 'Chi nhánh Văn phòng đăng ký đất đai',
    });
    expect(out).toMatchObject({
      status: 'transferred',
      statusCode: 4,
      transfer: { subDueAt: '2026-12-01T09:00:00+07:00' },
    });
    clock.set('2026-11-30T10:00:00+07:00');
    const back = await act(specialist, created.id, 'receive-back', { note: 'Đã có trích đo địa chính' });
    expect(back.status).toBe('in_progress');
    expect(back.controlSlip.at(-1)).toMatchObject({
      from: { kind: 'agency', name: 'Chi nhánh Văn phòng đăng ký đất đai' },
      verdict: 'early',
    });
  });

  it('lists an overdue dossier, then takes one apology with a later date, never a second', async () => {
    clock.set('2026-11-23T08:00:00+07:00');
    const created = await intake();
    await act(reception, created.id, 'assign', { assigneeId: specialistId });
    clock.set('2026-11-27T09:00:00+07:00');
    const overdue = await ctx.app.inject({
      url: '/api/dossiers?view=overdue&pageSize=100',
      headers: director,
    });
    expect(overdue.json().items.map((i: { id: number }) => i.id)).toContain(created.id);
    const early = await postAction(ctx.app, leader, created.id, 'apologize', {
      reason: 'Cần xác minh thông tin đăng ký kinh doanh',
      newDueAt: '2026-11-26T17:00:00+07:00',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields).toHaveProperty('body.newDueAt');
    const sorry = await act(leader, created.id, 'apologize', {
      reason: 'Cần xác minh thông tin đăng ký kinh doanh',
      newDueAt: '2026-12-02T17:00:00+07:00',
    });
    expect(sorry).toMatchObject({
      dueAt: '2026-12-02T17:00:00+07:00',
      statutoryDueAt: created.dueAt,
      apologies: 1,
    });
    const second = await postAction(ctx.app, leader, created.id, 'apologize', {
      reason: 'Lần thứ hai',
      newDueAt: '2026-12-09T17:00:00+07:00',
    });
    expect(second.statusCode).toBe(409);
    const after = await ctx.app.inject({ url: '/api/dossiers?view=overdue&pageSize=100', headers: director });
    expect(after.json().items.map((i: { id: number }) => i.id)).not.toContain(created.id);
  });

  it('withdraws at the applicant’s request (7) and stops handling (8)', async () => {
    const a = await intake();
    expect(await act(reception, a.id, 'withdraw', { reason: 'Công dân xin rút hồ sơ' })).toMatchObject({
      statusCode: 7,
    });
    const b = await intake();
    await act(reception, b.id, 'assign', { assigneeId: specialistId });
    expect(await act(leader, b.id, 'stop', { reason: 'Hộ kinh doanh đã giải thể' })).toMatchObject({
      statusCode: 8,
    });
  });

  it('computes the same-day due date with the 15:00 cut-off', async () => {
    clock.set('2026-11-25T15:30:00+07:00');
    const late = await intake(
      intakeBody({ procedureCode: BIRTH, components: ['to_khai', 'giay_chung_sinh'] }),
    );
    expect(late.dueAt).toBe('2026-11-26T17:00:00+07:00');
    clock.set('2026-11-25T14:59:00+07:00');
    const early = await intake(
      intakeBody({ procedureCode: BIRTH, components: ['to_khai', 'giay_chung_sinh'] }),
    );
    expect(early.dueAt).toBe('2026-11-25T17:00:00+07:00');
  });
});

describe('bad input', () => {
  it('names an invalid citizen ID, an unknown procedure and missing components; writes nothing', async () => {
    const count = async () =>
      (await ctx.app.inject({ url: '/api/dossiers?pageSize=1', headers: director })).json().total as number;
    const before = await count();
    const badId = await postIntake(
      ctx.app,
      reception,
      intakeBody({ applicant: { ...APPLICANT, citizenId: '12345' } }),
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields['body.applicant.citizenId']).toBe(
      'Số định danh cá nhân phải gồm đúng 12 chữ số',
    );
    const wrongYear = await postIntake(
      ctx.app,
      reception,
      intakeBody({ applicant: { ...APPLICANT, dateOfBirth: '1990-01-01' } }),
    );
    expect(wrongYear.json().error.fields['body.applicant.citizenId']).toContain('năm sinh');
    const unknown = await postIntake(ctx.app, reception, intakeBody({ procedureCode: '9.999999' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields['body.procedureCode']).toContain('9.999999');
    const missing = await postIntake(ctx.app, reception, intakeBody({ components: [] }));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.code).toBe('MISSING_COMPONENTS');
    expect(missing.json().error.message).toContain('Giấy đề nghị');
    const english = await ctx.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...reception, 'accept-language': 'en' },
      payload: intakeBody({ components: [] }),
    });
    expect(english.json().error.message).toMatch(/^Required components are missing/);
    expect(await count()).toBe(before);
  });

  it('refuses an action body that does not fit the action, in Vietnamese', async () => {
    const created = await intake();
    const res = await postAction(ctx.app, reception, created.id, 'refuse', { reasons: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['body.reasons']).toBe('Vui lòng nêu ít nhất một lý do');
    const assignWrong = await postAction(ctx.app, reception, created.id, 'assign', { assigneeId: 999999 });
    expect(assignWrong.json().error.fields['body.assigneeId']).toContain('999999');
    // The first step is the specialist's: a department head cannot be named for it.
    const headId = (await ctx.app.inject({ url: '/api/auth/me', headers: head })).json().user.id;
    const wrongRole = await postAction(ctx.app, reception, created.id, 'assign', { assigneeId: headId });
    expect(wrongRole.statusCode).toBe(400);
    expect(wrongRole.json().error.fields['body.assigneeId']).toBe('Người nhận phải có vai trò specialist');
  });
});

describe('public tracking', () => {
  it('shows the status by code alone, and the initials, ID digits and dates only with the last 4 ID digits', async () => {
    const created = await intake();
    const bare = await ctx.app.inject({ url: `/api/public/dossiers/${created.code}` });
    expect(bare.statusCode).toBe(200);
    expect(bare.json()).toEqual({
      code: created.code,
      procedure: { code: expect.any(String), name: expect.any(String) },
      statusCode: 2,
      statusName: expect.any(String),
      detailed: false,
    });
    expect(bare.body).not.toContain('N. V. Đ.');
    expect(bare.body).not.toContain('*****');
    const res = await ctx.app.inject({ url: `/api/public/dossiers/${created.code}?last4=0123` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: created.code,
      detailed: true,
      statusCode: 2,
      dueAt: created.dueAt,
      applicantName: 'N. V. Đ.',
      citizenId: '*********123',
    });
    expect(res.json().timeline).toHaveLength(1);
    expect(res.json().overdue).toBe(false);
    clock.set('2026-12-31T08:00:00+07:00');
    expect(
      (await ctx.app.inject({ url: `/api/public/dossiers/${created.code}?last4=0123` })).json().overdue,
    ).toBe(true);
    expect(res.body).not.toContain('Nguyễn');
    expect(res.body).not.toContain('089085');
    expect(res.body).not.toContain('0912345678');
    expect((await ctx.app.inject({ url: '/api/public/dossiers/30502-261123-9999' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/api/public/dossiers/abc' })).statusCode).toBe(400);
    const badFact = await ctx.app.inject({ url: `/api/public/dossiers/${created.code}?last4=12a` });
    expect(badFact.statusCode).toBe(400);
    expect(badFact.json().error.fields['querystring.last4']).toBe(
      'Nhập đúng 4 chữ số cuối của số định danh cá nhân',
    );
  });

  it('shows the script-free page with the status only, and the details after the last 4 digits', async () => {
    const created = await intake();
    const bare = await ctx.app.inject({ url: `/lite/track/${created.code}`, remoteAddress: '10.7.7.1' });
    expect(bare.statusCode).toBe(200);
    expect(bare.body).toContain('4 số cuối của số định danh');
    expect(bare.body).not.toContain('N. V. Đ.');
    expect(bare.body).not.toContain('Quá trình giải quyết');
    const full = await ctx.app.inject({
      url: `/lite/track?code=${created.code}&last4=0123`,
      remoteAddress: '10.7.7.1',
    });
    expect(full.statusCode).toBe(302);
    const detailed = await ctx.app.inject({
      url: full.headers.location as string,
      remoteAddress: '10.7.7.1',
    });
    expect(detailed.body).toContain('N. V. Đ.');
    expect(detailed.body).toContain('Quá trình giải quyết');
    // A page or answer that names the citizen is never kept by a browser or a shared cache.
    expect(detailed.headers['cache-control']).toBe('no-store');
    const answer = await ctx.app.inject({
      url: `/api/public/dossiers/${created.code}?last4=0123`,
      remoteAddress: '10.7.7.1',
    });
    expect(answer.json().applicantName).toBe('N. V. Đ.');
    expect(answer.headers['cache-control']).toBe('no-store');
    // The app's page for a tracked dossier carries its status in its first paint: not kept either.
    const page = await ctx.app.inject({ url: `/track/${created.code}`, remoteAddress: '10.7.7.1' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(created.code);
    expect(page.headers['cache-control']).toBe('no-store');
    const wrong = await ctx.app.inject({
      url: `/lite/track/${created.code}?last4=9999`,
      remoteAddress: '10.7.7.1',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('không khớp');
  });

  it('shows a change the moment it is committed, though lookups are cached', async () => {
    clock.set('2026-11-23T08:00:00+07:00');
    const created = await intake();
    const track = async () =>
      (
        await ctx.app.inject({
          url: `/api/public/dossiers/${created.code}?last4=0123`,
          remoteAddress: '10.6.6.6',
        })
      ).json();
    expect((await track()).applicantName).toBe('N. V. Đ.');
    // Changed behind the service's back: the cached view is still served, so the cache does work …
    await ctx.database.db
      .updateTable('dossier')
      .set({ applicant_name: 'Trần Bình' })
      .where('id', '=', created.id)
      .execute();
    expect((await track()).applicantName).toBe('N. V. Đ.');
    // … and a change through the service shows at once.
    await act(reception, created.id, 'assign', { assigneeId: specialistId });
    const after = await track();
    expect(after.statusCode).toBe(4);
    expect(after.applicantName).toBe('T. B.');
    expect(after.timeline).toHaveLength(2);
    // A failed action changes nothing and the cached view stays right.
    const refused = await postAction(ctx.app, reception, created.id, 'return-result', {
      recipientName: 'Nguyễn Văn Đức',
      method: 'counter',
    });
    expect(refused.statusCode).toBe(409);
    expect((await track()).statusCode).toBe(4);
  });

  it('counts every lookup of an address, known codes too, and only that address', async () => {
    const created = await intake();
    const from = (remoteAddress: string, code: string) =>
      ctx.app.inject({ url: `/api/public/dossiers/${code}`, remoteAddress });
    // Known and unknown codes alike: walking the day's codes one by one is stopped after 20.
    for (let n = 1; n <= 20; n++) {
      const code = n % 2 ? created.code : `30502-261123-${String(9900 + n)}`;
      expect((await from('10.9.9.9', code)).statusCode).toBe(n % 2 ? 200 : 404);
    }
    const stopped = await from('10.9.9.9', created.code);
    expect(stopped.statusCode).toBe(429);
    expect(stopped.json().error.code).toBe('TOO_MANY_LOOKUPS');
    expect(stopped.json().error.message).toContain('tra cứu quá nhiều');
    expect((await from('10.8.8.8', created.code)).statusCode).toBe(200);
  });

  it('counts wrong last-4 digits and stops the address after a few', async () => {
    const created = await intake();
    const guess = (last4: string) =>
      ctx.app.inject({
        url: `/api/public/dossiers/${created.code}?last4=${last4}`,
        remoteAddress: '10.5.5.5',
      });
    for (const n of ['0000', '1111', '2222']) {
      const wrong = await guess(n);
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error.code).toBe('TRACKING_FACT_WRONG');
    }
    // Even the right digits are refused now: the guesses ran out.
    const stopped = await guess('0123');
    expect(stopped.statusCode).toBe(429);
    expect(stopped.json().error.code).toBe('TOO_MANY_WRONG_FACTS');
    // The status alone is still answered, within the lookup limit.
    expect(
      (
        await ctx.app.inject({ url: `/api/public/dossiers/${created.code}`, remoteAddress: '10.5.5.5' })
      ).json().detailed,
    ).toBe(false);
  });
});

describe('work lists', () => {
  it('searches by name without diacritics, by citizen ID, and pages', async () => {
    await intake(
      intakeBody({ applicant: { ...APPLICANT, fullName: 'Trần Thị Ánh Nguyệt', citizenId: '089185000777' } }),
    );
    const byName = await ctx.app.inject({ url: '/api/dossiers?q=anh%20nguyet', headers: reception });
    expect(byName.json().items.map((i: { applicantName: string }) => i.applicantName)).toContain(
      'Trần Thị Ánh Nguyệt',
    );
    const byId = await ctx.app.inject({ url: '/api/dossiers?q=089185000777', headers: reception });
    expect(byId.json().total).toBe(1);
    const page = await ctx.app.inject({
      url: '/api/dossiers?pageSize=2&page=2&sort=-submittedAt',
      headers: reception,
    });
    expect(page.json()).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.json().items).toHaveLength(2);
    const bad = await ctx.app.inject({ url: '/api/dossiers?view=nope&status=99', headers: reception });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['querystring.status', 'querystring.view']);
  });

  it('holds in each demo commune dossiers in every national status, and work for each list', async () => {
    // The demo was seeded on the real clock: the work lists are read on it too, not on this file's pinned one.
    const real = await createTestContext();
    try {
      for (const unit of ['30502', '30112']) {
        const director = await real.login(`director.${unit}`);
        const codes: number[] = [];
        for (let code = 1; code <= 10; code++) {
          const res = await real.app.inject({
            url: `/api/dossiers?status=${code}&pageSize=1`,
            headers: director,
          });
          if (res.json().total > 0) codes.push(code);
        }
        expect(codes).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        for (const view of ['overdue', 'waiting_applicant', 'unit']) {
          const res = await real.app.inject({
            url: `/api/dossiers?view=${view}&pageSize=1`,
            headers: director,
          });
          expect(res.json().total, `${unit} ${view}`).toBeGreaterThan(0);
        }
      }
    } finally {
      await real.close();
    }
  });
});
