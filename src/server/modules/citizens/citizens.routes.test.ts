import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIRTH,
  BIRTH_DETAILS,
  createClock,
  type Headers,
  postAction,
} from '../../test-support/dossier-helpers.ts';
import { multipart } from '../../test-support/multipart.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { signInCitizen, startTestVneid } from '../../test-support/vneid.ts';

const clock = createClock('2026-11-25T09:00:00+07:00'); // a Wednesday
let ctx: TestContext;
let vneid: Awaited<ReturnType<typeof startTestVneid>>;
let an: Headers; // level 2
let cuong: Headers; // level 1

beforeAll(async () => {
  vneid = await startTestVneid();
  ctx = await createTestContext({ now: clock.now, vneid: vneid.client });
  const a = await signInCitizen(ctx.app, 'dev-citizen-l2-an');
  const c = await signInCitizen(ctx.app, 'dev-citizen-l1-cuong');
  if (!a.headers || !c.headers) throw new Error('sign-in failed');
  an = a.headers;
  cuong = c.headers;
});
afterAll(async () => {
  await ctx?.close();
  await vneid?.close();
});

async function scan(text: string) {
  const png = await QRCode.toBuffer(text, { type: 'png', width: 300 });
  return multipart([{ name: 'anh.png', type: 'image/png', bytes: png }]);
}

async function upload(headers: Headers, url: string, text: string) {
  const body = await scan(text);
  return ctx.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

function submit(headers: Headers, key: string, body: object = {}) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/citizen/dossiers',
    headers: { ...headers, 'idempotency-key': key },
    payload: {
      procedureCode: BIRTH,
      contact: { phone: '0912000456', address: 'Số 5, khóm Thới Hòa', addressCommuneCode: '30502' },
      ...body,
    },
  });
}

