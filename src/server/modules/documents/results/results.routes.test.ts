import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.ts';
import {
  APPLICANT,
  BIRTH,
  BIRTH_DETAILS,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../../test-support/dossier-helpers.ts';
import { multipart } from '../../../test-support/multipart.ts';
import { pdfPages, pdfsig, pdfToText } from '../../../test-support/pdf-tools.ts';
import { giveStoreConsent, recordVerifiedCitizen } from '../../../test-support/store-consent.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../../../test-support/test-app.ts';
import { TEST_SEAL_PASSPHRASE } from '../../../test-support/test-database.ts';
import { DEMO_SIGNING_PIN } from '../../signing/demo-pki.ts';

const CERTIFIED_COPY = '2.000815';

let ctx: TestContext;
let reception: Headers;
let specialist: Headers;
let head: Headers;
let leader: Headers;
let specialistId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  reception = await ctx.login('reception.30502');
  specialist = await ctx.login('specialist.30502');
  head = await ctx.login('head.30502');
  leader = await ctx.login('leader.30502');
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;
});
afterAll(() => ctx.close());

async function act(who: Headers, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, who, id, action, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A birth registration taken in and walked to the leader's approval. */
async function approvedBirth() {
  const res = await postIntake(
    ctx.app,
    reception,
    intakeBody({ procedureCode: BIRTH, components: ['to_khai', 'giay_chung_sinh'] }),
  );
  expect(res.statusCode, res.body).toBe(201);
  const { id, code } = res.json() as { id: number; code: string };
  await act(reception, id, 'assign', { assigneeId: specialistId });
  await act(specialist, id, 'forward');
  await act(head, id, 'forward');
  const approved = await act(leader, id, 'approve');
  expect(approved.canSignResult).toBe(true);
  return { id, code, version: approved.version as number };
}

/** A certified-copy dossier taken in, its original scanned (when given), walked to the leader's approval. */
async function approvedCertifiedCopy(original?: Buffer) {
  const res = await postIntake(
    ctx.app,
    reception,
    intakeBody({ procedureCode: CERTIFIED_COPY, components: ['ban_chinh'] }),
  );
  expect(res.statusCode, res.body).toBe(201);
  const { id, code } = res.json() as { id: number; code: string };
  if (original) {
    const { payload, contentType } = multipart([
      { name: 'ban-chinh.pdf', type: 'application/pdf', bytes: original },
    ]);
    const scanned = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${id}/components/ban_chinh/documents`,
      headers: { ...reception, 'content-type': contentType },
      payload,
    });
    expect(scanned.statusCode, scanned.body).toBe(201);
  }
  await act(reception, id, 'assign', { assigneeId: specialistId });
  await act(specialist, id, 'forward');
  await act(leader, id, 'approve');
  return { id, code };
}

/** The PIN tests lock the leader's certificate; the other tests sign with it. */
async function unlockCertificates() {
  await ctx.database.db
    .updateTable('signing_credential')
    .set({ failed_pins: 0, locked_until: null })
    .execute();
}

function sign(id: number, body: object, who: Headers = leader, key?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/result/sign`,
    headers: key ? { ...who, 'idempotency-key': key } : who,
    payload: body,
  });
}

function verify(bytes: Buffer) {
  const { payload, contentType } = multipart([{ name: 'ket-qua.pdf', type: 'application/pdf', bytes }]);
  return ctx.app.inject({
    method: 'POST',
    url: '/api/verify',
    headers: { 'content-type': contentType },
    payload,
  });
}

