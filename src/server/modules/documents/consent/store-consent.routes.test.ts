import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICANT,
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../../test-support/dossier-helpers.ts';
import { multipart } from '../../../test-support/multipart.ts';
import { createTestContext, type TestContext } from '../../../test-support/test-app.ts';
import { signInCitizen, startTestVneid } from '../../../test-support/vneid.ts';
import { createHttpSmsSender } from '../../citizens/messages/http-sms-sender.ts';
import { createDevelopmentCodeSender } from '../../citizens/messages/one-time-code-sender.ts';

/** Nguyễn Văn An, level 2 in the development VNeID: VNeID vouches for 0912000456. */
const AN = { ...APPLICANT, citizenId: '089085000456', dateOfBirth: '1985-06-15' };
/** Trần Thị Bình, level 2, another citizen. */
const BINH = {
  ...APPLICANT,
  citizenId: '089190000789',
  fullName: 'Trần Thị Bình',
  dateOfBirth: '1990-02-20',
};
const TOKEN = 'gateway-token-for-tests';

const clock = createClock('2026-11-24T09:00:00+07:00'); // a Tuesday
const minutes = (n: number) => n * 60_000;
function advance(ms: number) {
  clock.set(new Date(clock.now().getTime() + ms).toISOString());
}

/** A real HTTP SMS gateway on this machine: it records what it is sent and fails when told to. */
type Mode = 'ok' | 'error' | 'hang';
let gateway: Server;
let mode: Mode = 'ok';
const received: { authorization: string | undefined; to: string; text: string }[] = [];

let ctx: TestContext;
let vneid: Awaited<ReturnType<typeof startTestVneid>>;
let reception: Headers;
let foreignReception: Headers;
let volunteer: Headers;
let province: Headers;
let an: Headers;
let binh: Headers;
let original: { id: number; sha256: string }; // An's paper in an earlier dossier

beforeAll(async () => {
  gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      received.push({ authorization: req.headers.authorization, ...body });
      if (mode === 'hang') return; // never answers
      res.writeHead(mode === 'error' ? 500 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify(mode === 'error' ? { error: 'queue down' } : { id: 'm-1' }));
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const { port } = gateway.address() as AddressInfo;
  vneid = await startTestVneid();
  ctx = await createTestContext({
    now: clock.now,
    vneid: vneid.client,
    codeSender: createHttpSmsSender({ url: `http://127.0.0.1:${port}/send`, token: TOKEN, timeoutMs: 400 }),
  });
  reception = await ctx.login('reception.30502');
  foreignReception = await ctx.login('reception.30112');
  volunteer = await ctx.login('volunteer.30502');
  province = await ctx.login('province.91');
  // Signing in with VNeID records the phone it vouches for.
  const a = await signInCitizen(ctx.app, 'dev-citizen-l2-an');
  const b = await signInCitizen(ctx.app, 'dev-citizen-l2-binh');
  if (!a.headers || !b.headers) throw new Error('sign-in failed');
  an = a.headers;
  binh = b.headers;

  const earlier = await intake(AN);
  const doc = await PDFDocument.create();
  doc.addPage();
  const { payload, contentType } = multipart([
    { name: 'giay-cu.pdf', type: 'application/pdf', bytes: Buffer.from(await doc.save()) },
  ]);
  const up = await ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${earlier.id}/components/giay_de_nghi/documents`,
    headers: { ...reception, 'content-type': contentType },
    payload,
  });
  expect(up.statusCode, up.body).toBe(201);
  original = up.json();
});
afterAll(async () => {
  await ctx?.close();
  await vneid?.close();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});

async function intake(applicant: typeof APPLICANT, headers = reception) {
  const res = await postIntake(ctx.app, headers, intakeBody({ applicant }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string };
}

function ask(id: number, channel: 'sms' | 'portal' = 'sms', headers = reception) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/store-consent`,
    headers,
    payload: { channel },
  });
}

