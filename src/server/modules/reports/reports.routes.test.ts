import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHistoryPlan, generateHistory } from '../../db/seed/demo-history.ts';
import { createClock, type Headers } from '../../test-support/dossier-helpers.ts';
import { pdfToText } from '../../test-support/pdf-tools.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { TEST_SEED_NOW } from '../../test-support/test-database.ts';
import { createStatsService } from '../stats/stats.service.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { createUnitsService } from '../units/units.service.ts';
import { createReportsService } from './reports.service.ts';

// Thới Sơn's July 2025 from the demo history: 660 dossiers received from 1 to 18 July, 551 online.
const clock = createClock('2025-08-05T09:00:00+07:00');
const PERIOD = 'unit=30502&from=2025-07-01&to=2025-07-18';
let ctx: TestContext;
let leader: Headers;
let indicators: {
  received: { total: number; online: number; counter: number; postal: number };
  resolved: { total: number; early: number; onTime: number; late: number };
  inProgress: { total: number; onTime: number; overdue: number };
};

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now });
  const plan = demoHistoryPlan(TEST_SEED_NOW);
  await generateHistory(
    ctx.database.db,
    { ...plan, to: '2025-07-31', communes: plan.communes.filter((c) => c.code === '30502') },
    { files: ctx.database.files },
  );
  leader = await ctx.login('leader.30502');
  indicators = (await ctx.app.inject({ url: `/api/stats/indicators?${PERIOD}`, headers: leader })).json();
}, 300_000);
afterAll(() => ctx.close());

function create(body: object, key: string = randomUUID(), headers: Headers = leader) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { ...headers, 'idempotency-key': key },
    payload: body,
  });
}

