import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { listAudit } from '../audit/audit.service.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const due = async (query: string) => {
  const res = await ctx.app.inject({ url: `/api/calendar/due?${query}` });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/calendar/due', () => {
  it('adds working days as 8 working hours each, in Vietnam time', async () => {
    const { status, body } = await due('start=2025-07-07T09:00:00%2B07:00&amount=3&unit=working_days');
    expect(status).toBe(200);
    expect(body).toEqual({
      due: '2025-07-10T09:00:00+07:00',
      start: '2025-07-07T09:00:00+07:00',
      clockStart: '2025-07-07T09:00:00+07:00',
      amount: 3,
      unit: 'working_days',
      unitCode: null,
    });
  });

  it("accepts an unescaped '+' offset and a UTC start", async () => {
    expect((await due('start=2025-07-07T09:00:00+07:00&amount=1&unit=working_hours')).body.due).toBe(
      '2025-07-07T10:00:00+07:00',
    );
    expect((await due('start=2025-07-07T02:00:00Z&amount=3&unit=working_hours')).body.due).toBe(
      '2025-07-07T14:00:00+07:00',
    );
  });

  it('applies the 15:00 cut-off for same-day procedures', async () => {
    expect((await due('start=2025-07-08T14:59:00%2B07:00&amount=0&unit=same_day')).body.due).toBe(
      '2025-07-08T17:00:00+07:00',
    );
    expect((await due('start=2025-07-08T15:00:00%2B07:00&amount=0&unit=same_day')).body.due).toBe(
      '2025-07-09T17:00:00+07:00',
    );
    // Friday after the cut-off → Monday.
    expect((await due('start=2025-07-11T16:00:00%2B07:00&amount=0&unit=same_day')).body.due).toBe(
      '2025-07-14T17:00:00+07:00',
    );
  });

  it('uses the official 2025 schedule stored in the database (30/4–1/5 break, Saturday 26/4 worked)', async () => {
    expect((await due('start=2025-04-29T15:30:00%2B07:00&amount=0&unit=same_day')).body.due).toBe(
      '2025-05-05T17:00:00+07:00',
    );
    expect((await due('start=2025-04-26T08:00:00%2B07:00&amount=1&unit=working_hours')).body.due).toBe(
      '2025-04-26T09:00:00+07:00',
    );
  });

  it('moves calendar-day due dates off days off', async () => {
    expect((await due('start=2025-07-01T08:00:00%2B07:00&amount=5&unit=calendar_days')).body.due).toBe(
      '2025-07-07T08:00:00+07:00',
    );
  });

  it('follows the office hours of the unit asked for', async () => {
    const admin = await ctx.login('admin.30112');
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/calendar/office-hours/30112',
      headers: admin,
      payload: {
        officeHours: [
          { start: '07:30', end: '11:30' },
          { start: '13:00', end: '17:00' },
        ],
        sameDayCutoff: '15:30',
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ unitCode: '30112', isDefault: false, sameDayCutoff: '15:30' });
    expect(
      (await due('start=2025-07-08T15:10:00%2B07:00&amount=0&unit=same_day&unitCode=30112')).body.due,
    ).toBe('2025-07-08T17:00:00+07:00');
    expect(
      (await due('start=2025-07-08T07:00:00%2B07:00&amount=1&unit=working_hours&unitCode=30112')).body.due,
    ).toBe('2025-07-08T08:30:00+07:00');
    // Another commune keeps the default.
    expect(
      (await due('start=2025-07-08T07:00:00%2B07:00&amount=1&unit=working_hours&unitCode=01279')).body.due,
    ).toBe('2025-07-08T08:00:00+07:00');
    const forbidden = await ctx.app.inject({
      method: 'PUT',
      url: '/api/calendar/office-hours/30112',
      headers: await ctx.login('admin.30502'),
      payload: { officeHours: [{ start: '08:00', end: '12:00' }], sameDayCutoff: '15:00' },
    });
    expect(forbidden.statusCode).toBe(403);
    const overlapping = await ctx.app.inject({
      method: 'PUT',
      url: '/api/calendar/office-hours/30112',
      headers: admin,
      payload: {
        officeHours: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '16:00' },
        ],
        sameDayCutoff: '15:00',
      },
    });
    expect(overlapping.statusCode).toBe(400);
    expect((await ctx.app.inject({ url: '/api/calendar/office-hours/30112' })).json().sameDayCutoff).toBe(
      '15:30',
    );
  });

  it('answers 400 naming each bad field and 404 for an unknown unit', async () => {
    const bad = await due('start=yesterday&amount=-1&unit=weeks');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual([
      'querystring.amount',
      'querystring.start',
      'querystring.unit',
    ]);
    expect(bad.body.error.fields['querystring.start']).toContain('Thời điểm không hợp lệ');
    const english = await ctx.app.inject({
      url: '/api/calendar/due?start=2025-07-07T09:00:00Z&amount=-1&unit=working_days',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(english.json().error.message).toBe('The request is not valid. Please check the fields listed.');
    expect(english.json().error.fields['querystring.amount']).toMatch(/^Too small/);
    const fraction = await due('start=2025-07-07T09:00:00Z&amount=1.5&unit=calendar_days');
    expect(fraction.body.error.fields['querystring.amount']).toBe('Số ngày lịch phải là số nguyên');
    const unknown = await due('start=2025-07-07T09:00:00Z&amount=1&unit=working_days&unitCode=99999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('99999');
  });
});

describe('days off and the official schedule', () => {
  it('lists the days off of 2026 from the official Tết schedule and the Labour Code', async () => {
    const res = await ctx.app.inject({ url: '/api/calendar/days-off?year=2026' });
    const dates = res.json().items.map((d: { date: string }) => d.date);
    for (const d of [
      '2026-01-01',
      '2026-02-16',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-09-02',
      '2026-11-24',
    ]) {
      expect(dates).toContain(d);
    }
  });

  it('lets a province administrator add a day off for the province, audited, and no one else', async () => {
    const entry = {
      date: '2026-12-28',
      kind: 'day_off',
      holiday: 'other',
      note: 'Nghỉ địa phương',
      provinceCode: '04',
    };
    const anon = await ctx.app.inject({ method: 'POST', url: '/api/calendar/schedule', payload: entry });
    expect(anon.statusCode).toBe(401);
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/calendar/schedule',
      payload: entry,
      headers: await ctx.login('province.91'),
    });
    expect(other.statusCode).toBe(403);
    const national = await ctx.app.inject({
      method: 'POST',
      url: '/api/calendar/schedule',
      payload: { ...entry, provinceCode: null },
      headers: await ctx.login('province.04'),
    });
    expect(national.statusCode).toBe(403);

    const cookie = await ctx.login('province.04');
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/calendar/schedule',
      payload: entry,
      headers: cookie,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/calendar/schedule',
      payload: entry,
      headers: cookie,
    });
    expect(again.statusCode).toBe(409);

    // Cao Bằng communes now rest that Monday; An Giang's do not.
    const inCaoBang = await due('start=2026-12-25T16:00:00%2B07:00&amount=0&unit=same_day&unitCode=01279');
    expect(inCaoBang.body.due).toBe('2026-12-29T17:00:00+07:00');
    const inAnGiang = await due('start=2026-12-25T16:00:00%2B07:00&amount=0&unit=same_day&unitCode=30502');
    expect(inAnGiang.body.due).toBe('2026-12-28T17:00:00+07:00');

    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/calendar/schedule/${id}`,
      headers: cookie,
    });
    expect(removed.statusCode).toBe(204);
    expect(
      (await due('start=2026-12-25T16:00:00%2B07:00&amount=0&unit=same_day&unitCode=01279')).body.due,
    ).toBe('2026-12-28T17:00:00+07:00');
    const audit = await listAudit(ctx.database.db, 'holiday_schedule_entry', id);
    expect(audit.map((a) => [a.action, a.unit_code])).toEqual([
      ['holiday_schedule.add', '04'],
      ['holiday_schedule.remove', '04'],
    ]);
  });

  it('lists the official entries of a year', async () => {
    const res = await ctx.app.inject({ url: '/api/calendar/schedule?year=2025' });
    const items = res.json().items;
    expect(items).toHaveLength(15);
    expect(items.find((e: { date: string }) => e.date === '2025-04-26')).toMatchObject({
      kind: 'working_day',
      provinceCode: null,
    });
  });
});
