import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.json() };
};

describe('unit counts', () => {
  it('has the 34 provinces and 3,321 communes in force, and the 10,056 units before the reform', async () => {
    const { status, body } = await get('/api/units/stats');
    expect(status).toBe(200);
    expect(body.current).toEqual({ provinces: 34, communes: 3321 });
    expect(body.before2025).toMatchObject({
      provinces: 63,
      districts: 696,
      units: 10056,
      knownOnlyFromCrosswalk: 10,
    });
  });

  it('lists the 34 provinces today and the 63 before', async () => {
    expect((await get('/api/units/provinces')).body.items).toHaveLength(34);
    const before = (await get('/api/units/provinces?era=before_2025')).body.items;
    expect(before).toHaveLength(63);
    expect(before.every((p: { current: boolean }) => !p.current)).toBe(true);
  });

  it("lists a province's communes with paging and search", async () => {
    const page = await get('/api/units/provinces/04/communes?limit=10');
    expect(page.status).toBe(200);
    expect(page.body.province.name).toBe('Tỉnh Cao Bằng');
    expect(page.body.items).toHaveLength(10);
    expect(page.body.total).toBeGreaterThan(50);
    const found = await get('/api/units/provinces/04/communes?q=nung%20tri');
    expect(found.body.items.map((u: { code: string }) => u.code)).toEqual(['01279']);
  });
});

describe('a unit by code', () => {
  it('gives Phường Nùng Trí Cao with its three predecessors', async () => {
    const { status, body } = await get('/api/units/01279');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: '01279',
      name: 'Phường Nùng Trí Cao',
      type: 'phường',
      provinceCode: '04',
      current: true,
    });
    expect(body.formedFrom.map((u: { name: string }) => u.name).sort()).toEqual([
      'Phường Ngọc Xuân',
      'Phường Sông Bằng',
      'Xã Vĩnh Quang',
    ]);
    expect(body.formedFrom.every((u: { relation: string }) => u.relation === 'whole')).toBe(true);
    expect(body.nowPartOf).toEqual([]);
  });

  it('reuses codes across time: 01288 is new Phường Tân Giang today and Phường Duyệt Trung before', async () => {
    const today = await get('/api/units/01288');
    expect(today.body.name).toBe('Phường Tân Giang');
    expect(today.body.formedFrom).toHaveLength(5);
    const before = await get('/api/units/01288?on=2025-06-30');
    expect(before.body).toMatchObject({ name: 'Phường Duyệt Trung', current: false, validTo: '2025-06-30' });
    expect(before.body.nowPartOf).toEqual([
      expect.objectContaining({ code: '01288', name: 'Phường Tân Giang', relation: 'whole' }),
    ]);
    expect((await get('/api/units/01288?on=2025-07-01')).body.name).toBe('Phường Tân Giang');
  });

  it('gives the old unit when no unit of that code is in force, with its successors', async () => {
    const { body } = await get('/api/units/01270');
    expect(body).toMatchObject({
      name: 'Phường Sông Bằng',
      current: false,
      districtName: 'Thành phố Cao Bằng',
    });
    expect(body.nowPartOf.map((u: { code: string }) => u.code)).toEqual(['01279']);
  });

  it('links an old province to its new one', async () => {
    const { body } = await get('/api/units/74');
    expect(body).toMatchObject({ name: 'Tỉnh Bình Dương', current: false });
    expect(body.nowPartOf.map((u: { code: string }) => u.code)).toEqual(['79']);
  });

  it('answers 404 naming an unknown code, and 400 naming a malformed one or a malformed date', async () => {
    const missing = await get('/api/units/99999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      code: 'UNIT_NOT_FOUND',
      message: 'Không tìm thấy đơn vị hành chính có mã 99999.',
    });
    // Old units have no known start (the list is as of 2025), so an early date gives the old unit.
    const beforeAny = await get('/api/units/01279?on=1990-01-01');
    expect(beforeAny.body).toMatchObject({ name: 'Phường Ngọc Xuân', current: false });
    const bad = await get('/api/units/12a');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['params.code']);
    const badDate = await get('/api/units/01279?on=2025-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.fields['querystring.on']).toContain('Ngày không hợp lệ');
  });
});

