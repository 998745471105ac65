import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smsSegments, TEMPLATES } from '../../../core/notifications/templates.ts';
import {
  APPLICANT,
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../test-support/dossier-helpers.ts';
import { startSmsServer, startSmtpServer, startZnsServer } from '../../test-support/message-servers.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';
import { createHttpSmsClient, createSmtpClient, createZnsClient } from './providers.ts';

const TOKEN = 'oa-access-token-test';
const SMS_KEY = 'sms-api-key-test';
const ZALO = { appId: 'app-123', secret: 'oa-secret-test' };
const PUBLIC_URL = 'https://motcua.angiang.gov.vn';
const START = '2026-11-23T08:00:00+07:00'; // a Monday
const clock = createClock(START);
let minutes = 0;
/** Later on the pinned clock (the job runner's backoff waits for it). */
const later = (m = 1) => {
  minutes += m;
  clock.set(new Date(Date.parse(START) + minutes * 60_000).toISOString());
};

let zns: Awaited<ReturnType<typeof startZnsServer>>;
let sms: Awaited<ReturnType<typeof startSmsServer>>;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let ctx: TestContext;
let reception: Headers;
let leader: Headers;

beforeAll(async () => {
  [zns, sms, smtp] = await Promise.all([startZnsServer(TOKEN), startSmsServer(SMS_KEY), startSmtpServer()]);
  ctx = await createTestContext({
    now: clock.now,
    publicUrl: PUBLIC_URL,
    notificationProviders: {
      kind: 'http',
      zalo: createZnsClient({ url: zns.url, accessToken: TOKEN, timeoutMs: 400 }),
      sms: createHttpSmsClient({ url: sms.url, apiKey: SMS_KEY, timeoutMs: 400 }),
      email: createSmtpClient({ url: smtp.url, from: 'Một cửa <motcua@angiang.gov.vn>', timeoutMs: 2000 }),
    },
    callbackSecrets: { zalo: ZALO, sms: { key: SMS_KEY } },
  });
  reception = await ctx.login('reception.30502');
  leader = await ctx.login('leader.30502');
});
afterAll(async () => {
  await ctx?.close();
  await Promise.all([zns?.close(), sms?.close(), smtp?.close()]);
});
beforeEach(() => {
  zns.faults.length = 0;
  sms.faults.length = 0;
  zns.codes.clear();
});

let phoneSeq = 0;
/** A fresh mobile number per test (the servers keep what each number received). */
const freshPhone = () => `0912${String(300000 + ++phoneSeq).padStart(6, '0')}`;
const as84 = (phone: string) => `84${phone.slice(1)}`;
/** dd/mm/yyyy of an ISO instant in Vietnam time (the answers carry +07:00). */
const dayFirstOf = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/');

async function intake(applicant: Record<string, unknown> = {}) {
  const res = await postIntake(ctx.app, reception, intakeBody({ applicant: { ...APPLICANT, ...applicant } }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string; dueAt: string };
}

async function messages(id: number) {
  const res = await ctx.app.inject({ url: `/api/dossiers/${id}/notifications`, headers: reception });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as {
    id: number;
    event: string;
    channel: string;
    recipient: string;
    status: string;
    attempts: number;
    error: string | null;
    fallbackOf: number | null;
  }[];
}

/** Runs the job runner until nothing is due now (each pass claims what is due at the pinned time). */
async function drain() {
  for (let i = 0; i < 20 && (await ctx.app.jobs.runOnce()) > 0; i++);
}

const toCitizen = (phone: string) => zns.delivered().filter((m) => m.phone === as84(phone));
const smsTo = (phone: string) => sms.delivered().filter((m) => m.to === as84(phone));

describe('messages to citizens', () => {
  it('a counter intake sends one Zalo message and one e-mail: code, appointment date, tracking link', async () => {
    const phone = freshPhone();
    const { id, code, dueAt } = await intake({ phone, email: 'duc.nguyen@example.vn' });
    // The intent is recorded in the intake's transaction, before any provider is called.
    expect((await messages(id)).map((m) => [m.channel, m.status])).toEqual([
      ['zalo', 'pending'],
      ['email', 'pending'],
    ]);
    await drain();
    const [zalo] = toCitizen(phone);
    expect(toCitizen(phone)).toHaveLength(1);
    expect(zalo?.template_id).toBe('MOTCUA_RECEIVED_V1');
    expect(zalo?.template_data).toMatchObject({
      ma_ho_so: code,
      ngay_hen: dayFirstOf(dueAt),
      tra_cuu: `${PUBLIC_URL}/track/${code}`,
    });
    const mail = smtp.mails.find((m) => m.to.includes('duc.nguyen@example.vn') && m.raw.includes(code));
    expect(mail?.raw).toContain(`Message-ID: <motcua-d${id}-v1-email@motcua>`);
    const list = await messages(id);
    expect(list.map((m) => [m.channel, m.status, m.attempts])).toEqual([
      ['zalo', 'sent', 1],
      ['email', 'sent', 1],
    ]);
    // Staff see the recipient masked: the last three digits, the first letter and the domain.
    expect(list[0]?.recipient).toBe(`********${phone.slice(-3)}`);
    expect(list[1]?.recipient).toBe('d***@example.vn');
  });

  it('"not a Zalo user" (-118) or no quota (-115) falls back to one SMS without diacritics, in one segment', async () => {
    for (const code of [-118, -115]) {
      const phone = freshPhone();
      zns.codes.set(as84(phone), code);
      const { id, code: dossierCode, dueAt } = await intake({ phone });
      await drain();
      expect(toCitizen(phone)).toEqual([]);
      const texts = smsTo(phone).map((m) => m.text);
      expect(texts).toEqual([
        `Ho so ${dossierCode} da duoc tiep nhan. Hen tra ${dayFirstOf(dueAt)}. Tra cuu: ${PUBLIC_URL}/track/${dossierCode}`,
      ]);
      expect(smsSegments(texts[0] ?? '')).toBe(1);
      const list = await messages(id);
      expect(list.map((m) => [m.channel, m.status, m.error])).toEqual([
        ['zalo', 'failed', `zns ${code}`],
        ['sms', 'sent', null],
      ]);
      expect(list[1]?.fallbackOf).toBe(list[0]?.id);
    }
  });

  it('a lost answer, a timeout or a 5xx is retried with the same tracking id: exactly one message arrives', async () => {
    const phone = freshPhone();
    zns.fail('drop-after-accept', 'slow', 'http500');
    const { id } = await intake({ phone });
    await drain();
    expect((await messages(id))[0]).toMatchObject({ status: 'sending', attempts: 1, error: 'connection' });
    for (const error of ['timeout', 'http 500']) {
      later(60); // past the backoff
      await drain();
      expect((await messages(id))[0]).toMatchObject({ status: expect.stringMatching(/sending|sent/) });
      if ((await messages(id))[0]?.status === 'sending') expect((await messages(id))[0]?.error).toBe(error);
    }
    later(60);
    await drain();
    expect((await messages(id))[0]).toMatchObject({
      channel: 'zalo',
      status: 'sent',
      attempts: 4,
      error: null,
    });
    // The provider took it on the first try; the retries carried the same tracking id.
    expect(toCitizen(phone)).toHaveLength(1);
    expect(smsTo(phone)).toEqual([]);
  });

  it('the SMS gateway deduplicates a retried request id: one SMS after an answer lost', async () => {
    const phone = freshPhone();
    zns.codes.set(as84(phone), -118);
    sms.fail('drop-after-accept');
    const { id } = await intake({ phone });
    await drain();
    later(60);
    await drain();
    expect(smsTo(phone)).toHaveLength(1);
    expect((await messages(id)).map((m) => [m.channel, m.status])).toEqual([
      ['zalo', 'failed'],
      ['sms', 'sent'],
    ]);
  });

  it('after its last try the message waits on the dead-letter list; the administrator’s retry sends it once', async () => {
    const phone = freshPhone();
    zns.fail('http500', 'http500', 'http500', 'http500', 'http500', 'http500');
    const { id } = await intake({ phone });
    for (let i = 0; i < 7; i++) {
      await drain();
      later(90);
    }
    expect((await messages(id))[0]).toMatchObject({ status: 'failed', attempts: 6, error: 'http 500' });
    expect(toCitizen(phone)).toEqual([]);
    const admin = await ctx.login('sysadmin');
    const dead = await ctx.app.inject({
      url: '/api/admin/jobs?state=dead&kind=notifications.send',
      headers: admin,
    });
    const job = (dead.json().items as { id: number }[])[0];
    expect(job).toBeDefined();
    const retry = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${job?.id}/retry`,
      headers: admin,
    });
    expect(retry.statusCode, retry.body).toBeLessThan(300);
    await drain();
    expect((await messages(id))[0]).toMatchObject({ status: 'sent', attempts: 7, error: null });
    expect(toCitizen(phone)).toHaveLength(1);
  });

  it('refused or sent back for papers at the counter: no "received" message, the supplement request goes', async () => {
    const refusedPhone = freshPhone();
    const askedPhone = freshPhone();
    const refused = await postIntake(
      ctx.app,
      reception,
      intakeBody({
        applicant: { ...APPLICANT, phone: refusedPhone },
        outcome: { action: 'refuse', reasons: ['Không thuộc thẩm quyền'] },
      }),
    );
    const asked = await postIntake(
      ctx.app,
      reception,
      intakeBody({
        applicant: { ...APPLICANT, phone: askedPhone },
        components: [],
        outcome: { action: 'request-supplement', reasons: ['Thiếu giấy đề nghị'] },
      }),
    );
    expect([refused.statusCode, asked.statusCode]).toEqual([201, 201]);
    await drain();
    expect((await messages(refused.json().id)).map((m) => [m.event, m.status])).toEqual([
      ['received', 'cancelled'],
    ]);
    expect((await messages(asked.json().id)).map((m) => [m.event, m.status])).toEqual([
      ['received', 'cancelled'],
      ['supplement', 'sent'],
    ]);
    expect(toCitizen(refusedPhone)).toEqual([]);
    expect(toCitizen(askedPhone).map((m) => m.template_id)).toEqual(['MOTCUA_SUPPLEMENT_V1']);
  });

  it('a refusal of messages at the counter sends nothing; a dossier without a phone sends nothing', async () => {
    const refused = await intake({ phone: freshPhone(), notify: false });
    const { phone: _p, ...noPhone } = APPLICANT;
    const none = await postIntake(ctx.app, reception, intakeBody({ applicant: noPhone }));
    expect(none.statusCode, none.body).toBe(201);
    await drain();
    expect(await messages(refused.id)).toEqual([]);
    expect(await messages(none.json().id)).toEqual([]);
  });

  it('a supplement request says what is missing and by when; an apology the new date', async () => {
    const phone = freshPhone();
    const { id } = await intake({ phone });
    later();
    const asked = await postAction(ctx.app, reception, id, 'request-supplement', {
      reasons: ['Thiếu bản sao giấy phép'],
      applicantDeadline: '2026-12-04',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    await drain();
    const supplement = toCitizen(phone).find((m) => m.template_id === 'MOTCUA_SUPPLEMENT_V1');
    expect(supplement?.template_data).toMatchObject({
      han_bo_sung: '04/12/2026',
      can_bo_sung: 'Thiếu bản sao giấy phép',
    });
    later();
    expect((await postAction(ctx.app, reception, id, 'supplement-received', {})).statusCode).toBe(200);
    const apology = await postAction(ctx.app, leader, id, 'apologize', {
      reason: 'Chờ ý kiến cơ quan thuế',
      newDueAt: '2026-12-10T16:00:00+07:00',
    });
    expect(apology.statusCode, apology.body).toBe(200);
    await drain();
    const sorry = toCitizen(phone).find((m) => m.template_id === 'MOTCUA_APOLOGY_V1');
    expect(sorry?.template_data).toMatchObject({ ngay_hen_moi: '10/12/2026' });
    expect((await messages(id)).map((m) => m.event)).toEqual(['received', 'supplement', 'apology']);
  });

  it('the day before the appointment, one reminder (the hourly job runs again without a second)', async () => {
    const phone = freshPhone();
    const { id, dueAt } = await intake({ phone });
    // Due on Friday 27/11: the reminder goes on Thursday, at the first hourly run after 08:00.
    expect(dueAt.slice(0, 10)).toBe('2026-11-27');
    clock.set('2026-11-26T07:05:00+07:00');
    await drain();
    expect(toCitizen(phone).filter((m) => m.template_id === 'MOTCUA_REMINDER_V1')).toEqual([]);
    clock.set('2026-11-26T09:05:00+07:00');
    await drain();
    clock.set('2026-11-26T10:05:00+07:00');
    await drain();
    const reminders = toCitizen(phone).filter((m) => m.template_id === 'MOTCUA_REMINDER_V1');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.template_data).toMatchObject({ ngay_hen: '27/11/2026' });
    expect((await messages(id)).filter((m) => m.event === 'reminder')).toHaveLength(1);
    clock.set(START);
    minutes = 0;
  });

  it('delivery reports are taken only with a valid signature', async () => {
    const phone = freshPhone();
    const { id } = await intake({ phone });
    await drain();
    const msgId = toCitizen(phone)[0]?.providerId ?? '';
    const body = JSON.stringify({
      event_name: 'user_received_message',
      timestamp: String(clock.now().getTime()),
      message: { msg_id: msgId, tracking_id: `motcua-d${id}-v1-zalo` },
      delivery_time: '1764123456000',
    });
    const post = (signature: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/notifications/callbacks/zalo',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': signature },
        payload: body,
      });
    expect((await post('mac=0000')).statusCode).toBe(401);
    expect((await messages(id))[0]?.status).toBe('sent');
    const mac = createHash('sha256')
      .update(`${ZALO.appId}${body}${clock.now().getTime()}${ZALO.secret}`)
      .digest('hex');
    const ok = await post(`mac=${mac}`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ updated: 1 });
    expect((await messages(id))[0]?.status).toBe('delivered');

    // Signed, but an hour old (a replay): refused. Signed, about a message not known, or another of the
    // OA's events: taken, nothing changes (a provider whose report is refused sends it again and again).
    const signedZalo = async (report: Record<string, unknown>) => {
      const raw = JSON.stringify(report);
      const sig = createHash('sha256')
        .update(`${ZALO.appId}${raw}${String(report.timestamp)}${ZALO.secret}`)
        .digest('hex');
      return ctx.app.inject({
        method: 'POST',
        url: '/api/notifications/callbacks/zalo',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${sig}` },
        payload: raw,
      });
    };
    const stamp = clock.now().getTime();
    const old = await signedZalo({
      event_name: 'user_received_message',
      timestamp: String(stamp - 3_600_000),
      message: { msg_id: msgId },
    });
    expect(old.statusCode).toBe(401);
    const noTime = await signedZalo({
      event_name: 'user_received_message',
      timestamp: 'soon',
      message: { msg_id: msgId },
    });
    expect(noTime.statusCode).toBe(401);
    const unknown = await signedZalo({
      event_name: 'user_received_message',
      timestamp: String(stamp),
      message: { msg_id: 'zns-unknown' },
    });
    expect([unknown.statusCode, unknown.json()]).toEqual([200, { updated: 0 }]);
    const otherEvent = await signedZalo({
      event_name: 'user_send_text',
      timestamp: String(stamp),
      sender: { id: '1' },
    });
    expect([otherEvent.statusCode, otherEvent.json()]).toEqual([200, { updated: 0 }]);
    const malformed = await signedZalo({
      event_name: 'user_received_message',
      timestamp: String(stamp),
      message: {},
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.fields).toHaveProperty(['body.message.msg_id']);

    // The SMS gateway's report: HMAC-SHA256 of the raw body with the API key.
    const smsPhone = freshPhone();
    zns.codes.set(as84(smsPhone), -118);
    const other = await intake({ phone: smsPhone });
    await drain();
    const smsBody = JSON.stringify({ messageId: smsTo(smsPhone)[0]?.providerId, status: 'delivered' });
    const signed = createHmac('sha256', SMS_KEY).update(smsBody).digest('hex');
    const report = (sig: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/notifications/callbacks/sms',
        headers: { 'content-type': 'application/json', 'x-signature': sig },
        payload: smsBody,
      });
    expect((await report('sha256=bad')).statusCode).toBe(401);
    expect((await report(`sha256=${signed}`)).statusCode).toBe(200);
    expect((await messages(other.id)).map((m) => m.status)).toEqual(['failed', 'delivered']);
  });

  it('another commune cannot read a dossier’s messages (404), a signed-out caller neither (401)', async () => {
    const { id } = await intake({ phone: freshPhone() });
    const other = await ctx.login('reception.30112');
    expect(
      (await ctx.app.inject({ url: `/api/dossiers/${id}/notifications`, headers: other })).statusCode,
    ).toBe(404);
    expect((await ctx.app.inject({ url: `/api/dossiers/${id}/notifications` })).statusCode).toBe(401);
  });
});

describe('templates', () => {
  it('every SMS stays in one GSM segment with a typical code and link, and carries no diacritics', () => {
    const facts = {
      code: '30502-261123-0042',
      procedure: 'Đăng ký thành lập hộ kinh doanh',
      date: '26/11/2026',
      centre: 'Bộ phận Một cửa Phường Châu Đốc',
      trackingUrl: `${PUBLIC_URL}/track/30502-261123-0042`,
      detail: 'Bản sao giấy phép',
    };
    for (const [event, t] of Object.entries(TEMPLATES)) {
      const text = t.sms(facts);
      expect(smsSegments(text), event).toBe(1);
      expect(/[^\x20-\x7e]/.test(text), event).toBe(false);
      for (const value of Object.values(t.zns.params(facts))) {
        if (!value.startsWith('http')) expect(value.length, event).toBeLessThanOrEqual(100);
      }
    }
  });
});
