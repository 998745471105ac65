import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Headers, intakeBody, postAction, postIntake } from '../../test-support/dossier-helpers.ts';
import { multipart, type Part } from '../../test-support/multipart.ts';
import { opensslFiles } from '../../test-support/openssl.ts';
import { pdfsig, pdfToText } from '../../test-support/pdf-tools.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { TEST_SEAL_PASSPHRASE } from '../../test-support/test-database.ts';
import { findSealThatDoesNotOpen, resolveSealPassphrase } from './seal-passphrase.ts';

/** The demo account specialist.30502: a certificate must name its holder. */
const SPECIALIST_NAME = 'Chuyên viên Phường Thới Sơn';
/** Hotel stay notification: one step, the commune police specialist decides and signs. */
const STAY_NOTICE = '2.001159';

let ctx: TestContext;
let dir: string;
let specialist: Headers;
let sysadmin: Headers;

/** A CA and a PKCS#12 for `holder` made by the openssl command line (OpenSSL 3 defaults: AES, PBKDF2). */
async function opensslPki(holder: string) {
  const pki = opensslFiles(dir);
  await pki.rootCa('ca', '/C=VN/O=Tổ chức chứng thực thử/CN=Test Root CA');
  await pki.issue('off', `/C=VN/O=Công an Phường Thới Sơn/CN=${holder}`, 'ca');
  await pki.pkcs12('off', 'ca', 'ma-pin-2468');
  return { ca: readFileSync(pki.at('ca.pem')), p12: readFileSync(pki.at('off.p12')) };
}

function postForm(url: string, who: Headers, parts: Part[]) {
  const { payload, contentType } = multipart(parts);
  return ctx.app.inject({ method: 'POST', url, headers: { ...who, 'content-type': contentType }, payload });
}

/** Adds a CA to the trusted authorities, as the system administrator unless `who` is given. */
function trustAuthority(ca: Buffer, name: string, who: Headers = sysadmin) {
  return postForm('/api/signing/authorities', who, [
    { name: 'ca.pem', type: 'application/x-pem-file', bytes: ca },
    { field: 'name', value: name },
  ]);
}