describe('search by name', () => {
  it('finds Phường Nùng Trí Cao without diacritics, case or type word', async () => {
    for (const q of ['nung tri cao', 'NÙNG TRÍ CAO', 'phuong nung tri cao', 'P. Nùng Trí Cao']) {
      const { body } = await get(`/api/units?q=${encodeURIComponent(q)}`);
      expect(body.items[0]).toMatchObject({
        code: '01279',
        name: 'Phường Nùng Trí Cao',
        provinceName: 'Tỉnh Cao Bằng',
        current: true,
      });
    }
  });

  it('finds both Tân Giang: the new one of Cao Bằng and the old one of Hà Tĩnh, labelled', async () => {
    const { body } = await get('/api/units?q=tan%20giang&level=commune');
    const exact = body.items.filter((u: { name: string }) => u.name === 'Phường Tân Giang');
    expect(exact).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: '01288', provinceName: 'Tỉnh Cao Bằng', current: true }),
        expect.objectContaining({ code: '18079', provinceName: 'Tỉnh Hà Tĩnh', current: false }),
        expect.objectContaining({ code: '01276', provinceName: 'Tỉnh Cao Bằng', current: false }),
      ]),
    );
    expect(body.items[0]).toMatchObject({ code: '01288', current: true });
  });

  it('filters by era and pages', async () => {
    const current = await get('/api/units?q=tan%20giang&era=current');
    expect(current.body.items.every((u: { current: boolean }) => u.current)).toBe(true);
    const page1 = await get('/api/units?q=xa&limit=5&offset=0');
    const page2 = await get('/api/units?q=xa&limit=5&offset=5');
    expect(page1.body.items).toHaveLength(5);
    expect(page1.body.total).toBe(page2.body.total);
    expect(page1.body.items[0].code).not.toBe(page2.body.items[0].code);
  });

  it('forgives a typo through trigram similarity when nothing matches exactly', async () => {
    const { body } = await get('/api/units?q=nung%20tri%20caoo&era=current');
    expect(body.items[0]?.code).toBe('01279');
  });

  it('refuses a limit over 200 with the field named', async () => {
    const { status, body } = await get('/api/units?limit=500');
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ 'querystring.limit': 'Số bản ghi mỗi trang tối đa là 200' });
  });
});

describe('address normaliser', () => {
  const normalize = (address: string) => get(`/api/units/normalize?address=${encodeURIComponent(address)}`);

  it('resolves an old address whose commune merged whole', async () => {
    const { body } = await normalize('Tổ 5, Xã Vĩnh Quang, Thành phố Cao Bằng, Tỉnh Cao Bằng');
    expect(body).toMatchObject({
      status: 'resolved',
      needsReview: false,
      detail: 'Tổ 5',
      formatted: 'Tổ 5, Phường Nùng Trí Cao, Tỉnh Cao Bằng',
    });
    expect(body.commune.code).toBe('01279');
    expect(body.matchedOld.map((u: { code: string }) => u.code)).toEqual(['01693']);
  });

  it('resolves without diacritics and with an old province name', async () => {
    const { body } = await normalize('so 12, phuong duyet trung, tp cao bang, cao bang');
    expect(body.status).toBe('resolved');
    expect(body.commune).toMatchObject({ code: '01288', name: 'Phường Tân Giang' });
  });

  it('keeps a current address as it is', async () => {
    const { body } = await normalize('Thôn Nà Cạn, Phường Nùng Trí Cao, Tỉnh Cao Bằng');
    expect(body).toMatchObject({
      status: 'resolved',
      formatted: 'Thôn Nà Cạn, Phường Nùng Trí Cao, Tỉnh Cao Bằng',
    });
  });

  it('flags a partially merged old commune for a person, with the candidates', async () => {
    // Xã Kỳ Lợi (Hà Tĩnh) was split between three new wards.
    const { body } = await normalize('Xã Kỳ Lợi, Thị xã Kỳ Anh, Tỉnh Hà Tĩnh');
    expect(body.status).toBe('ambiguous');
    expect(body.needsReview).toBe(true);
    expect(body.commune).toBeNull();
    expect(body.candidates.map((c: { name: string }) => c.name).sort()).toEqual([
      'Phường Hoành Sơn',
      'Phường Sông Trí',
      'Phường Vũng Áng',
    ]);
  });

  it('says when nothing matches, and refuses an empty address', async () => {
    expect((await normalize('Xã Không Có Thật, Tỉnh Cao Bằng')).body.status).toBe('not_found');
    const empty = await get('/api/units/normalize?address=');
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields['querystring.address']).toBe('Địa chỉ quá ngắn');
  });
});
