import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, openBrowser, screenshot, signIn, watchErrors } from './support/browser.ts';
import { signInWithVneid } from './support/citizen.ts';

const J = 'j-store-consent';
const AN = '089085000456';

/** A signature certification for Nguyễn Văn An taken in at the counter, Ctrl+Enter. */
async function takeIn(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/staff/intake`);
  const procedure = page.getByLabel(/^Thủ tục/).first();
  await procedure.fill('chung thuc chu ky');
  await page.getByRole('option', { name: /Chứng thực chữ ký trong các giấy tờ/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type(AN);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Nguyễn Văn An');
  await page.getByLabel('Ngày sinh').fill('15081985');
  await page.getByLabel('Điện thoại').fill('0912345678');
  await page.getByLabel('Địa chỉ thường trú').fill('Số 12, khóm Thới Hòa, phường Thới Sơn, An Giang');
  await page.getByLabel('Địa chỉ thường trú').press('Tab');
  await expect.poll(() => page.getByTestId('address-commune').textContent()).toContain('Phường Thới Sơn');
  for (const box of await page.getByRole('checkbox', { name: /\*$/ }).all()) await box.check();
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('print-form').waitFor();
}

describe('journey (j): the citizen consents before the counter reuses their papers', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('asks through the portal, the citizen approves on "Hồ sơ của tôi", the counter reuses a paper', async () => {
    // The citizen has signed in once with VNeID (their verified phone is on record).
    const citizen = await browser.newPage();
    const citizenErrors = watchErrors(citizen);
    await citizen.goto(`${baseUrl}/my`);
    await signInWithVneid(citizen, /Nguyễn Văn An — mức 2/);
    await citizen.waitForURL(`${baseUrl}/my`);

    // A first dossier: its scanned paper goes into An's store.
    const counter = await browser.newPage();
    const counterErrors = watchErrors(counter);
    await signIn(counter, baseUrl, 'reception.30502');
    await takeIn(counter, baseUrl);
    const scan = await QRCode.toBuffer('CCCD Nguyễn Văn An', { type: 'png', width: 400 });
    await counter
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'cccd.png', mimeType: 'image/png', buffer: scan });
    await counter.getByText('✓').first().waitFor();

    // A second dossier: the store stays closed until An agrees.
    await takeIn(counter, baseUrl);
    expect(await counter.getByLabel('Dùng lại từ kho dữ liệu').count()).toBe(0);
    await counter.getByRole('button', { name: 'Xin phép công dân' }).click();
    await counter.getByRole('button', { name: 'Gửi yêu cầu lên Cổng dịch vụ công (VNeID)' }).click();
    await counter.getByText(/chờ công dân đăng nhập VNeID và đồng ý/).waitFor();
    await screenshot(counter, J, '1-counter-waits');

    await citizen.reload();
    await citizen.getByText(/xin dùng giấy tờ trong kho dữ liệu của bạn cho hồ sơ/).waitFor();
    await screenshot(citizen, J, '2-citizen-request');
    await citizen.getByRole('button', { name: 'Đồng ý', exact: true }).click();
    await citizen.getByText(/Bạn đã đồng ý/).waitFor();

    // The counter sees the grant within its next poll, and the store under each paper.
    await counter.getByText(/Công dân đã đồng ý cho hồ sơ này/).waitFor({ timeout: 15_000 });
    const reuse = counter.getByLabel('Dùng lại từ kho dữ liệu').first();
    await reuse.waitFor();
    const options = await reuse.locator('option').allTextContents();
    expect(options.length, options.join(' | ')).toBeGreaterThan(1);
    await reuse.selectOption({ index: 1 });
    await expect.poll(() => counter.getByText('✓').count()).toBeGreaterThan(0);
    await screenshot(counter, J, '3-reused');
    expect(citizenErrors).toEqual([]);
    expect(counterErrors).toEqual([]);
  });
});