/** Imports a PKCS#12 as `who`'s own signing certificate. */
function importOwn(who: Headers, p12: Buffer, pin = 'ma-pin-2468') {
  return postForm('/api/signing/credential', who, [
    { name: 'me.p12', type: 'application/x-pkcs12', bytes: p12 },
    { field: 'pin', value: pin },
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-pki-'));
  // The certificates here are made by the openssl command line at the wall-clock time (OpenSSL 3.0
  // cannot date them otherwise), so this app checks them on the wall clock; no assertion here depends
  // on the date (the one-step procedure has no deadline to judge).
  ctx = await createTestContext({ now: () => new Date() });
  specialist = await ctx.login('specialist.30502');
  sysadmin = await ctx.login('sysadmin');
});
afterAll(async () => {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing certificates', () => {
  it('shows the demo leader their certificate, and an officer without one nothing', async () => {
    const leader = await ctx.app.inject({
      url: '/api/signing/credential',
      headers: await ctx.login('leader.30502'),
    });
    expect(leader.json().credential).toMatchObject({
      kind: 'officer',
      subject: expect.stringContaining('CN=Lãnh đạo UBND Phường Thới Sơn'),
      issuer: expect.stringContaining('MotCua Demo CA'),
    });
    const none = await ctx.app.inject({
      url: '/api/signing/credential',
      headers: await ctx.login('head.30112'),
    });
    expect(none.json()).toEqual({ credential: null });
  });

  it("imports a licensed CA's officer certificate once the CA is trusted, and signs a result with it", async () => {
    const { ca, p12 } = await opensslPki(SPECIALIST_NAME);
    const early = await importOwn(specialist, p12);
    expect(early.statusCode).toBe(422);
    expect(early.json().error.message).toContain('không do tổ chức chứng thực được tin cậy cấp');

    const refused = await trustAuthority(ca, 'CA thử nghiệm', specialist);
    expect(refused.statusCode).toBe(403);
    const trusted = await trustAuthority(ca, 'CA thử nghiệm');
    expect(trusted.statusCode, trusted.body).toBe(201);
    expect(trusted.json().items.map((a: { name: string }) => a.name)).toContain('CA thử nghiệm');

    const wrong = await importOwn(specialist, p12, 'sai-mat-khau');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.message).toContain('sai mật khẩu');
    const garbage = await importOwn(specialist, Buffer.from('not a certificate at all'));
    expect(garbage.statusCode).toBe(422);

    const imported = await importOwn(specialist, p12);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().subject).toContain(`CN=${SPECIALIST_NAME}`);

    // A stay notice has one step: the police specialist decides and signs with the imported certificate.
    const reception = await ctx.login('reception.30502');
    const created = await postIntake(
      ctx.app,
      reception,
      intakeBody({ procedureCode: STAY_NOTICE, components: ['thong_tin_luu_tru'] }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    const me = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;
    expect((await postAction(ctx.app, reception, id, 'assign', { assigneeId: me })).statusCode).toBe(200);
    expect((await postAction(ctx.app, specialist, id, 'approve')).statusCode).toBe(200);
    const signed = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${id}/result/sign`,
      headers: specialist,
      payload: {
        pin: 'ma-pin-2468',
        details: { content: 'Đã tiếp nhận thông báo lưu trú của 02 người tại cơ sở lưu trú Thới Sơn' },
      },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    const bytes = (await ctx.app.inject({ url: `/api/dossiers/${id}/result.pdf`, headers: reception }))
      .rawPayload;
    const poppler = await pdfsig(bytes);
    expect(poppler.match(/Signature is Valid/g)).toHaveLength(2);
    expect(poppler).toContain(`Common Name: ${SPECIALIST_NAME}`);
    const text = (await pdfToText(bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('CÔNG AN PHƯỜNG THỚI SƠN');
    expect(text).toContain('Đã tiếp nhận thông báo lưu trú của 02 người');
  });

  it('has the demo authority issue a certificate with the PIN an officer chooses', async () => {
    const head = await ctx.login('head.30112');
    const short = await ctx.app.inject({
      method: 'POST',
      url: '/api/signing/credential/demo',
      headers: head,
      payload: { pin: '12' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields['body.pin']).toBe('Mã PIN có ít nhất 4 ký tự');
    const reissue = (payload: object) =>
      ctx.app.inject({ method: 'POST', url: '/api/signing/credential/demo', headers: head, payload });
    const first = await reissue({ pin: '1357' });
    expect(first.statusCode, first.body).toBe(201);
    // Now the officer holds a certificate: re-issuing asks for its current PIN.
    const without = await reissue({ pin: '9753' });
    expect(without.statusCode).toBe(400);
    expect(without.json().error.fields['body.currentPin']).toBe(
      'Nhập mã PIN hiện tại để cấp lại chứng thư số',
    );
    const wrong = await reissue({ pin: '9753', currentPin: '000000' });
    expect(wrong.json().error.code).toBe('SIGNING_PIN_WRONG');
    const issued = await reissue({ pin: '9753', currentPin: '1357' });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({
      kind: 'officer',
      subject: expect.stringContaining('CN=Trưởng phòng Xã Mỹ Hiệp'),
    });
    const shown = await ctx.app.inject({ url: '/api/signing/credential', headers: head });
    expect(shown.json().credential.id).toBe(issued.json().id);
  });

  it('never re-issues a locked certificate, even with the right PIN', async () => {
    const head = await ctx.login('head.30112');
    const reissue = (currentPin: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/signing/credential/demo',
        headers: head,
        payload: { pin: '8642', currentPin },
      });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await reissue('000000')).json().error.code);
    expect(codes).toEqual([...Array(4).fill('SIGNING_PIN_WRONG'), 'SIGNING_LOCKED']);
    const locked = await reissue('9753');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('SIGNING_LOCKED');
  });

  it("lets only a commune's centre director (or the province) replace its seal, with the commune's own certificate", async () => {
    const { ca, p12 } = await opensslPki('Ủy ban nhân dân Phường Thới Sơn');
    const person = await opensslPki('Nguyễn Văn Khác');
    for (const authority of [ca, person.ca]) {
      const trusted = await trustAuthority(authority, `CA thử nghiệm ${authority.length}`);
      expect(trusted.statusCode).toBe(201);
    }
    const seal = (bytes: Buffer): Part[] => [
      { name: 'seal.p12', type: 'application/x-pkcs12', bytes },
      { field: 'password', value: 'ma-pin-2468' },
    ];
    for (const who of ['reception.30502', 'admin.30502', 'director.30112']) {
      expect((await postForm('/api/units/30502/seal', await ctx.login(who), seal(p12))).statusCode, who).toBe(
        403,
      );
    }
    const director = await ctx.login('director.30502');
    const personal = await postForm('/api/units/30502/seal', director, seal(person.p12));
    expect(personal.statusCode).toBe(422);
    expect(personal.json().error.message).toContain('không phải của Phường Thới Sơn');
    const replaced = await postForm('/api/units/30502/seal', director, seal(p12));
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect(replaced.json()).toMatchObject({ kind: 'seal', unitCode: '30502' });
  });

  it("refuses someone else's certificate as one's own", async () => {
    const { ca, p12 } = await opensslPki('Lê Thị Người Khác');
    await trustAuthority(ca, 'CA thử nghiệm 3');
    const res = await importOwn(await ctx.login('leader.30112'), p12);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('không cấp cho Lãnh đạo UBND Xã Mỹ Hiệp');
  });
});

describe('the seal passphrase', () => {
  it('is generated once into the data folder, kept, and a damaged one is refused', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await resolveSealPassphrase(undefined, dataDir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await resolveSealPassphrase(undefined, dataDir)).toBe(first);
    expect(await resolveSealPassphrase('from-the-environment-1234', dataDir)).toBe(
      'from-the-environment-1234',
    );
    writeFileSync(path.join(dataDir, 'seal-passphrase'), 'short\n');
    await expect(resolveSealPassphrase(undefined, dataDir)).rejects.toThrow(/no usable seal passphrase/);
  });

  it('tells at start when the seals do not open with the passphrase given', async () => {
    expect(await findSealThatDoesNotOpen(ctx.database.db, TEST_SEAL_PASSPHRASE)).toBeNull();
    expect(await findSealThatDoesNotOpen(ctx.database.db, 'another-passphrase-entirely')).toMatch(/^\d{5}$/);
  });
});
