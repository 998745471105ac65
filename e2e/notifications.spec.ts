import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffApi } from './support/api.ts';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  watchErrors,
} from './support/browser.ts';

const J = 'k-notifications';

describe('journey (k): a counter intake tells the citizen by Zalo, and by SMS where Zalo cannot', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('shows the messages on the dossier page and in the development outbox', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseUrl, 'reception.30502');
    await page.waitForURL(`${baseUrl}/staff/intake`);

    // A citizen on Zalo, received at the counter with the consent box left ticked.
    const procedure = page.getByLabel(/^Thủ tục/).first();
    const answered = page.waitForResponse(/\/api\/procedures\?.*q=chung/);
    await procedure.fill('chung thuc chu ky');
    await answered;
    await page.getByRole('option', { name: /Chứng thực chữ ký trong các giấy tờ/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByLabel('Số định danh cá nhân').fill('089085000123');
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn Đức');
    await page.getByLabel('Ngày sinh').fill('02031985');
    await page.getByLabel('Điện thoại').fill('0912345678');
    expect(await page.getByLabel(/Gửi thông báo cho công dân/).isChecked()).toBe(true);
    await page.getByLabel('Địa chỉ thường trú').fill('Số 12, khóm Thới Hòa, phường Thới Sơn, An Giang');
    await page.getByLabel('Địa chỉ thường trú').press('Tab');
    await expect.poll(() => page.getByTestId('address-commune').textContent()).toContain('Phường Thới Sơn');
    for (const box of await page.getByRole('checkbox', { name: /\*$/ }).all()) await box.check();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('print-form').waitFor();
    const alert = (await page.getByRole('status').first().textContent()) ?? '';
    const code = /\d{5}-\d{6}-\d{4}/.exec(alert)?.[0] ?? '';
    expect(code, alert).toBeTruthy();

    // The dossier page says what the citizen was told, and on which channel.
    await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
    const messages = page.getByRole('heading', { name: 'Tin nhắn gửi công dân' }).locator('xpath=..');
    await messages.getByText('Đã gửi').waitFor({ timeout: 15_000 });
    expect(await messages.textContent()).toMatch(/Đã tiếp nhận\s*Đã gửi\s*Zalo · \*+678/);
    await expectAccessible(page, 'dossier page with its messages');
    await screenshot(page, J, '1-dossier-messages-zalo');

    // A number that is not on Zalo (the development Zalo refuses numbers ending in 0): one SMS instead.
    const api = await staffApi(baseUrl, 'reception.30502');
    const other = await api.post<{ id: number; code: string }>('/api/dossiers', {
      procedureCode: '2.000884',
      channel: 'counter',
      applicant: {
        citizenId: '089185000124',
        fullName: 'Trần Thị Lan',
        dateOfBirth: '1985-05-20',
        phone: '0987654320',
        address: 'Số 3, khóm Thới Hòa',
        addressCommuneCode: '30502',
      },
      components: ['giay_to_tuy_than', 'van_ban_can_chung_thuc'],
    });
    await page.goto(`${baseUrl}/staff/dossiers/${other.id}`);
    const otherMessages = page.getByRole('heading', { name: 'Tin nhắn gửi công dân' }).locator('xpath=..');
    await otherMessages.getByText('thay tin Zalo').waitFor({ timeout: 15_000 });
    await otherMessages.getByText('Đã gửi').waitFor({ timeout: 15_000 });
    const text = (await otherMessages.textContent()) ?? '';
    expect(text).toContain('Không gửi được');
    expect(text).toContain('zns -118');
    expect(text).toMatch(/SMS · \*+320/);
    await screenshot(page, J, '2-dossier-messages-sms-fallback');

    // The development outbox shows a newcomer what the citizens received.
    await page.goto(`${baseUrl}/dev/messages`);
    const outbox = (await page.locator('body').textContent()) ?? '';
    expect(outbox).toContain(`ma_ho_so: ${code}`);
    expect(outbox).toContain('MOTCUA_RECEIVED_V1');
    expect(outbox).toContain(`Ho so ${other.code} da duoc tiep nhan`);
    await screenshot(page, J, '3-dev-outbox');
    expect(errors).toEqual([]);
  });
});
