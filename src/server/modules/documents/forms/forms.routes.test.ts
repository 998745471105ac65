import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICANT,
  createClock,
  type Headers,
  intakeBody,
  postAction,
  postIntake,
} from '../../../test-support/dossier-helpers.ts';
import { pdfPages, pdfQrCodes, pdfToText } from '../../../test-support/pdf-tools.ts';
import { createTestContext, type TestContext } from '../../../test-support/test-app.ts';

const PUBLIC_URL = 'https://motcua.angiang.gov.vn';
const clock = createClock('2026-11-23T08:00:00+07:00'); // a Monday
let ctx: TestContext;
let reception: Headers;
let specialist: Headers;
let leader: Headers;
let specialistId: number;

beforeAll(async () => {
  ctx = await createTestContext({ now: clock.now, publicUrl: PUBLIC_URL });
  reception = await ctx.login('reception.30502');
  specialist = await ctx.login('specialist.30502');
  leader = await ctx.login('leader.30502');
  specialistId = (await ctx.app.inject({ url: '/api/auth/me', headers: specialist })).json().user.id;
});
afterAll(() => ctx.close());

async function intake() {
  const res = await postIntake(ctx.app, reception, intakeBody());
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; code: string };
}

async function act(who: Headers, id: number, action: string, body: object = {}) {
  const res = await postAction(ctx.app, who, id, action, body);
  expect(res.statusCode, res.body).toBe(200);
}

async function getForm(id: number, no: string, who: Headers = reception) {
  return ctx.app.inject({ url: `/api/dossiers/${id}/forms/${no}.pdf`, headers: who });
}

async function formText(id: number, no: string) {
  const res = await getForm(id, no);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return pdfToText(res.rawPayload);
}

