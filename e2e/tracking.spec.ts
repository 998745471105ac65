import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffApi } from './support/api.ts';
import { type Browser, expectAccessible, openBrowser, screenshot, watchErrors } from './support/browser.ts';

type Listed = { items: { code: string; applicantName: string; citizenId: string; statusCode: number }[] };

describe('journey (c): tracking a dossier by code, without signing in, on a phone', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser({ width: 360, height: 740 });
  });
  afterAll(async () => browser?.close());

  it('shows the status by code, and the timeline with the name and the ID masked after the last 4 ID digits', async () => {
    const reception = await staffApi(baseUrl, 'reception.30502');
    const listed = await reception.get<Listed>('/api/dossiers?view=all&status=4&pageSize=1');
    const dossier = listed.items[0];
    if (!dossier) throw new Error('the demo has no dossier being processed');

    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(baseUrl);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await expectAccessible(page, 'home on a phone');
    await screenshot(page, 'c-tracking', '1-home-phone');

    // A code in the wrong shape is caught before asking the server.
    await page.getByLabel('Mã hồ sơ').fill('30502-12');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect.poll(() => page.getByText('Mã hồ sơ không đúng dạng').count()).toBeGreaterThan(0);

    await page.getByLabel('Mã hồ sơ').fill(dossier.code);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.waitForURL(`${baseUrl}/track/${dossier.code}`);
    await page.getByTestId('tracking-status').waitFor();
    expect(await page.getByTestId('tracking-status').textContent()).toBe('Đang xử lý');
    const initials = dossier.applicantName
      .split(/\s+/)
      .map((w) => `${w[0]}.`)
      .join(' ');
    // A code alone: the status and the procedure, no initials, no ID digits, no timeline.
    const bare = (await page.textContent('main')) ?? '';
    expect(bare).toContain(dossier.code);
    expect(bare).not.toContain(initials);
    expect(bare).not.toContain('Quá trình xử lý');
    // The last 4 digits of the ID, which the citizen holds, show the details.
    await page.getByTestId('tracking-last4').fill(dossier.citizenId.slice(-4));
    await page.getByRole('button', { name: 'Xem chi tiết' }).click();
    await page.getByText('Quá trình xử lý').waitFor();
    const body = (await page.textContent('main')) ?? '';
    expect(body).toContain(dossier.code);
    expect(body).not.toContain(dossier.applicantName);
    expect(body).not.toContain(dossier.citizenId);
    // Initials and the last three digits only.
    expect(body).toContain(initials);
    expect(body).toContain(dossier.citizenId.slice(-3));
    expect(body).toContain('Quá trình xử lý');
    await expectAccessible(page, 'tracking page on a phone');
    await screenshot(page, 'c-tracking', '2-tracked-phone');

    // What the QR on form 01 opens: the same address, straight in.
    const qr = await browser.newPage();
    await qr.goto(`${baseUrl}/track/${dossier.code}`);
    await qr.getByTestId('tracking-status').waitFor();

    // An unknown code says so, in words.
    await page.goto(`${baseUrl}/track/30502-201231-9999`);
    await page.getByText('Không tìm thấy hồ sơ có mã này').waitFor();
    await screenshot(page, 'c-tracking', '3-unknown-code');

    // Larger text and another language, kept on the page's <html>.
    // On a phone the preferences sit in the menu.
    await page.getByRole('button', { name: 'Mở menu' }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Ngôn ngữ' }).selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(errors).toEqual([]);
  });
});
