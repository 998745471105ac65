import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  signOut,
  watchErrors,
} from './support/browser.ts';

const J = 'a-counter-to-result';

describe('journey (a): counter intake → specialist → leader signs → counter returns the result', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('takes a signature certification from the counter to the citizen in the browser', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);

    // 1. The counter: keyboard first.
    await signIn(page, baseUrl, 'reception.30502');
    await page.waitForURL(`${baseUrl}/staff/intake`);
    await expectAccessible(page, 'intake form');
    const procedure = page.getByLabel(/^Thủ tục/).first();
    // The lines the server answers for the words replace those filtered as typed: Enter after them
    // (a late answer under Enter is issue 15's, with the search ranking).
    const answered = page.waitForResponse(/\/api\/procedures\?.*q=chung/);
    await procedure.fill('chung thuc chu ky');
    await answered;
    await page.getByRole('option', { name: /Chứng thực chữ ký trong các giấy tờ/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => procedure.inputValue()).toMatch(/^Chứng thực chữ ký trong các giấy tờ/);
    await page.keyboard.press('Tab');
    await page.keyboard.type('089085000123');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nguyễn Văn Đức');
    // Day first, whatever the browser's locale; read back in words.
    await page.getByLabel('Ngày sinh').fill('02031985');
    await page.getByText('Ngày 2 tháng 3 năm 1985').waitFor();
    await page.getByLabel('Điện thoại').fill('0912345678');
    await page.getByLabel('Địa chỉ thường trú').fill('Số 12, khóm Thới Hòa, phường Thới Sơn, An Giang');
    await page.getByLabel('Địa chỉ thường trú').press('Tab');
    await expect.poll(() => page.getByTestId('address-commune').textContent()).toContain('Phường Thới Sơn');

    // Receiving without the required papers is stopped, with their names.
    await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn (mẫu 01)' }).click();
    await page.getByText(/Còn thiếu thành phần bắt buộc/).waitFor();
    await screenshot(page, J, '1-intake-missing-papers');
    for (const box of await page.getByRole('checkbox', { name: /\*$/ }).all()) await box.check();
    await page.keyboard.press('Control+Enter');
    const receipt = page.getByTestId('print-form');
    await receipt.waitFor();
    const alert = (await page.getByRole('status').first().textContent()) ?? '';
    const code = /\d{5}-\d{6}-\d{4}/.exec(alert)?.[0];
    expect(code, alert).toBeTruthy();
    expect(alert).toContain('hẹn trả');
    // The receipt is focused: Enter prints it. It is form 01 of this dossier, as a PDF.
    expect(await receipt.evaluate((a) => a === document.activeElement)).toBe(true);
    const pdf = await page.request.get(`${baseUrl}${await receipt.getAttribute('href')}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // A scanned page for the first component becomes its document.
    const scan = await QRCode.toBuffer(`scan of ${code}`, { type: 'png', width: 400 });
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: scan });
    await page.getByText('✓').first().waitFor();
    await screenshot(page, J, '2-received');

    // 2. The counter assigns it to the specialist.
    await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await page.getByTestId('dossier-status').waitFor();
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Được tiếp nhận');
    await page.getByRole('button', { name: 'Phân công' }).click();
    const dialog = page.getByRole('dialog');
    const assignee = dialog.getByLabel('Cán bộ nhận');
    await expect
      .poll(async () => (await assignee.locator('option').allTextContents()).join('|'))
      .toContain('Chuyên viên');
    const specialist = (await assignee.locator('option').allTextContents()).find((o) =>
      o.includes('(Chuyên viên)'),
    );
    await assignee.selectOption({ label: specialist ?? '' });
    await dialog.getByRole('button', { name: 'Phân công' }).click();
    await page.getByText('Đã thực hiện: Phân công').waitFor();
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Đang xử lý');
    await screenshot(page, J, '3-assigned');
    await signOut(page);

    // 3. The specialist finds it in their own list, ordered by deadline, and sends it on.
    await signIn(page, baseUrl, 'specialist.30502');
    await page.goto(`${baseUrl}/staff/dossiers?view=mine`);
    await page.getByRole('link', { name: code as string }).click();
    await expectAccessible(page, 'dossier page');
    await page.getByRole('button', { name: 'Chuyển bước tiếp theo' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Chuyển bước tiếp theo' }).click();
    await page.getByText('Đã thực hiện: Chuyển bước tiếp theo').waitFor();
    await screenshot(page, J, '4-forwarded');
    await signOut(page);

    // 4. The leader approves and signs with the certificate's PIN; a wrong PIN is refused first.
    await signIn(page, baseUrl, 'leader.30502');
    await page.goto(`${baseUrl}/staff/dossiers?view=mine&q=${code}`);
    await page.getByRole('link', { name: code as string }).click();
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByText('Đã thực hiện: Phê duyệt').waitFor();
    await page.getByRole('button', { name: 'Ký số kết quả' }).click();
    const sign = page.getByRole('dialog');
    await sign.getByLabel('Nội dung').fill('Chứng thực chữ ký của ông Nguyễn Văn Đức trên Giấy ủy quyền.');
    await sign.getByLabel('Mã PIN chứng thư số').fill('000000');
    await sign.getByRole('button', { name: 'Ký số kết quả' }).click();
    await sign.getByRole('alert').waitFor();
    expect(await sign.getByRole('alert').textContent()).toMatch(/PIN/);
    await sign.getByLabel('Mã PIN chứng thư số').fill('123456');
    await sign.getByRole('button', { name: 'Ký số kết quả' }).click();
    await page.getByText('Đã ký số kết quả.').waitFor();
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Đã xử lý xong');
    await screenshot(page, J, '5-signed');
    await signOut(page);

    // 5. The counter hands the result over and says who collected it.
    await signIn(page, baseUrl, 'reception.30502');
    await page.goto(`${baseUrl}/staff/dossiers?view=all&q=${code}`);
    await page.getByRole('link', { name: code as string }).click();
    const result = await page.request.get(
      `${baseUrl}${await page.getByRole('link', { name: /Tải kết quả/ }).getAttribute('href')}`,
    );
    expect(result.headers()['content-type']).toBe('application/pdf');
    expect((await result.body()).includes(Buffer.from('/ETSI.CAdES.detached'))).toBe(true);
    await page.getByRole('button', { name: 'Trả kết quả' }).click();
    const handOver = page.getByRole('dialog');
    await handOver.getByRole('button', { name: 'Trả kết quả' }).click();
    // The schema's own message, before anything is sent.
    await handOver.getByText('Vui lòng nhập họ tên người nhận kết quả').waitFor();
    await handOver.getByLabel('Họ tên người nhận kết quả').fill('Nguyễn Văn Đức');
    await handOver.getByRole('button', { name: 'Trả kết quả' }).click();
    await page.getByText('Đã thực hiện: Trả kết quả').waitFor();
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Đã trả kết quả');
    await screenshot(page, J, '6-returned');
    expect(errors).toEqual([]);
  });
});
