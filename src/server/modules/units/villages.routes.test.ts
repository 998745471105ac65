import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { listAudit } from '../audit/audit.service.ts';

let ctx: TestContext;
let communeAdmin: Record<string, string>;
let provinceAdmin: Record<string, string>;
let otherCommuneAdmin: Record<string, string>;
let otherProvinceAdmin: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  communeAdmin = await ctx.login('admin.01279');
  provinceAdmin = await ctx.login('province.04');
  otherCommuneAdmin = await ctx.login('admin.01288');
  otherProvinceAdmin = await ctx.login('province.91');
});
afterAll(() => ctx?.close());

const send = (method: 'GET' | 'POST', url: string, cookie?: Record<string, string>, payload?: object) =>
  ctx.app.inject({ method, url, payload, headers: cookie ?? {} });

describe('villages and residential groups', () => {
  it('creates a village, renames it from a date, and keeps the history', async () => {
    const created = await send('POST', '/api/units/01279/villages', communeAdmin, {
      kind: 'thôn',
      name: 'Thôn Nà Cạn',
      validFrom: '2010-01-01',
      oldCommuneCode: '01693',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;

    const renamed = await send('POST', `/api/villages/${id}/renames`, provinceAdmin, {
      name: 'Tổ dân phố Nà Cạn',
      effectiveFrom: '2025-09-01',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().history).toEqual([
      { name: 'Thôn Nà Cạn', validFrom: '2010-01-01', validTo: '2025-08-31' },
      { name: 'Tổ dân phố Nà Cạn', validFrom: '2025-09-01', validTo: null },
    ]);

    expect((await send('GET', `/api/villages/${id}?on=2025-08-31`)).json().name).toBe('Thôn Nà Cạn');
    expect((await send('GET', `/api/villages/${id}?on=2025-09-01`)).json().name).toBe('Tổ dân phố Nà Cạn');
    expect((await send('GET', `/api/villages/${id}?on=2000-01-01`)).json().name).toBeNull();

    const audit = await listAudit(ctx.database.db, 'village', id);
    expect(audit.map((a) => a.action)).toEqual(['village.create', 'village.rename']);
    expect(audit[1]?.details).toEqual({
      from: 'Thôn Nà Cạn',
      to: 'Tổ dân phố Nà Cạn',
      effectiveFrom: '2025-09-01',
    });
  });

  it('shows an address as it was on a date: old village, old commune, district and province', async () => {
    const { id } = (
      await send('POST', '/api/units/01279/villages', communeAdmin, {
        kind: 'xóm',
        name: 'Xóm Khuổi Khon',
        validFrom: '2001-01-01',
        oldCommuneCode: '01693',
      })
    ).json();
    await send('POST', `/api/villages/${id}/renames`, communeAdmin, {
      name: 'Tổ dân phố Khuổi Khon',
      effectiveFrom: '2025-10-01',
    });
    const before = (await send('GET', `/api/villages/${id}/address?on=2024-05-01`)).json();
    expect(before.formatted).toBe('Xóm Khuổi Khon, Xã Vĩnh Quang, Thành phố Cao Bằng, Tỉnh Cao Bằng');
    const between = (await send('GET', `/api/villages/${id}/address?on=2025-07-15`)).json();
    expect(between.formatted).toBe('Xóm Khuổi Khon, Phường Nùng Trí Cao, Tỉnh Cao Bằng');
    const after = (await send('GET', `/api/villages/${id}/address?on=2025-10-01`)).json();
    expect(after.formatted).toBe('Tổ dân phố Khuổi Khon, Phường Nùng Trí Cao, Tỉnh Cao Bằng');
  });

  it('lists and searches villages by any of their names, without diacritics, with paging', async () => {
    const found = await send('GET', '/api/units/01279/villages?q=khuoi%20khon&on=2025-12-01');
    expect(found.statusCode).toBe(200);
    expect(found.json().items.map((v: { name: string }) => v.name)).toEqual(['Tổ dân phố Khuổi Khon']);
    const page = (await send('GET', '/api/units/01279/villages?limit=2')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
  });

  it('refuses a rename dated before the current name began, and an unchanged name', async () => {
    const { id } = (
      await send('POST', '/api/units/01279/villages', communeAdmin, {
        kind: 'tổ dân phố',
        name: 'Tổ 9',
        validFrom: '2025-07-01',
      })
    ).json();
    const early = await send('POST', `/api/villages/${id}/renames`, communeAdmin, {
      name: 'Tổ dân phố 9',
      effectiveFrom: '2025-07-01',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('CONFLICT');
    expect(early.json().error.message).toContain('2025-07-01');
    const same = await send('POST', `/api/villages/${id}/renames`, communeAdmin, {
      name: 'Tổ 9',
      effectiveFrom: '2025-08-01',
    });
    expect(same.statusCode).toBe(409);
    expect((await send('GET', `/api/villages/${id}`)).json().history).toHaveLength(1);
  });

  it('checks who may change which commune', async () => {
    const payload = { kind: 'thôn', name: 'Thôn Mới', validFrom: '2025-07-01' };
    expect((await send('POST', '/api/units/01279/villages', undefined, payload)).statusCode).toBe(401);
    expect((await send('POST', '/api/units/01279/villages', otherCommuneAdmin, payload)).statusCode).toBe(
      403,
    );
    expect((await send('POST', '/api/units/01279/villages', otherProvinceAdmin, payload)).statusCode).toBe(
      403,
    );
    const reception = await ctx.login('reception.01279');
    expect((await send('POST', '/api/units/01279/villages', reception, payload)).statusCode).toBe(403);
    const names = (await send('GET', '/api/units/01279/villages?q=thon%20moi')).json();
    expect(names.total).toBe(0);
  });

  it('validates the input with Vietnamese field messages and writes nothing', async () => {
    const bad = await send('POST', '/api/units/01279/villages', communeAdmin, {
      kind: 'làng xã',
      name: 'A',
      validFrom: '2025-13-01',
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.fields;
    expect(Object.keys(fields).sort()).toEqual(['body.kind', 'body.name', 'body.validFrom']);
    expect(fields['body.name']).toBe('Tên phải có ít nhất 2 ký tự');
    const wrongOld = await send('POST', '/api/units/01279/villages', communeAdmin, {
      kind: 'thôn',
      name: 'Thôn Lạ',
      validFrom: '2025-07-01',
      oldCommuneCode: '01276',
    });
    expect(wrongOld.statusCode).toBe(400);
    expect(wrongOld.json().error.fields.oldCommuneCode).toContain('01276');
    expect((await send('GET', '/api/units/01279/villages?q=thon%20la')).json().total).toBe(0);
    expect(
      (
        await send('POST', '/api/units/99999/villages', communeAdmin, {
          kind: 'thôn',
          name: 'X Y',
          validFrom: '2025-07-01',
        })
      ).statusCode,
    ).toBe(404);
    expect((await send('GET', '/api/villages/999999')).statusCode).toBe(404);
  });

  it('ships demo villages renamed when their commune became a ward', async () => {
    const list = (
      await send('GET', '/api/units/01279/villages?q=vinh%20quang&on=2025-12-01&limit=50')
    ).json();
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    const demo = list.items.find((v: { history: unknown[] }) => v.history.length === 2);
    expect(demo.history[0].validTo).toBe('2025-08-31');
  });
});
