import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  watchErrors,
} from './support/browser.ts';

const J = 'i-reports';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('journey (i): a commune leader makes a report, downloads it and keeps a monthly schedule', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('makes the XLSX report of 1–18 July 2025 in Thới Sơn, lists it, and adds then removes a schedule', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseUrl, 'leader.30502');
    // The staff menu leads to the reports, next to the statistics.
    await page.getByRole('navigation').getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/staff/reports');
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Báo cáo định kỳ: Phường Thới Sơn');

    // The field report's days, typed day first and read back in words.
    const form = page.getByRole('form', { name: 'Lập báo cáo' });
    await form.getByLabel('Kỳ báo cáo').selectOption('custom');
    await form.getByLabel('Từ ngày').fill('01072025');
    await form.getByLabel('Đến ngày').fill('18072025');
    await form.getByText('Ngày 1 tháng 7 năm 2025').waitFor();
    await form.getByText('Ngày 18 tháng 7 năm 2025').waitFor();
    await form.getByLabel('Bảng tính Excel (XLSX)').check();
    await form.getByRole('button', { name: 'Lập báo cáo', exact: true }).click();
    const ready = page.getByRole('alert').filter({ hasText: 'Đã lập xong báo cáo 01/07/2025–18/07/2025' });
    await ready.waitFor({ timeout: 60_000 });
    await ready.getByRole('link', { name: /^Tải báo cáo về \(XLSX, [\d,]+ KB\)$/ }).waitFor();
    // The period is in the URL: a reload or the way back to the dashboard keeps it.
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
      from: '2025-07-01',
      to: '2025-07-18',
    });

    // The kept files: the new one first, made on request, with its download.
    const files = page.locator('section[aria-labelledby="files-heading"]');
    await files.getByText('1 báo cáo', { exact: true }).waitFor();
    const row = files.locator('tbody tr').first();
    const cells = (await row.locator('th, td').allInnerTexts()).map((c) => c.trim());
    expect(cells[0]).toBe('01/07/2025–18/07/2025');
    expect(cells[1]).toBe('XLSX');
    expect(cells[2]).toMatch(/^[\d,]+ KB$/);
    expect(cells[3]).toBe('Yêu cầu của cán bộ');
    // Vietnamese writes the hour first: 09:30 05/08/2025.
    expect(cells[4]).toMatch(/^\d{2}:\d{2},? \d{2}\/\d{2}\/\d{4}$/);
    const download = row.getByRole('link', { name: 'Tải về báo cáo 01/07/2025–18/07/2025 (XLSX)' });
    const href = await download.getAttribute('href');
    expect(href).toMatch(/^\/api\/reports\/\d+\/file$/);
    // The file comes with the session's cookie, as the link's click would fetch it.
    const fetchHead = (url: string) =>
      page.evaluate(async (u) => {
        const res = await fetch(u, { credentials: 'same-origin' });
        const bytes = (await res.arrayBuffer()).byteLength;
        return { status: res.status, type: res.headers.get('content-type'), bytes };
      }, url);
    const file = await fetchHead(href ?? '');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    expect(file.bytes).toBeGreaterThan(1000);

    // Each table as CSV, for the same period.
    const csv = page
      .locator('section[aria-labelledby="csv-heading"]')
      .getByRole('link', { name: 'Tình hình, kết quả giải quyết (CSV)' });
    const csvHref = await csv.getAttribute('href');
    expect(csvHref).toBe('/api/reports/export.csv?unit=30502&from=2025-07-01&to=2025-07-18&table=summary');
    const table = await fetchHead(csvHref ?? '');
    expect(table.status).toBe(200);
    expect(table.type).toBe('text/csv; charset=utf-8');

    // A monthly schedule: the leader may keep one for their commune.
    const schedules = page.locator('section[aria-labelledby="schedules-heading"]');
    await schedules.getByText('Chưa đặt lịch nào.').waitFor();
    const add = page.getByRole('form', { name: 'Thêm lịch lập báo cáo' });
    await add.getByLabel('Chu kỳ').selectOption('monthly');
    await add.getByRole('button', { name: 'Thêm lịch' }).click();
    const monthly = schedules.locator('tbody tr').filter({ hasText: 'Hằng tháng' });
    await monthly.waitFor();
    expect(await add.getByLabel('Chu kỳ').locator('option').allInnerTexts()).toEqual([
      'Hằng quý',
      'Hằng năm',
    ]);
    await expectAccessible(page, 'reports page');
    await screenshot(page, J, '1-report-made-and-scheduled');

    // Removing it asks first; the files it would have made stay.
    await monthly.getByRole('button', { name: 'Xóa lịch Hằng tháng' }).click();
    const dialog = page.getByRole('dialog', { name: 'Xóa lịch lập báo cáo?' });
    await dialog.getByText('Xóa lịch "Hằng tháng"?', { exact: false }).waitFor();
    // Read once the dialog has faded in (half-faded text is not what the reader sees).
    await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await expectAccessible(page, 'the confirmation');
    await dialog.getByRole('button', { name: 'Xóa lịch', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await schedules.getByText('Chưa đặt lịch nào.').waitFor();
    expect(await monthly.count()).toBe(0);
    await files.getByText('1 báo cáo', { exact: true }).waitFor();
    await screenshot(page, J, '2-schedule-removed');
    expect(errors).toEqual([]);
  });
});