describe('the periodic report', () => {
  it('as XLSX: the handling table carries the same figures as the indicators', async () => {
    expect(indicators.received).toMatchObject({ total: 660, online: 551 });
    const res = await create({ unit: '30502', from: '2025-07-01', to: '2025-07-18', format: 'xlsx' });
    expect(res.statusCode, res.body).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({ unitCode: '30502', format: 'xlsx', frequency: 'custom', scheduled: false });
    const file = await ctx.app.inject({ url: meta.url, headers: leader });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('bao-cao-tthc-30502-2025-07-01-2025-07-18.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const summary = book.worksheets[0] as ExcelJS.Worksheet;
    expect(summary.getRow(1).getCell(1).value).toBe('Tình hình, kết quả giải quyết thủ tục hành chính');
    const values = (summary.getRow(5).values as unknown[]).slice(1);
    const { received, resolved, inProgress } = indicators;
    // Nothing was carried over from before 1 July 2025: the two-level government began that day.
    expect(values).toEqual([
      'Phường Thới Sơn',
      received.total,
      0,
      received.online,
      received.counter,
      received.postal,
      resolved.total,
      resolved.early,
      resolved.onTime,
      resolved.late,
      inProgress.total,
      inProgress.onTime,
      inProgress.overdue,
    ]);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Theo lĩnh vực',
      'Chỉ số 766',
      'Theo thủ tục',
    ]);
  });

  it('as PDF, in Vietnamese letters, with the unit, the period and the total', async () => {
    const res = await create({ unit: '30502', from: '2025-07-01', to: '2025-07-18', format: 'pdf' });
    expect(res.statusCode, res.body).toBe(201);
    const file = await ctx.app.inject({ url: res.json().url, headers: leader });
    expect(file.headers['content-type']).toBe('application/pdf');
    const text = await pdfToText(file.rawPayload);
    expect(text).toContain('Báo cáo tình hình, kết quả giải quyết thủ tục hành chính'.toUpperCase());
    expect(text).toContain('Phường Thới Sơn');
    expect(text).toContain('Từ 01/07/2025 đến 18/07/2025');
    expect(text).toContain('660');
  });

  it('every table as CSV, the fields adding up to the total', async () => {
    const res = await ctx.app.inject({
      url: `/api/reports/export.csv?${PERIOD}&table=fields`,
      headers: leader,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'Lĩnh vực,Tổng số hồ sơ,Kỳ trước chuyển sang,Tiếp nhận trực tuyến,Tiếp nhận trực tiếp,Tiếp nhận qua bưu chính,Đã giải quyết,Trước hạn,Đúng hạn,Quá hạn,Đang giải quyết,Trong hạn,Quá hạn (đang giải quyết)',
    );
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    const total = lines.at(-1)?.split(',') ?? [];
    expect(total[0]).toBe('Tổng cộng');
    expect(rows.reduce((s, r) => s + Number(r[1]), 0)).toBe(660);
    expect(Number(total[1])).toBe(660);
    for (const table of ['summary', 'score', 'procedures']) {
      const csv = await ctx.app.inject({
        url: `/api/reports/export.csv?${PERIOD}&table=${table}`,
        headers: leader,
      });
      expect(csv.statusCode, table).toBe(200);
    }
    const units = await ctx.app.inject({
      url: `/api/reports/export.csv?${PERIOD}&table=units`,
      headers: leader,
    });
    expect(units.statusCode).toBe(400);
    expect(units.body).toContain('chỉ có ở báo cáo của tỉnh hoặc toàn quốc');
  });

  it('a retried request keeps one file, and bad input is named', async () => {
    const key = randomUUID();
    const body = { unit: '30502', from: '2025-07-01', to: '2025-07-31', format: 'xlsx' };
    const first = await create(body, key);
    const again = await create(body, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const list = (await ctx.app.inject({ url: '/api/reports?unit=30502', headers: leader })).json();
    expect(list.items.filter((f: { id: number }) => f.id === first.json().id)).toHaveLength(1);
    const format = await create({ unit: '30502', from: '2025-07-01', to: '2025-07-31', format: 'docx' });
    expect(format.statusCode).toBe(400);
    expect(format.json().error.fields).toEqual({ 'body.format': 'Định dạng phải là xlsx hoặc pdf' });
    const period = await create({ unit: '30502', from: '2025-07-31', to: '2025-07-01', format: 'pdf' });
    expect(period.statusCode).toBe(400);
    expect(period.json().error.fields).toEqual({ 'body.to': 'Ngày kết thúc phải từ ngày bắt đầu trở đi' });
  });

  it('a schedule makes last month once, in both formats, and keeps them listed', async () => {
    const add = await ctx.app.inject({
      method: 'POST',
      url: '/api/reports/schedules',
      headers: leader,
      payload: { unit: '30502', frequency: 'monthly' },
    });
    expect(add.statusCode, add.body).toBe(201);
    const db = ctx.database.db;
    const units = createUnitsService(createUnitsRepository(db));
    const stats = createStatsService({ db, units, now: clock.now });
    const reports = createReportsService({ db, stats, files: ctx.database.files, now: clock.now });
    expect(await reports.runDue()).toBe(2);
    expect(await reports.runDue()).toBe(0);
    const list = (await ctx.app.inject({ url: '/api/reports?unit=30502', headers: leader })).json();
    const scheduled = list.items.filter((f: { scheduled: boolean }) => f.scheduled);
    expect(
      scheduled.map((f: { from: string; to: string; format: string }) => [f.from, f.to, f.format]).sort(),
    ).toEqual([
      ['2025-07-01', '2025-07-31', 'pdf'],
      ['2025-07-01', '2025-07-31', 'xlsx'],
    ]);
  });

  it("a province's report lists its communes, Thới Sơn among them with its 660", async () => {
    const inspector = await ctx.login('inspector.91');
    const res = await create(
      { unit: '91', from: '2025-07-01', to: '2025-07-18', format: 'xlsx' },
      randomUUID(),
      inspector,
    );
    expect(res.statusCode, res.body).toBe(201);
    const file = await ctx.app.inject({ url: res.json().url, headers: inspector });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const units = book.getWorksheet('Theo đơn vị');
    const rows = (units?.getSheetValues() ?? []).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    const thoiSon = rows.find((r) => r?.[0] === '30502');
    expect(thoiSon?.slice(1, 3)).toEqual(['Phường Thới Sơn', 660]);
  });

  it('who may see, make and schedule reports', async () => {
    const specialist = await ctx.login('specialist.30502');
    expect((await ctx.app.inject({ url: '/api/reports?unit=30502', headers: specialist })).statusCode).toBe(
      200,
    );
    const schedule = await ctx.app.inject({
      method: 'POST',
      url: '/api/reports/schedules',
      headers: specialist,
      payload: { unit: '30502', frequency: 'yearly' },
    });
    expect(schedule.statusCode).toBe(403);
    const other = await ctx.login('inspector.82');
    expect((await ctx.app.inject({ url: '/api/reports?unit=30502', headers: other })).statusCode).toBe(403);
    const id = (await ctx.app.inject({ url: '/api/reports?unit=30502', headers: leader })).json().items[0].id;
    expect((await ctx.app.inject({ url: `/api/reports/${id}/file`, headers: other })).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: `/api/reports/${id}/file` })).statusCode).toBe(401);
  });
});