describe('VNeID sign-in', () => {
  it('signs a citizen in by authorization code with PKCE and knows their ID and level', async () => {
    const me = await ctx.app.inject({ url: '/api/citizen/me', headers: an });
    expect(me.statusCode).toBe(200);
    expect(me.json().citizen).toMatchObject({
      fullName: 'Nguyễn Văn An',
      citizenId: '089085000456',
      level: 2,
    });
    const l1 = await ctx.app.inject({ url: '/api/citizen/me', headers: cuong });
    expect(l1.json().citizen.level).toBe(1);
  });

  it('a callback whose state does not match opens no session', async () => {
    const tampered = await signInCitizen(ctx.app, 'dev-citizen-l2-an', { tamper: true });
    expect(tampered.headers).toBeNull();
    expect(tampered.location).toBe('/signin?error=failed');
    const none = await ctx.app.inject({ url: '/api/citizen/me' });
    expect(none.statusCode).toBe(401);
  });

  it('a staff session is not a citizen session, and writes need the CSRF token', async () => {
    const staff = await ctx.login('reception.30502');
    expect((await ctx.app.inject({ url: '/api/citizen/me', headers: staff })).statusCode).toBe(401);
    const noToken = await ctx.app.inject({
      method: 'PUT',
      url: `/api/citizen/drafts/${BIRTH}`,
      headers: { cookie: an.cookie as string },
      payload: { data: {} },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_INVALID');
  });
});

describe('filing online', () => {
  it('refuses a level-1 citizen a level-2 procedure, with the reason and the way out', async () => {
    const res = await ctx.app.inject({ url: `/api/citizen/procedures/${BIRTH}/eligibility`, headers: cuong });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('IDENTITY_LEVEL_TOO_LOW');
    expect(res.json().error.message).toContain('mức 2');
    expect(res.json().error.message).toContain('Trung tâm Phục vụ hành chính công');
    const filed = await submit(cuong, randomUUID());
    expect(filed.statusCode).toBe(403);
    const notOnline = await ctx.app.inject({
      url: '/api/citizen/procedures/2.000815/eligibility',
      headers: an,
    });
    expect(notOnline.statusCode).toBe(422);
    expect(notOnline.json().error.code).toBe('PROCEDURE_NOT_ONLINE');
    expect(
      (await ctx.app.inject({ url: `/api/citizen/procedures/${BIRTH}/eligibility`, headers: an })).json(),
    ).toEqual({ eligible: true });
  });

  it('keeps a draft, files it once with its papers, and lists it under the citizen', async () => {
    const saved = await ctx.app.inject({
      method: 'PUT',
      url: `/api/citizen/drafts/${BIRTH}`,
      headers: an,
      payload: { data: { phone: '0912000456', step: 1 } },
    });
    expect(saved.statusCode).toBe(204);
    const first = await upload(an, `/api/citizen/drafts/${BIRTH}/components/to_khai/file`, 'tờ khai');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ mediaType: 'application/pdf', pages: 1 });

    // One required paper is still missing: nothing is filed.
    const early = await submit(an, randomUUID());
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('MISSING_COMPONENTS');

    expect(
      (await upload(an, `/api/citizen/drafts/${BIRTH}/components/giay_chung_sinh/file`, 'giấy chứng sinh'))
        .statusCode,
    ).toBe(201);
    const draft = await ctx.app.inject({ url: `/api/citizen/drafts/${BIRTH}`, headers: an });
    expect(Object.keys(draft.json().files).sort()).toEqual(['giay_chung_sinh', 'to_khai']);
    expect(draft.json().data).toEqual({ phone: '0912000456', step: 1 });

    const key = randomUUID();
    const filed = await submit(an, key);
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ status: 'submitted', statusCode: 1, dueAt: null });
    const again = await submit(an, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(filed.json().id);

    // The draft is gone with the submission; the papers are the dossier's documents now.
    const after = await ctx.app.inject({ url: `/api/citizen/drafts/${BIRTH}`, headers: an });
    expect(after.json().files).toEqual({});
    const reception = await ctx.login('reception.30502');
    const docs = await ctx.app.inject({
      url: `/api/dossiers/${filed.json().id}/documents`,
      headers: reception,
    });
    const withPapers = docs.json().components.filter((c: { documents: unknown[] }) => c.documents.length > 0);
    expect(withPapers.map((c: { key: string }) => c.key).sort()).toEqual(['giay_chung_sinh', 'to_khai']);
    // The counter's first job: it waits under "to receive".
    const toReceive = await ctx.app.inject({
      url: '/api/dossiers?view=to_receive&pageSize=100',
      headers: reception,
    });
    expect(toReceive.json().items.map((d: { code: string }) => d.code)).toContain(filed.json().code);
    const view = await ctx.app.inject({ url: `/api/dossiers/${filed.json().id}`, headers: reception });
    expect(view.json()).toMatchObject({
      channel: 'online',
      status: 'submitted',
      applicant: { fullName: 'Nguyễn Văn An', citizenId: '089085000456' },
    });

    const mine = await ctx.app.inject({ url: '/api/citizen/dossiers', headers: an });
    expect(mine.json().items.map((d: { code: string }) => d.code)).toContain(filed.json().code);
    // Another citizen does not see it, nor can open it.
    const theirs = await ctx.app.inject({ url: `/api/citizen/dossiers/${filed.json().id}`, headers: cuong });
    expect(theirs.statusCode).toBe(404);
  });

  it('supplement online → result → download → rating, once', async () => {
    // Filed earlier in this file; the centre receives it and asks for a paper again.
    const reception = await ctx.login('reception.30502');
    const specialist = await ctx.login('specialist.30502');
    const head = await ctx.login('head.30502');
    const leader = await ctx.login('leader.30502');
    const { items } = (await ctx.app.inject({ url: '/api/citizen/dossiers', headers: an })).json();
    const id = items[0].id as number;
    const ok = async (who: Headers, action: string, body: object = {}) => {
      const res = await postAction(ctx.app, who, id, action, body);
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      return res.json();
    };
    await ok(reception, 'receive');
    const specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;
    await ok(reception, 'assign', { assigneeId: specialistId });
    await ok(specialist, 'request-supplement', {
      reasons: ['Giấy chứng sinh bị mờ, chụp lại rõ'],
      missingComponents: ['giay_chung_sinh'],
    });

    const asked = (await ctx.app.inject({ url: `/api/citizen/dossiers/${id}`, headers: an })).json();
    expect(asked.statusCode).toBe(5);
    expect(asked.supplement).toMatchObject({
      reasons: ['Giấy chứng sinh bị mờ, chụp lại rõ'],
      missingComponents: ['giay_chung_sinh'],
    });
    expect(
      (await upload(an, `/api/citizen/dossiers/${id}/components/giay_chung_sinh/documents`, 'rõ hơn'))
        .statusCode,
    ).toBe(201);
    const key = randomUUID();
    const handedIn = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/dossiers/${id}/supplement`,
      headers: { ...an, 'idempotency-key': key },
      payload: { note: 'Đã chụp lại' },
    });
    expect(handedIn.statusCode, handedIn.body).toBe(200);
    expect(handedIn.json()).toMatchObject({ statusCode: 4, supplement: null });
    // Back with the specialist who asked, not the counter.
    const staffView = (await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: specialist })).json();
    expect(staffView.holder).toMatchObject({ kind: 'staff', role: 'specialist', accountId: specialistId });
    // No more papers once the request is answered.
    expect(
      (await upload(an, `/api/citizen/dossiers/${id}/components/giay_chung_sinh/documents`, 'nữa'))
        .statusCode,
    ).toBe(409);

    await ok(specialist, 'forward');
    await ok(head, 'forward');
    await ok(leader, 'approve');
    const signed = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${id}/result/sign`,
      headers: { ...leader, 'idempotency-key': randomUUID() },
      payload: { pin: '123456', details: BIRTH_DETAILS },
    });
    expect(signed.statusCode, signed.body).toBe(201);

    const pdf = await ctx.app.inject({ url: `/api/citizen/dossiers/${id}/result.pdf`, headers: an });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.includes(Buffer.from('/ETSI.CAdES.detached'))).toBe(true);
    const verified = await ctx.app.inject({
      method: 'POST',
      url: '/api/verify',
      ...(() => {
        const body = multipart([{ name: 'ket-qua.pdf', type: 'application/pdf', bytes: pdf.rawPayload }]);
        return { headers: { 'content-type': body.contentType }, payload: body.payload };
      })(),
    });
    expect(verified.json()).toMatchObject({ valid: true, issuedHere: true });
    expect(
      (await ctx.app.inject({ url: `/api/citizen/dossiers/${id}/result.pdf`, headers: cuong })).statusCode,
    ).toBe(404);

    const bad = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/dossiers/${id}/rating`,
      headers: an,
      payload: { rating: 'so-so' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['body.rating']).toContain('Vui lòng chọn mức hài lòng');
    const rated = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/dossiers/${id}/rating`,
      headers: an,
      payload: { rating: 'very_satisfied', comment: 'Nhanh, không phải đi lại' },
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({
      rating: { rating: 'very_satisfied', comment: 'Nhanh, không phải đi lại' },
      canRate: false,
    });
    const twice = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/dossiers/${id}/rating`,
      headers: an,
      payload: { rating: 'satisfied' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_RATED');
  });
});

describe('drafts under a weak link', () => {
  it('two papers uploaded at the same moment both stay; removing one keeps the other', async () => {
    const url = (key: string) => `/api/citizen/drafts/1.000656/components/${key}/file`;
    const [a, b] = await Promise.all([
      upload(an, url('to_khai'), 'một'),
      upload(an, url('giay_bao_tu'), 'hai'),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const both = (await ctx.app.inject({ url: '/api/citizen/drafts/1.000656', headers: an })).json();
    expect(Object.keys(both.files).sort()).toEqual(['giay_bao_tu', 'to_khai']);
    const removed = await ctx.app.inject({ method: 'DELETE', url: url('to_khai'), headers: an });
    expect(removed.statusCode).toBe(204);
    const left = (await ctx.app.inject({ url: '/api/citizen/drafts/1.000656', headers: an })).json();
    expect(Object.keys(left.files)).toEqual(['giay_bao_tu']);
  });

  it('asks the provider to show who signs in every time (a shared phone)', async () => {
    const start = await ctx.app.inject({ url: '/auth/vneid/start?returnTo=//evil.example/' });
    const location = new URL(String(start.headers.location));
    expect(location.searchParams.get('prompt')).toBe('login');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    // The return address is kept to this site.
    const cookie = String(([] as string[]).concat(start.headers['set-cookie'] ?? [])[0]).split(';')[0] ?? '';
    const pending = JSON.parse(Buffer.from(cookie.split('=')[1] ?? '', 'base64url').toString('utf8'));
    expect(pending.returnTo).toBe('/my');
  });
});