async function resultPdf(id: number, who: Headers = reception) {
  const res = await ctx.app.inject({ url: `/api/dossiers/${id}/result.pdf`, headers: who });
  expect(res.statusCode, res.body).toBe(200);
  return res.rawPayload;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('signed results', () => {
  it("signs with the officer's certificate then the seal; pdfsig and our verifier call both valid, and a changed byte a digest mismatch", async () => {
    const { id, code, version } = await approvedBirth();
    const signed = await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS, version });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({
      code,
      status: 'result_ready',
      statusCode: 9,
      number: expect.stringMatching(/^Số: \d+\/\d{4}\/TLKS$/),
    });

    const bytes = await resultPdf(id);
    const text = flat(await pdfToText(bytes));
    expect(text).toContain('TRÍCH LỤC KHAI SINH');
    expect(text).toContain('NGUYỄN NGỌC HÂN');
    expect(text).toContain(APPLICANT.fullName);
    expect(text).toContain(code);

    const poppler = await pdfsig(bytes);
    expect(poppler.match(/Signature Validation: Signature is Valid/g)).toHaveLength(2);
    expect(poppler).toContain('Signature Type: ETSI.CAdES.detached');
    expect(poppler).toMatch(
      /Signature #1:[\s\S]*Common Name: Lãnh đạo UBND Phường Thới Sơn[\s\S]*Signature #2:[\s\S]*Common Name: Ủy ban nhân dân Phường Thới Sơn/,
    );

    const ours = await verify(bytes);
    expect(ours.statusCode, ours.body).toBe(200);
    const report = ours.json();
    expect(report).toMatchObject({
      valid: true,
      modifiedAfterSigning: false,
      dossierCode: code,
      issuedHere: true,
    });
    expect(report.signatures.map((s: { signer: string }) => s.signer)).toEqual([
      'Lãnh đạo UBND Phường Thới Sơn',
      'Ủy ban nhân dân Phường Thới Sơn',
    ]);
    for (const s of report.signatures) {
      expect(s).toMatchObject({ valid: true, digestMatches: true, certificate: { trusted: true } });
      // Signed at the app's clock (the test clock, ticking from TEST_NOW), within the test's minutes.
      expect(Date.parse(s.signedAt)).toBeGreaterThanOrEqual(TEST_NOW.getTime());
      expect(Date.parse(s.signedAt)).toBeLessThan(TEST_NOW.getTime() + 30 * 60_000);
    }

    // One byte of the page content changed: both signatures cover it.
    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf('stream') + 20;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const popplerTampered = await pdfsig(tampered);
    expect(popplerTampered.match(/Signature Validation: Digest Mismatch/g)).toHaveLength(2);
    const oursTampered = (await verify(tampered)).json();
    expect(oursTampered).toMatchObject({ valid: false, modifiedAfterSigning: true, issuedHere: false });
    expect(oursTampered.signatures.every((s: { digestMatches: boolean }) => !s.digestMatches)).toBe(true);

    // Something appended after the seal: the signatures still cover their bytes, the file has changed.
    const appended = Buffer.concat([bytes, Buffer.from('\n99 0 obj\n<< /Type /Annot >>\nendobj\n')]);
    expect((await verify(appended)).json()).toMatchObject({ valid: false, modifiedAfterSigning: true });
  });

  it('a wrong PIN is refused and audited, changes nothing, and the fifth locks the certificate', async ({
    onTestFinished,
  }) => {
    // The other tests sign with the same certificate.
    onTestFinished(unlockCertificates);
    const { id } = await approvedBirth();
    for (let i = 1; i <= 4; i++) {
      const wrong = await sign(id, { pin: '000000', details: BIRTH_DETAILS });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error).toMatchObject({ code: 'SIGNING_PIN_WRONG' });
      expect(wrong.json().error.message).toContain(`Còn ${5 - i} lần thử`);
    }
    const fifth = await sign(id, { pin: '000000', details: BIRTH_DETAILS });
    expect(fifth.statusCode).toBe(423);
    const locked = await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('SIGNING_LOCKED');

    const audits = await ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'signing.pin_wrong')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.details.failed)).toEqual([1, 2, 3, 4, 5]);
    const dossier = await ctx.app.inject({ url: `/api/dossiers/${id}`, headers: reception });
    expect(dossier.json().status).toBe('approved');
    const issued = await ctx.database.db
      .selectFrom('result_issue')
      .select('document_id')
      .where('dossier_id', '=', id)
      .execute();
    expect(issued).toEqual([]);
    await ctx.database.db
      .updateTable('signing_credential')
      .set({ failed_pins: 0, locked_until: null })
      .execute();
  });

  it('refuses a dossier not yet approved (409), another commune (404), a role that does not sign (403), missing details (400)', async () => {
    const res = await postIntake(
      ctx.app,
      reception,
      intakeBody({ procedureCode: BIRTH, components: ['to_khai', 'giay_chung_sinh'] }),
    );
    const { id } = res.json();
    const early = await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { state: 'received' } });

    const approved = await approvedBirth();
    const foreign = await sign(
      approved.id,
      { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS },
      await ctx.login('leader.30112'),
    );
    expect(foreign.statusCode).toBe(404);
    const notSigner = await sign(approved.id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS }, head);
    expect(notSigner.statusCode).toBe(403);
    const missing = await sign(approved.id, { pin: DEMO_SIGNING_PIN, details: { childSex: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toMatchObject({
      'body.details.childName': 'Vui lòng nhập họ, chữ đệm và tên của trẻ',
      'body.details.childSex': 'Giới tính của trẻ: nam hoặc nữ',
    });
    const noPin = await sign(approved.id, { details: BIRTH_DETAILS });
    expect(noPin.statusCode).toBe(400);
    expect(noPin.json().error.fields).toHaveProperty('body.pin');
    const noResult = await ctx.app.inject({
      url: `/api/dossiers/${approved.id}/result.pdf`,
      headers: reception,
    });
    expect(noResult.statusCode).toBe(404);
    expect(noResult.json().error.code).toBe('RESULT_NOT_FOUND');
  });

  it("a result joins the citizen's store, and a later dossier reuses it without a new upload", async () => {
    const { id } = await approvedBirth();
    const signed = (await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS })).json();
    // A household registration of the same citizen takes the birth extract as a paper it needs, with
    // the citizen's consent for that dossier.
    const next = (await postIntake(ctx.app, reception, intakeBody())).json();
    await recordVerifiedCitizen(ctx, APPLICANT.citizenId);
    await giveStoreConsent(ctx, reception, next.id);
    const store = await ctx.app.inject({
      url: `/api/dossiers/${next.id}/applicant-store?pageSize=100`,
      headers: reception,
    });
    const inStore = store.json().items.find((d: { id: number }) => d.id === signed.documentId);
    expect(inStore).toMatchObject({ isResult: true, sha256: signed.sha256 });

    const reused = await ctx.app.inject({
      method: 'POST',
      url: `/api/dossiers/${next.id}/components/giay_de_nghi/reuse`,
      headers: reception,
      payload: { documentId: signed.documentId },
    });
    expect(reused.statusCode, reused.body).toBe(201);
    expect(reused.json()).toMatchObject({
      digitization: 'reused_result',
      reusedFrom: signed.documentId,
      sha256: signed.sha256,
    });
    const listed = await ctx.app.inject({ url: `/api/dossiers/${next.id}/documents`, headers: reception });
    const component = listed.json().components.find((c: { key: string }) => c.key === 'giay_de_nghi');
    expect(component.digitization).toBe('reused_result');
    const files = await ctx.database.db
      .selectFrom('stored_file')
      .select('sha256')
      .where('sha256', '=', signed.sha256)
      .execute();
    expect(files).toHaveLength(1);
  });

  it("only the competent commune's officer signs, under its own seal", async () => {
    // Received in Nùng Trí Cao, decided by Tân Giang (same province): routed to Tân Giang's officers.
    const counter = await ctx.login('reception.01279');
    const res = await postIntake(
      ctx.app,
      counter,
      intakeBody({
        procedureCode: BIRTH,
        components: ['to_khai', 'giay_chung_sinh'],
        competentUnitCode: '01288',
        applicant: { ...APPLICANT, citizenId: '004085000321', addressCommuneCode: '01279' },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json();
    const sp = await ctx.login('specialist.01288');
    const spId = (await ctx.app.inject({ url: '/api/auth/me', headers: sp })).json().user.id;
    await act(counter, id, 'assign', { assigneeId: spId });
    await act(sp, id, 'forward');
    await act(await ctx.login('head.01288'), id, 'forward');
    const competentLeader = await ctx.login('leader.01288');
    await act(competentLeader, id, 'approve');
    const refused = await sign(
      id,
      { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS },
      await ctx.login('leader.01279'),
    );
    expect(refused.statusCode).toBe(403);
    const competent = await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS }, competentLeader);
    expect(competent.statusCode, competent.body).toBe(201);
    const poppler = await pdfsig(await resultPdf(id, counter));
    expect(poppler).toMatch(
      /Common Name: Lãnh đạo UBND Phường Tân Giang[\s\S]*Common Name: Ủy ban nhân dân Phường Tân Giang/,
    );
  });

  it('parallel guesses of the PIN are all counted: none gets past the lock', async ({ onTestFinished }) => {
    onTestFinished(unlockCertificates);
    const { id } = await approvedBirth();
    const audited = async () =>
      (
        await ctx.database.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'signing.pin_wrong')
          .execute()
      ).length;
    const before = await audited();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sign(id, { pin: `99${String(i).padStart(4, '0')}`, details: BIRTH_DETAILS }),
      ),
    );
    const codes = answers.map((a) => a.json().error.code);
    // The credential row is locked while each PIN is tried: four refusals, then the lock for the rest.
    expect(codes.filter((c) => c === 'SIGNING_PIN_WRONG')).toHaveLength(4);
    expect(codes.filter((c) => c === 'SIGNING_LOCKED')).toHaveLength(8);
    expect((await audited()) - before).toBe(5);
    const right = await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS });
    expect(right.statusCode).toBe(423);
  });

  it('a certified copy of a signed original carries none of its stale signatures', async () => {
    const first = await approvedBirth();
    await sign(first.id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS });
    const signedOriginal = await resultPdf(first.id);
    const { id } = await approvedCertifiedCopy(signedOriginal);
    expect((await sign(id, { pin: DEMO_SIGNING_PIN, details: {} })).statusCode).toBe(201);
    const copy = await resultPdf(id);
    const report = (await verify(copy)).json();
    expect(report).toMatchObject({ valid: true, modifiedAfterSigning: false });
    expect(report.signatures).toHaveLength(2);
    expect(flat(await pdfToText(copy))).toContain('NGUYỄN NGỌC HÂN');
  });

  it('a retried signing with the same Idempotency-Key signs once', async () => {
    const { id } = await approvedBirth();
    const body = { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS };
    const [a, b] = await Promise.all([
      sign(id, body, leader, 'ky-ket-qua-0001'),
      sign(id, body, leader, 'ky-ket-qua-0001'),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().documentId).toBe(a.json().documentId);
    const issued = await ctx.database.db
      .selectFrom('result_issue')
      .select('number')
      .where('dossier_id', '=', id)
      .execute();
    expect(issued).toHaveLength(1);
  });

  it('issues an electronic certified copy: the scanned original, the certification, a number in the book', async () => {
    const original = await PDFDocument.create();
    original.setTitle('Bằng tốt nghiệp trung học phổ thông');
    original.addPage([595, 842]).drawText('BANG TOT NGHIEP THPT - SO 0123456', { x: 50, y: 700, size: 14 });
    const originalBytes = Buffer.from(await original.save());
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { id, code } = await approvedCertifiedCopy(originalBytes);
      const signed = await sign(id, {
        pin: DEMO_SIGNING_PIN,
        details: { copies: 2, originalName: 'Bằng tốt nghiệp THPT' },
      });
      expect(signed.statusCode, signed.body).toBe(201);
      numbers.push(signed.json().number);
      const bytes = await resultPdf(id);
      expect(await pdfPages(bytes)).toBe(2);
      const text = flat(await pdfToText(bytes));
      expect(text).toContain('BANG TOT NGHIEP THPT - SO 0123456');
      expect(text).toContain('LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC');
      expect(text).toContain(`đúng với bản chính "Bằng tốt nghiệp THPT" do Ông/Bà ${APPLICANT.fullName}`);
      expect(text).toContain(code);
      expect((await pdfsig(bytes)).match(/Signature is Valid/g)).toHaveLength(2);
    }
    const [first, second] = numbers.map((n) => Number(/Số chứng thực: (\d+)/.exec(n)?.[1]));
    expect(second).toBe((first as number) + 1);
  });

  it('refuses a certified copy until the original is scanned', async () => {
    const { id } = await approvedCertifiedCopy();
    const refused = await sign(id, { pin: DEMO_SIGNING_PIN, details: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields['body.details.documentId']).toContain('quét (số hóa) bản chính');
  });

  it('the demo has returned dossiers whose results carry both signatures, and their QR page verifies them', async () => {
    const returned = await ctx.database.db
      .selectFrom('dossier')
      .innerJoin('result_issue', 'result_issue.dossier_id', 'dossier.id')
      .select(['dossier.id', 'dossier.code'])
      .where('dossier.state', '=', 'returned')
      .where('dossier.receiving_unit_code', '=', '30502')
      .executeTakeFirstOrThrow();
    const bytes = await resultPdf(returned.id);
    expect((await pdfsig(bytes)).match(/Signature is Valid/g)).toHaveLength(2);
    expect((await verify(bytes)).json()).toMatchObject({ valid: true, dossierCode: returned.code });

    const page = await ctx.app.inject({ url: `/verify/${returned.code}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Văn bản hợp lệ');
    expect(page.body).toContain('Ủy ban nhân dân Phường Thới Sơn');
    expect(page.body).not.toContain(APPLICANT.citizenId);

    // Production (demo off) does not trust the demo authority: the same file is intact but not trusted.
    const production = await buildApp({
      database: ctx.database,
      fileStore: ctx.database.files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      demo: false,
    });
    const { payload, contentType } = multipart([{ name: 'kq.pdf', type: 'application/pdf', bytes }]);
    const untrusted = (
      await production.inject({
        method: 'POST',
        url: '/api/verify',
        headers: { 'content-type': contentType },
        payload,
      })
    ).json();
    await production.close();
    expect(untrusted).toMatchObject({ valid: false, modifiedAfterSigning: false });
    expect(
      untrusted.signatures.map((s: { valid: boolean; certificate: { trusted: boolean } }) => [
        s.valid,
        s.certificate.trusted,
      ]),
    ).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('the public page takes an upload and names a file that is not a PDF', async () => {
    const { id } = await approvedBirth();
    await sign(id, { pin: DEMO_SIGNING_PIN, details: BIRTH_DETAILS });
    const bytes = await resultPdf(id);
    const { payload, contentType } = multipart([{ name: 'kq.pdf', type: 'application/pdf', bytes }]);
    const page = await ctx.app.inject({
      method: 'POST',
      url: '/verify',
      headers: { 'content-type': contentType },
      payload,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Văn bản hợp lệ');
    const html = multipart([
      { name: 'kq.pdf', type: 'application/pdf', bytes: Buffer.from('<html>not a pdf</html>') },
    ]);
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { 'content-type': html.contentType },
      payload: html.payload,
    });
    expect(bad.statusCode).toBe(415);
    const badPage = await ctx.app.inject({
      method: 'POST',
      url: '/verify',
      headers: { 'content-type': html.contentType },
      payload: html.payload,
    });
    expect(badPage.statusCode).toBe(400);
    expect(badPage.body).toContain('không phải tệp PDF');
    const unsigned = await PDFDocument.create();
    unsigned.addPage();
    const plain = (await verify(Buffer.from(await unsigned.save()))).json();
    expect(plain).toMatchObject({ valid: false, modifiedAfterSigning: false, signatures: [] });
  });
});