/** pdftotext breaks lines where the layout does; a phrase may span two lines. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('forms of Circular 03/2025 as PDFs', () => {
  it('form 01 reads back the Vietnamese name, the code, the due date, and its QR code opens the tracking page', async () => {
    clock.set('2026-11-23T08:00:00+07:00');
    const { id, code } = await intake();
    const res = await getForm(id, '01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`mau-01-${code}.pdf`);
    const text = flat(await pdfToText(res.rawPayload));
    expect(text).toContain(APPLICANT.fullName);
    expect(text).toContain(code);
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    expect(text).toContain('Thới Sơn, ngày 23 tháng 11 năm 2026');
    // Business household registration: 3 working days; Tuesday 24 November is a day off from 2026.
    expect(text).toContain('08 giờ 00 phút, ngày 27/11/2026');
    expect(text).toContain('Giấy đề nghị đăng ký hộ kinh doanh');
    const codes = await pdfQrCodes(res.rawPayload);
    expect(codes).toEqual([`${PUBLIC_URL}/track/${code}`]);

    // What the QR code opens: the web app's tracking page; without the app built, the script-free one.
    const opened = await ctx.app.inject({ url: new URL(codes[0] as string).pathname });
    expect(opened.statusCode).toBe(302);
    expect(opened.headers.location).toBe(`/lite/track/${code}`);
    const page = await ctx.app.inject({ url: opened.headers.location as string });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(code);
    expect(page.body).toContain('Được tiếp nhận');
    // The initials only with a second fact the citizen holds: the last 4 digits of the ID.
    expect(page.body).not.toContain('N. V. Đ.');
    const detailed = await ctx.app.inject({
      url: `/lite/track/${code}?last4=${APPLICANT.citizenId.slice(-4)}`,
    });
    expect(detailed.statusCode).toBe(200);
    expect(detailed.body).toContain('N. V. Đ.');
    expect(page.body).not.toContain(APPLICANT.fullName);
    expect(page.body).not.toContain(APPLICANT.citizenId);
    const unknown = await ctx.app.inject({ url: '/lite/track/30502-261123-9999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Không tìm thấy hồ sơ');
  });

  it('forms 02 to 06 carry what the events said, and 07 is the register line', async () => {
    clock.set('2026-11-25T08:00:00+07:00');
    const { id, code } = await intake();
    await act(reception, id, 'assign', { assigneeId: specialistId });
    clock.set('2026-11-25T09:00:00+07:00');
    await act(specialist, id, 'request-supplement', {
      reasons: ['Bổ sung bản sao Giấy chứng nhận quyền sử dụng đất của địa điểm kinh doanh'],
      applicantDeadline: '2026-12-10',
    });
    const f02 = flat(await formText(id, '02'));
    expect(f02).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(f02).toContain(APPLICANT.fullName);
    expect(f02).toContain(code);
    expect(f02).toContain('Bổ sung bản sao Giấy chứng nhận quyền sử dụng đất của địa điểm kinh doanh');
    expect(f02).toContain('10/12/2026');

    clock.set('2026-11-26T10:00:00+07:00');
    await act(specialist, id, 'supplement-received');
    clock.set('2026-12-03T10:00:00+07:00');
    await act(leader, id, 'apologize', {
      reason: 'Chờ ý kiến của cơ quan thuế về ngành nghề kinh doanh',
      newDueAt: '2026-12-08T16:00:00+07:00',
    });
    const f04 = flat(await formText(id, '04'));
    expect(f04).toContain('VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(f04).toContain(`Ông/Bà ${APPLICANT.fullName}`);
    expect(f04).toContain('Chờ ý kiến của cơ quan thuế về ngành nghề kinh doanh');
    expect(f04).toContain('16 giờ 00 phút, ngày 08/12/2026');
    expect(f04).toContain('ỦY BAN NHÂN DÂN PHƯỜNG THỚI SƠN');
    // A commune People's Committee heads its letters alone, with no province above it.
    expect(f04).not.toContain('ỦY BAN NHÂN DÂN TỈNH');
    expect(f04).toContain(code);
    // The appointment the apology replaced, and form 01 still says what was promised at the counter.
    expect(f04).toContain('Thời hạn trả kết quả đã hẹn: 09 giờ 00 phút, ngày 01/12/2026');
    expect(flat(await formText(id, '01'))).toContain(
      '5. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 00 phút, ngày 30/11/2026',
    );

    await act(leader, id, 'stop', { reason: 'Địa điểm kinh doanh nằm trong khu vực bị thu hồi đất' });
    const f05 = flat(await formText(id, '05'));
    expect(f05).toContain('Về việc dừng giải quyết hồ sơ');
    expect(f05).toContain('Địa điểm kinh doanh nằm trong khu vực bị thu hồi đất');
    expect(f05).toContain(`Ông/Bà ${APPLICANT.fullName}`);
    expect(f05).toContain(code);

    const f06 = flat(await formText(id, '06'));
    expect(f06).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(f06).toContain(APPLICANT.fullName);
    expect(f06).toContain(code);
    // Every hand-over is a row: intake, assignment, supplement request, supplement back, stop.
    for (const action of ['Tiếp nhận', 'Phân công', 'Yêu cầu bổ sung', 'Nhận bổ sung', 'Dừng xử lý']) {
      expect(f06).toContain(action);
    }
    expect(f06).toContain('Trước hạn');

    const f07 = flat(await formText(id, '07'));
    expect(f07).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(f07).toContain(code);
    expect(f07).toContain(APPLICANT.fullName);
  });

  it('form 03 names the reasons of a refusal', async () => {
    const { id, code } = await intake();
    await act(reception, id, 'refuse', { reasons: ['Người nộp không có giấy tờ tùy thân còn hạn'] });
    const f03 = flat(await formText(id, '03'));
    expect(f03).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(f03).toContain('Người nộp không có giấy tờ tùy thân còn hạn');
    expect(f03).toContain(APPLICANT.fullName);
    expect(f03).toContain(code);
  });

  it('a control slip too long for a page goes on to the next page with its header', async () => {
    const { id } = await intake();
    await act(reception, id, 'assign', { assigneeId: specialistId });
    for (let i = 0; i < 14; i++) {
      await act(specialist, id, 'transfer', { agency: `Chi cục Thuế khu vực ${i + 1} tỉnh An Giang` });
      await act(specialist, id, 'receive-back', { note: `Đã có ý kiến lần ${i + 1}` });
    }
    const res = await getForm(id, '06');
    expect(await pdfPages(res.rawPayload)).toBeGreaterThan(1);
    const text = flat(await pdfToText(res.rawPayload));
    expect(text).toContain('Chi cục Thuế khu vực 14 tỉnh An Giang');
    expect(text.match(/Bên giao/g)?.length).toBeGreaterThan(1);
  });

  it('refuses a form the dossier has no grounds for, a bad number, another commune and no session', async () => {
    const { id } = await intake();
    const noApology = await getForm(id, '04');
    expect(noApology.statusCode).toBe(409);
    expect(noApology.json().error).toMatchObject({ code: 'FORM_NOT_AVAILABLE' });
    expect(noApology.json().error.message).toContain('mẫu số 04');

    const bad = await getForm(id, '08');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('params.file');

    const other = await getForm(id, '01', await ctx.login('reception.30112'));
    expect(other.statusCode).toBe(404);
    const admin = await getForm(id, '01', await ctx.login('admin.30502'));
    expect(admin.statusCode).toBe(404);

    const anonymous = await ctx.app.inject({ url: `/api/dossiers/${id}/forms/01.pdf` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('audits every form read, with the form number', async () => {
    const { id } = await intake();
    await getForm(id, '06');
    const rows = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', String(id))
      .where('action', '=', 'dossier.form.read')
      .execute();
    expect(rows.map((r) => r.details.form)).toEqual(['06']);
  });
});
