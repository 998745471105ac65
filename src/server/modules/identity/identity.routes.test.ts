import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo-data.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { LOCKOUT, throttleDelayMs } from './identity.service.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ loginRateLimit: { max: 40, timeWindowMs: 60_000 } });
});
afterAll(() => ctx.close());

const login = (username: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('staff sign-in', () => {
  it('returns the CSRF token and the user; a cookie write needs that token', async () => {
    const res = await login('reception.30502', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      csrfToken: expect.stringMatching(/^[\w-]{20,}$/),
      user: { username: 'reception.30502', role: 'reception_officer', unitCode: '30502', provinceCode: '91' },
    });
    const cookie = `motcua_session=${res.cookies.find((c) => c.name === 'motcua_session')?.value}`;
    const write = (headers: Record<string, string>) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, ...headers } });
    const missing = await write({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error).toMatchObject({
      code: 'CSRF_INVALID',
      message: expect.stringContaining('chống giả mạo'),
    });
    expect((await write({ 'x-csrf-token': 'forged-token-forged-token' })).statusCode).toBe(403);
    // A session from before CSRF tokens (empty token) is not opened by an empty header.
    const token = res.cookies.find((c) => c.name === 'motcua_session')?.value ?? '';
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const stored = await ctx.database.db
      .selectFrom('staff_session')
      .select('csrf_token')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirstOrThrow();
    await ctx.database.db
      .updateTable('staff_session')
      .set({ csrf_token: '' })
      .where('token_hash', '=', tokenHash)
      .execute();
    expect((await write({ 'x-csrf-token': '' })).statusCode).toBe(403);
    await ctx.database.db
      .updateTable('staff_session')
      .set({ csrf_token: stored.csrf_token })
      .where('token_hash', '=', tokenHash)
      .execute();
    // The session survived the refused attempts, and /me hands the token back to a reloaded page.
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json().csrfToken).toBe(res.json().csrfToken);
    expect((await write({ 'x-csrf-token': res.json().csrfToken })).statusCode).toBe(204);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it(`holds an account back after ${LOCKOUT.attempts} wrong passwords, even against the right one from an unknown address, until the time is up`, async () => {
    for (let i = 1; i < LOCKOUT.attempts; i++) {
      expect((await login('specialist.30112', 'sai-mat-khau')).statusCode).toBe(401);
    }
    const locked = await login('specialist.30112', 'sai-mat-khau');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.message).toBe(
      `Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ${Math.ceil(throttleDelayMs(LOCKOUT.attempts) / 60_000)} phút.`,
    );
    expect((await login('specialist.30112', DEMO_PASSWORD)).statusCode).toBe(423);
    const audit = await ctx.database.db
      .selectFrom('audit_log as l')
      .innerJoin('staff_account as a', 'a.id', 'l.actor_id')
      .select('l.action')
      .where('a.username', '=', 'specialist.30112')
      .where('l.action', 'like', 'auth.%')
      .orderBy('l.id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      ...Array(LOCKOUT.attempts - 1).fill('auth.login_failed'),
      'auth.locked',
    ]);
    await ctx.database.db
      .updateTable('staff_account')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'specialist.30112')
      .execute();
    expect((await login('specialist.30112', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('counts wrong passwords sent at the same time, none lost', async () => {
    const answers = await Promise.all(
      Array.from({ length: LOCKOUT.attempts }, () => login('head.30112', 'sai-mat-khau')),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(LOCKOUT.attempts - 1).fill(401), 423]);
    expect((await login('head.30112', DEMO_PASSWORD)).statusCode).toBe(423);
  });

  it('gives national accounts no province and province accounts their own', async () => {
    expect((await login('ministry', DEMO_PASSWORD)).json().user.provinceCode).toBeNull();
    expect((await login('province.91', DEMO_PASSWORD)).json().user.provinceCode).toBe('91');
    expect((await login('reception.30112', DEMO_PASSWORD)).json().user.provinceCode).toBe('82');
  });

  it('limits sign-in attempts per client address', async () => {
    const limited = await createTestContext({ loginRateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/api/auth/login',
              payload: { username: 'x', password: 'y' },
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  }, 240_000);

  it('changes a password after checking the current one, and ends the other sessions', async () => {
    const first = await ctx.login('head.30502');
    const second = await ctx.login('head.30502');
    const change = (payload: object) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers: first, payload });
    const wrong = await change({ currentPassword: 'khong-dung', newPassword: 'MatKhauMoi2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('CURRENT_PASSWORD_WRONG');
    const weak = await change({ currentPassword: DEMO_PASSWORD, newPassword: 'ngan' });
    expect(weak.json().error.fields['body.newPassword']).toBe('Mật khẩu mới phải có ít nhất 12 ký tự');
    const eleven = await change({ currentPassword: DEMO_PASSWORD, newPassword: 'MatKhau2026' });
    expect(eleven.json().error.fields['body.newPassword']).toBe('Mật khẩu mới phải có ít nhất 12 ký tự');
    for (const common of ['1qaz2wsx3edc', 'Password2025!']) {
      const refused = await change({ currentPassword: DEMO_PASSWORD, newPassword: common });
      expect(refused.json().error.fields['body.newPassword']).toBe(
        'Mật khẩu này quá phổ biến, dễ bị đoán; vui lòng chọn mật khẩu khác',
      );
    }
    expect((await change({ currentPassword: DEMO_PASSWORD, newPassword: 'MatKhauMoi2026' })).statusCode).toBe(
      204,
    );
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: first })).statusCode).toBe(200);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: second })).statusCode).toBe(401);
    expect((await login('head.30502', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await login('head.30502', 'MatKhauMoi2026')).statusCode).toBe(200);
  });

  it('signing in again from the same browser ends its earlier session', async () => {
    const first = await ctx.login('reception.30502');
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first.cookie as string },
      payload: { username: 'reception.30502', password: DEMO_PASSWORD },
    });
    expect(again.statusCode).toBe(200);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: first })).statusCode).toBe(401);
    const cookie = `motcua_session=${again.cookies.find((c) => c.name === 'motcua_session')?.value}`;
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('compares scheme, host and port of a write’s Origin with the server’s', async () => {
    const headers = await ctx.login('reception.30112');
    const logout = (origin: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { ...headers, host: 'motcua.lan:3000', origin },
      });
    expect((await logout('https://motcua.lan:3000')).statusCode).toBe(403);
    expect((await logout('http://motcua.lan:3001')).statusCode).toBe(403);
    expect((await logout('http://motcua.lan:3000')).statusCode).toBe(204);
  });

  it('answers personal data with Cache-Control: no-store, public reference data without', async () => {
    const headers = await ctx.login('reception.30112');
    const me = await ctx.app.inject({ url: '/api/auth/me', headers });
    expect(me.headers['cache-control']).toBe('no-store');
    const denied = await ctx.app.inject({ url: '/api/auth/me' });
    expect(denied.headers['cache-control']).toBe('no-store');
    const track = await ctx.app.inject({ url: '/track' });
    expect(track.headers['cache-control']).toBe('no-store');
    const units = await ctx.app.inject({ url: '/api/units?q=my%20hiep' });
    expect(units.headers['cache-control']).not.toBe('no-store');
  });

  it("lists one's own commune's officers to assign to, by role and name without diacritics", async () => {
    const reception = await ctx.login('reception.30112');
    const all = (await ctx.app.inject({ url: '/api/staff', headers: reception })).json();
    expect(all.items.map((s: { role: string }) => s.role).sort()).toEqual([
      'centre_director',
      'commune_leader',
      'department_head',
      'reception_officer',
      'specialist',
    ]);
    const specialists = await ctx.app.inject({
      url: '/api/staff?role=specialist&q=chuyen%20vien%20my%20hiep',
      headers: reception,
    });
    expect(specialists.json()).toMatchObject({
      total: 1,
      items: [{ fullName: 'Chuyên viên Xã Mỹ Hiệp', role: 'specialist', roleName: 'Chuyên viên' }],
    });
    const none = await ctx.app.inject({ url: '/api/staff?q=thoi%20son', headers: reception });
    expect(none.json().total).toBe(0);
    expect(
      (await ctx.app.inject({ url: '/api/staff', headers: await ctx.login('admin.30112') })).statusCode,
    ).toBe(403);
    expect((await ctx.app.inject({ url: '/api/staff' })).statusCode).toBe(401);
    const bad = await ctx.app.inject({ url: '/api/staff?role=mayor', headers: reception });
    expect(bad.statusCode).toBe(400);
  });
});