function confirm(id: number, code: string, headers = reception) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/store-consent/confirm`,
    headers,
    payload: { code },
  });
}

function listStore(id: number, headers = reception) {
  return ctx.app.inject({ url: `/api/dossiers/${id}/applicant-store`, headers });
}

function reuse(id: number, documentId: number) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${id}/components/giay_de_nghi/reuse`,
    headers: reception,
    payload: { documentId },
  });
}

/** The code in the last SMS the gateway took. */
function lastCode() {
  const text = received.at(-1)?.text ?? '';
  const code = /ma xac nhan (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in ${text}`);
  return code;
}

function wrong(code: string) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function auditOf(dossierId: number) {
  return ctx.database.db
    .selectFrom('audit_log')
    .select(['action', 'details', 'actor_id'])
    .where('entity', '=', 'dossier')
    .where('entity_id', '=', String(dossierId))
    .where('action', 'like', 'store.consent.%')
    .orderBy('id')
    .execute();
}

describe("a citizen's store without their consent", () => {
  it('is closed: 403 STORE_CONSENT_REQUIRED for the list, the older route, a reuse and a look', async () => {
    const dossier = await intake(AN);
    // Before the fix both answered: 200 with the store, 201 with the paper taken.
    const older = await ctx.app.inject({
      url: `/api/citizens/${AN.citizenId}/documents?dossierId=${dossier.id}`,
      headers: reception,
    });
    expect(older.statusCode).toBe(403);
    expect(older.json().error.code).toBe('STORE_CONSENT_REQUIRED');
    const taken = await reuse(dossier.id, original.id);
    expect(taken.statusCode).toBe(403);
    expect(taken.json().error.code).toBe('STORE_CONSENT_REQUIRED');

    const list = await listStore(dossier.id);
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe('STORE_CONSENT_REQUIRED');
    expect(list.json().error.message).toContain('Xin phép công dân');
    // Without a dossier the older route says which field is missing.
    const bare = await ctx.app.inject({ url: `/api/citizens/${AN.citizenId}/documents`, headers: reception });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.fields.dossierId).toContain('hồ sơ');

    // Whether a paper exists is not told either.
    expect((await reuse(dossier.id, 999_999)).json().error.code).toBe('STORE_CONSENT_REQUIRED');
    const look = await ctx.app.inject({
      url: `/api/dossiers/${dossier.id}/applicant-store/${original.id}/file`,
      headers: reception,
    });
    expect(look.statusCode).toBe(403);
    const reads = await ctx.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'citizen.store.read')
      .where('entity_id', '=', AN.citizenId)
      .execute();
    expect(reads).toHaveLength(0);
  });
});

describe('consent by a code sent to the phone VNeID vouches for', () => {
  it('opens the applicant store for that dossier only, and every step is audited', async () => {
    const dossier = await intake(AN);
    const sent = received.length;
    const asked = await ask(dossier.id);
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({
      demoCode: null,
      pending: { channel: 'sms', sentTo: '•••••••456', answerBy: '2026-11-24T02:10:00.000Z' },
    });
    expect(received).toHaveLength(sent + 1);
    const sms = received.at(-1);
    expect(sms?.to).toBe('0912000456');
    expect(sms?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sms?.text).toContain(dossier.code);
    const code = lastCode();
    // Hashed at rest.
    const row = await ctx.database.db
      .selectFrom('store_consent')
      .selectAll()
      .where('dossier_id', '=', dossier.id)
      .executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    expect(row.code_hash).toMatch(/^[0-9a-f]{32}\$[0-9a-f]{64}$/);

    const bad = await confirm(dossier.id, wrong(code));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'CONSENT_CODE_WRONG', details: { triesLeft: 4 } });
    expect(bad.json().error.message).toBe('Mã xác nhận không đúng. Còn 4 lần thử.');
    const malformed = await confirm(dossier.id, '12ab');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.fields['body.code']).toBe('Mã xác nhận gồm 6 chữ số');

    const ok = await confirm(dossier.id, code);
    expect(ok.statusCode, ok.body).toBe(200);
    // 24 hours from the answer.
    expect(ok.json().grant).toMatchObject({ channel: 'sms', expiresAt: '2026-11-25T02:00:00.000Z' });
    const status = await ctx.app.inject({
      url: `/api/dossiers/${dossier.id}/store-consent`,
      headers: reception,
    });
    expect(status.json()).toMatchObject({ grant: { id: ok.json().grant.id }, pending: null });

    const list = await listStore(dossier.id);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((d: { id: number }) => d.id)).toContain(original.id);
    const look = await ctx.app.inject({
      url: `/api/dossiers/${dossier.id}/applicant-store/${original.id}/file`,
      headers: reception,
    });
    expect(look.statusCode).toBe(200);
    expect(look.headers['content-type']).toBe('application/pdf');
    const taken = await reuse(dossier.id, original.id);
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toMatchObject({ digitization: 'reused', reusedFrom: original.id });
    // The copy now belongs to the dossier and is read like its other papers.
    const copy = await ctx.app.inject({ url: `/api/documents/${taken.json().id}/file`, headers: reception });
    expect(copy.statusCode).toBe(200);

    // Not for another dossier of the same citizen, nor for another citizen's dossier.
    const sameCitizen = await intake(AN);
    expect((await listStore(sameCitizen.id)).statusCode).toBe(403);
    expect((await reuse(sameCitizen.id, original.id)).statusCode).toBe(403);
    const other = await intake(BINH);
    expect((await listStore(other.id)).statusCode).toBe(403);
    // Nor another citizen's store through the granted dossier.
    const sideways = await ctx.app.inject({
      url: `/api/citizens/${BINH.citizenId}/documents?dossierId=${dossier.id}`,
      headers: reception,
    });
    expect(sideways.statusCode).toBe(403);
    expect(sideways.json().error.fields).toHaveProperty('citizenId');
    // Nor an officer of another commune (the dossier is not theirs), nor a volunteer.
    expect((await listStore(dossier.id, foreignReception)).statusCode).toBe(404);
    expect((await listStore(dossier.id, volunteer)).statusCode).toBe(403);

    const steps = await auditOf(dossier.id);
    expect(steps.map((s) => [s.action, (s.details as { reason?: string }).reason ?? null])).toEqual([
      ['store.consent.request', null],
      ['store.consent.fail', 'wrong_code'],
      ['store.consent.grant', null],
    ]);
    expect(steps[0]?.details).toMatchObject({ code: dossier.code, channel: 'sms', phone: '•••••••456' });
    // The full number is in no audit entry.
    const all = await ctx.database.db.selectFrom('audit_log').select('details').execute();
    expect(JSON.stringify(all)).not.toContain('0912000456');
    const grantId = ok.json().grant.id;
    const uses = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', ['citizen.store.read', 'citizen.store.download', 'document.reuse'])
      .execute();
    const underGrant = uses.filter((u) => (u.details as { consent?: number }).consent === grantId);
    expect(underGrant.map((u) => u.action).sort()).toEqual([
      'citizen.store.download',
      'citizen.store.read',
      'document.reuse',
    ]);
  });

  it('voids a code after 5 wrong tries, and a new code works', async () => {
    const dossier = await intake(AN);
    await ask(dossier.id);
    const code = lastCode();
    for (let i = 1; i <= 4; i++) {
      const res = await confirm(dossier.id, wrong(code));
      expect(res.json().error).toMatchObject({ code: 'CONSENT_CODE_WRONG', details: { triesLeft: 5 - i } });
    }
    const fifth = await confirm(dossier.id, wrong(code));
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe('CONSENT_TOO_MANY_TRIES');
    expect(fifth.json().error.message).toContain('gửi mã mới');
    // Even the right code is no use now.
    const late = await confirm(dossier.id, code);
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('CONSENT_CODE_EXPIRED');
    expect((await listStore(dossier.id)).statusCode).toBe(403);

    await ask(dossier.id);
    expect((await confirm(dossier.id, lastCode())).statusCode).toBe(200);
    expect((await listStore(dossier.id)).statusCode).toBe(200);
  });

  it('replaces an earlier code with a new one, and limits requests per dossier', async () => {
    const dossier = await intake(AN);
    await ask(dossier.id);
    const first = lastCode();
    await ask(dossier.id);
    const second = lastCode();
    if (first !== second) {
      expect((await confirm(dossier.id, first)).json().error.code).toBe('CONSENT_CODE_WRONG');
    }
    await ask(dossier.id);
    const fourth = await ask(dossier.id);
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.code).toBe('CONSENT_TOO_MANY_REQUESTS');
    expect(fourth.json().error.message).toContain('10 phút');
    advance(minutes(11));
    expect((await ask(dossier.id)).statusCode).toBe(201);
  });

  it('lets a code expire after 10 minutes and a grant after 24 hours (pinned clock)', async () => {
    const dossier = await intake(AN);
    await ask(dossier.id);
    advance(minutes(10) + 1000);
    const expired = await confirm(dossier.id, lastCode());
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.message).toBe(
      'Mã xác nhận đã hết hạn hoặc chưa được gửi. Hãy gửi mã mới cho công dân.',
    );
    expect((await auditOf(dossier.id)).at(-1)?.details).toMatchObject({ reason: 'expired' });

    await ask(dossier.id);
    expect((await confirm(dossier.id, lastCode())).statusCode).toBe(200);
    advance(minutes(24 * 60 - 1));
    expect((await listStore(dossier.id)).statusCode).toBe(200);
    advance(minutes(2));
    const over = await listStore(dossier.id);
    expect(over.statusCode).toBe(403);
    expect(over.json().error.code).toBe('STORE_CONSENT_REQUIRED');
  });

  it('ends the grant when the dossier ends', async () => {
    const dossier = await intake(AN);
    await ask(dossier.id);
    expect((await confirm(dossier.id, lastCode())).statusCode).toBe(200);
    expect((await listStore(dossier.id)).statusCode).toBe(200);
    const withdrawn = await postAction(ctx.app, reception, dossier.id, 'withdraw', {
      reason: 'Công dân xin rút hồ sơ',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const after = await listStore(dossier.id);
    expect(after.statusCode).toBe(403);
    expect(after.json().error.code).toBe('STORE_CONSENT_REQUIRED');
    const status = await ctx.app.inject({
      url: `/api/dossiers/${dossier.id}/store-consent`,
      headers: reception,
    });
    expect(status.json()).toEqual({ grant: null, pending: null });
    expect((await ask(dossier.id)).statusCode).toBe(409);
  });

  it('answers 502 / 503 in Vietnamese when the gateway fails or does not answer, and grants nothing', async () => {
    const dossier = await intake(AN);
    mode = 'error';
    try {
      const failed = await ask(dossier.id);
      expect(failed.statusCode).toBe(502);
      expect(failed.json().error.code).toBe('SMS_GATEWAY_FAILED');
      expect(failed.json().error.message).toContain('chưa gửi được mã');
      // The code the gateway refused does not work.
      const refusedCode = lastCode();
      expect((await confirm(dossier.id, refusedCode)).json().error.code).toBe('CONSENT_CODE_EXPIRED');
      mode = 'hang';
      const silent = await ask(dossier.id);
      expect(silent.statusCode).toBe(503);
      expect(silent.json().error.code).toBe('SMS_GATEWAY_UNAVAILABLE');
      expect(silent.json().error.message).toContain('Không kết nối được cổng tin nhắn SMS');
    } finally {
      mode = 'ok';
    }
    expect((await listStore(dossier.id)).statusCode).toBe(403);
    const rows = await ctx.database.db
      .selectFrom('store_consent')
      .select('status')
      .where('dossier_id', '=', dossier.id)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
    const fails = (await auditOf(dossier.id)).filter((s) => s.action === 'store.consent.fail');
    expect(fails.map((f) => (f.details as { reason: string }).reason)).toEqual([
      'SMS_GATEWAY_FAILED',
      'SMS_GATEWAY_UNAVAILABLE',
    ]);
  });

  it('needs a phone VNeID vouches for: a citizen who never signed in gets none (422)', async () => {
    const dossier = await intake(APPLICANT);
    const res = await ask(dossier.id);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CONSENT_NO_PHONE');
    expect(res.json().error.message).toContain('Cổng dịch vụ công');
  });

  it('is asked only by officers who may act on the dossier', async () => {
    const dossier = await intake(AN);
    expect((await ask(dossier.id, 'sms', foreignReception)).statusCode).toBe(404);
    // A volunteer sees only the dossiers they filed; the province reads but does not act.
    expect((await ask(dossier.id, 'sms', volunteer)).statusCode).toBe(404);
    expect((await ask(dossier.id, 'sms', province)).statusCode).toBe(403);
    expect((await ask(dossier.id, 'sms', {})).statusCode).toBe(401);
  });
});

describe("consent in the citizen's own VNeID session", () => {
  it('shows the counter request to the applicant only, who approves it: the store opens', async () => {
    const dossier = await intake(AN);
    const sent = received.length;
    const asked = await ask(dossier.id, 'portal');
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().pending).toMatchObject({ channel: 'portal', sentTo: null });
    expect(received).toHaveLength(sent); // no SMS

    const mine = await ctx.app.inject({ url: '/api/citizen/store-consents', headers: an });
    expect(mine.statusCode).toBe(200);
    const request = mine.json().items.find((r: { dossierId: number }) => r.dossierId === dossier.id);
    expect(request).toMatchObject({ dossierCode: dossier.code });
    expect(request.unitName).toMatch(/Thới Sơn/);
    const theirs = await ctx.app.inject({ url: '/api/citizen/store-consents', headers: binh });
    expect(theirs.json().items.some((r: { id: number }) => r.id === request.id)).toBe(false);
    const stolen = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/store-consents/${request.id}/approve`,
      headers: binh,
    });
    expect(stolen.statusCode).toBe(404);
    expect((await listStore(dossier.id)).statusCode).toBe(403);

    // On a browser where an officer is signed in too (the counter's PC): the citizen's token counts.
    const approved = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/store-consents/${request.id}/approve`,
      headers: { ...an, cookie: `${reception.cookie}; ${an.cookie}` },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('granted');
    expect((await listStore(dossier.id)).statusCode).toBe(200);
    expect((await reuse(dossier.id, original.id)).statusCode).toBe(201);
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/store-consents/${request.id}/approve`,
      headers: an,
    });
    expect(again.statusCode).toBe(404);
    const grant = (await auditOf(dossier.id)).find((s) => s.action === 'store.consent.grant');
    expect(grant?.actor_id).toBeNull();
    expect(grant?.details).toMatchObject({ channel: 'portal', code: dossier.code });
  });

  it('lets the citizen decline: the store stays closed', async () => {
    const dossier = await intake(AN);
    const asked = await ask(dossier.id, 'portal');
    const declined = await ctx.app.inject({
      method: 'POST',
      url: `/api/citizen/store-consents/${asked.json().pending.id}/decline`,
      headers: an,
    });
    expect(declined.json()).toEqual({ status: 'declined', expiresAt: null });
    expect((await listStore(dossier.id)).statusCode).toBe(403);
    expect((await auditOf(dossier.id)).map((s) => s.action)).toEqual([
      'store.consent.request',
      'store.consent.decline',
    ]);
  });
});

describe('the development sender', () => {
  it('shows the code only in demo mode; outside it (MOTCUA_DEMO=false) it sends nothing and says so', async () => {
    const message = { channel: 'sms' as const, to: '0912000456', code: '123456', text: 'x' };
    await expect(createDevelopmentCodeSender({ demo: true }).send(message)).resolves.toEqual({
      shownCode: '123456',
    });
    await expect(createDevelopmentCodeSender({ demo: false }).send(message)).rejects.toMatchObject({
      code: 'SMS_GATEWAY_UNAVAILABLE',
    });
  });
});
