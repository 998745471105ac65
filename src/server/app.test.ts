import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createStartupState } from './startup-state.ts';
import { createTestContext, type TestContext } from './test-support/test-app.ts';
import { TEST_SEAL_PASSPHRASE } from './test-support/test-database.ts';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ logLevel: 'info', logStream });
});
afterAll(() => ctx?.close());

describe('health and documentation', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
    const kind = ctx.database.kind === 'embedded' ? 'embedded' : 'postgresql';
    const { rows } = await sql<{ fsync: string }>`show fsync`.execute(ctx.database.db);
    expect(ready.json().database).toEqual({ kind, fsync: rows[0]?.fsync === 'on' });
  });

  it('reports loading progress on /readyz and the home page while the first start loads data', async () => {
    const startup = createStartupState(false);
    startup.stage = 'units';
    startup.progress = 0.42;
    const app = await buildApp({
      database: ctx.database,
      startup,
      fileStore: ctx.database.files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
    });
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'loading', stage: 'units', progress: 0.42 });
    const home = await app.inject({ url: '/' });
    expect(home.body).toContain('Đang nạp danh mục đơn vị hành chính (loading administrative units): 42%');
    await app.close();
  });

  it('serves the OpenAPI document with the interface routes', async () => {
    const res = await ctx.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/units', '/api/units/{code}', '/api/calendar/due', '/healthz', '/readyz']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    const ui = await ctx.app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('errors, headers and logs', () => {
  it('answers an unknown route with the one error body, in Vietnamese or English', async () => {
    const vi = await ctx.app.inject({ url: '/api/khong-co' });
    expect(vi.statusCode).toBe(404);
    expect(vi.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'Không có địa chỉ GET /api/khong-co.' },
    });
    const en = await ctx.app.inject({ url: '/api/khong-co', headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('There is no GET /api/khong-co.');
  });

  it('refuses malformed JSON with a 400, not a 500', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('sets security headers and a request id, keeping a sane one the caller sent', async () => {
    const res = await ctx.app.inject({ url: '/healthz', headers: { 'x-request-id': 'counter-07-abc123' } });
    expect(res.headers['x-request-id']).toBe('counter-07-abc123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Counter PCs use plain HTTP on the LAN: links and forms must not be upgraded to https.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const generated = await ctx.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps names, citizen ID numbers and phone numbers out of the logs', async () => {
    await ctx.app.inject({ url: '/api/units?q=Nguy%E1%BB%85n%20V%C4%83n%20%C4%90%E1%BB%A9c' });
    await ctx.app.inject({ url: '/api/khong-co/079203001234?phone=0912345678' });
    await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'reception.30502', password: 'sai-mat-khau-0912345678' },
    });
    const text = logLines.join('');
    expect(text).toContain('/api/units?q=[redacted]');
    expect(text).toContain('/api/khong-co/[redacted]?phone=[redacted]');
    for (const secret of ['Nguy', '079203001234', '0912345678', 'sai-mat-khau'])
      expect(text).not.toContain(secret);
  });
});

describe('staff sign-in', () => {
  it('signs in with an httpOnly SameSite cookie and refuses a wrong password without saying which part was wrong', async () => {
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'province.04', password: 'MotCua@2025' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ role: 'province_admin', unitCode: '04', provinceCode: '04' });
    const cookie = ok.cookies.find((c) => c.name === 'motcua_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await ctx.app.inject({
      url: '/api/auth/me',
      headers: { cookie: `motcua_session=${cookie?.value}` },
    });
    expect(me.json().user.username).toBe('province.04');

    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'province.04', password: 'nope' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'khong.ton.tai', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json().error.message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
  });

  it('refuses a cookie-authenticated write from another site', async () => {
    const cookie = await ctx.login('admin.01279');
    // A foreign site, and the opaque origin of a sandboxed page or a file.
    for (const origin of ['https://evil.example', 'null']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/units/01279/villages',
        headers: { ...cookie, origin, host: 'localhost:3000' },
        payload: { kind: 'thôn', name: 'Thôn Giả', validFrom: '2025-07-01' },
      });
      expect(res.statusCode).toBe(403);
    }
    const sameSite = await ctx.app.inject({
      method: 'POST',
      url: '/api/units/01279/villages',
      headers: { ...cookie, origin: 'http://localhost:3000', host: 'localhost:3000' },
      payload: { kind: 'thôn', name: 'Thôn Thật', validFrom: '2025-07-01' },
    });
    expect(sameSite.statusCode).toBe(201);
  });

  it('ends the session on logout', async () => {
    const cookie = await ctx.login('admin.01279');
    await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: cookie });
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: cookie })).statusCode).toBe(401);
  });
});
