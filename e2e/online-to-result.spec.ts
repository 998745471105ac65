import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffApi } from './support/api.ts';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  signOut,
  watchErrors,
} from './support/browser.ts';
import { choosePaper, signInWithVneid } from './support/citizen.ts';

const J = 'b-online-to-result';
const run = promisify(execFile);

describe('journey (b): a level-2 citizen files online → supplement asked → supplemented → signed result', () => {
  const baseUrl = inject('baseUrl');
  let phone: Browser;
  let office: Browser;
  beforeAll(async () => {
    phone = await openBrowser({ width: 360, height: 740 });
    office = await openBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await office?.close();
  });

  it('goes from the phone to the centre and back, and the result verifies', async () => {
    const citizen = await phone.newPage();
    const errors = watchErrors(citizen);

    // 1. Find the procedure, sign in with VNeID, fill in the wizard.
    await citizen.goto(`${baseUrl}/procedures?q=dang%20ky%20khai%20sinh`);
    await citizen.getByRole('link', { name: 'Thủ tục đăng ký khai sinh' }).click();
    await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await signInWithVneid(citizen, /Nguyễn Văn An — mức 2/);
    await citizen.waitForURL(`${baseUrl}/submit/1.001193`);
    const phoneField = citizen.getByLabel('Số điện thoại');
    await phoneField.waitFor();
    expect(await citizen.getByText('Nguyễn Văn An').count()).toBeGreaterThan(0);
    // The schema's message as it is typed.
    await phoneField.fill('12345');
    await phoneField.blur();
    await citizen.getByText('Số điện thoại không hợp lệ', { exact: false }).first().waitFor();
    await phoneField.fill('0912000456');
    await expectAccessible(citizen, 'wizard, applicant step');
    await screenshot(citizen, J, '1-applicant');
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await choosePaper(citizen, /Chọn ảnh hoặc tệp PDF — Tờ khai đăng ký khai sinh/, 'tờ khai');
    await citizen.getByText('Đã tải lên:').first().waitFor();
    await choosePaper(
      citizen,
      /(Chọn ảnh hoặc tệp PDF|Chọn tệp khác) — Giấy chứng sinh/,
      'giấy chứng sinh (mờ)',
    );
    await expect.poll(() => citizen.getByText('Đã tải lên:').count()).toBe(2);
    await expectAccessible(citizen, 'wizard, papers step');
    await screenshot(citizen, J, '2-papers');
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await screenshot(citizen, J, '3-review');
    await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    const codeText = citizen.getByTestId('submitted-code');
    await codeText.waitFor();
    const code = ((await codeText.textContent()) ?? '').trim();
    expect(code).toMatch(/^30502-\d{6}-\d{4}$/);
    await screenshot(citizen, J, '4-filed');

    // 2. The centre receives it, and the specialist asks for a clearer birth certificate.
    const staff = await office.newPage();
    await signIn(staff, baseUrl, 'reception.30502');
    await staff.goto(`${baseUrl}/staff/dossiers?view=all&q=${code}`);
    await staff.getByRole('link', { name: code }).click();
    await staff.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await staff.getByText('Đã thực hiện: Tiếp nhận').waitFor();
    const url = staff.url();
    const id = Number(url.split('/').pop());
    const reception = await staffApi(baseUrl, 'reception.30502');
    const specialists = await reception.get<{ items: { id: number; role: string }[] }>(
      '/api/staff?role=specialist',
    );
    await reception.post(`/api/dossiers/${id}/actions/assign`, { assigneeId: specialists.items[0]?.id });
    const office2 = staff;
    await signOut(staff);
    await signIn(office2, baseUrl, 'specialist.30502');
    await office2.goto(`${baseUrl}/staff/dossiers/${id}`);
    await office2.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
    const ask = office2.getByRole('dialog');
    await ask.getByLabel('Lý do (mỗi dòng một lý do)').fill('Giấy chứng sinh bị mờ, vui lòng chụp lại rõ');
    await ask.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
    await office2.getByText('Đã thực hiện: Yêu cầu bổ sung').waitFor();
    await screenshot(office2, J, '5-supplement-asked');

    // 3. The citizen sees it under "my dossiers" and hands in the clearer paper.
    await citizen.goto(`${baseUrl}/my`);
    await citizen.getByRole('link', { name: 'Bổ sung ngay' }).first().click();
    await citizen.getByText('Giấy chứng sinh bị mờ, vui lòng chụp lại rõ').waitFor();
    expect(await citizen.getByTestId('citizen-dossier-status').textContent()).toContain(
      'Yêu cầu bổ sung giấy tờ',
    );
    await expectAccessible(citizen, 'supplement request');
    await choosePaper(
      citizen,
      /(Chọn ảnh hoặc tệp PDF|Chọn tệp khác) — Giấy chứng sinh/,
      'giấy chứng sinh (rõ)',
    );
    await citizen.getByText('Đã tải lên:').first().waitFor();
    await citizen.getByRole('button', { name: 'Gửi bổ sung' }).click();
    await citizen.getByText('Đã gửi bổ sung.', { exact: false }).waitFor();
    expect(await citizen.getByTestId('citizen-dossier-status').textContent()).toContain('Đang xử lý');
    await screenshot(citizen, J, '6-supplemented');

    // 4. The centre finishes it (the steps themselves are journey (a)'s): forward, approve, sign.
    const specialist = await staffApi(baseUrl, 'specialist.30502');
    const head = await staffApi(baseUrl, 'head.30502');
    const leader = await staffApi(baseUrl, 'leader.30502');
    await specialist.post(`/api/dossiers/${id}/actions/forward`, {});
    await head.post(`/api/dossiers/${id}/actions/forward`, {});
    await leader.post(`/api/dossiers/${id}/actions/approve`, {});
    await leader.post(`/api/dossiers/${id}/result/sign`, {
      pin: '123456',
      details: {
        childName: 'Nguyễn Ngọc Hân',
        childDateOfBirth: '2026-11-20',
        childSex: 'nữ',
        placeOfBirth: 'Bệnh viện Đa khoa khu vực tỉnh An Giang',
        fatherName: 'Nguyễn Văn An',
      },
    });

    // 5. The citizen downloads the signed result; pdfsig and the verification page call it valid.
    await citizen.reload();
    const download = citizen.getByTestId('citizen-result');
    await download.waitFor();
    const pdf = await citizen.request.get(`${baseUrl}${await download.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    const dir = await mkdtemp(path.join(tmpdir(), 'motcua-result-'));
    const file = path.join(dir, 'ket-qua.pdf');
    await writeFile(file, await pdf.body());
    const { stdout } = await run('pdfsig', [file]).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    expect(stdout.match(/Signature is Valid/g)?.length, stdout).toBe(2);
    await citizen.goto(`${baseUrl}/verify`);
    await citizen.setInputFiles('input[type=file]', file);
    await citizen
      .getByRole('button')
      .filter({ hasText: /Xác thực|Kiểm tra/ })
      .first()
      .click();
    await citizen.getByText(code).first().waitFor();
    expect(await citizen.textContent('body')).toContain('hợp lệ');
    await screenshot(citizen, J, '7-verified');

    // 6. And rates the service, once.
    await citizen.goto(`${baseUrl}/my/${id}`);
    await citizen.getByRole('radio', { name: 'Rất hài lòng' }).click();
    await citizen.getByLabel('Góp ý thêm (không bắt buộc)').fill('Không phải đi lại, rất tiện');
    await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await citizen.getByText('Cảm ơn bạn đã đánh giá.').waitFor();
    await expectAccessible(citizen, 'result and rating');
    await screenshot(citizen, J, '8-rated');
    expect(errors).toEqual([]);
  });
});
