import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  watchErrors,
} from './support/browser.ts';
import { choosePeriod, figureOf, kpiCard, rowsOf } from './support/stats.ts';

const J = 'f-dashboard-commune';

describe("journey (f): a commune leader reads the dashboard of a period and opens a figure's dossiers", () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it('shows the field figures of 1–18 July 2025 in Thới Sơn and lists the 660 dossiers received', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseUrl, 'leader.30502');
    await page.goto(`${baseUrl}/staff/stats`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Thống kê, đánh giá: Phường Thới Sơn');
    // A commune's officer sees their commune only: no way up to the province.
    expect(await page.getByRole('link', { name: /^Về Tỉnh/ }).count()).toBe(0);

    // The field report's days, typed day first and read back in words.
    await choosePeriod(page, '01072025', '18072025');
    await page.getByText('Ngày 1 tháng 7 năm 2025').waitFor();
    await page.getByText('Ngày 18 tháng 7 năm 2025').waitFor();
    await page.getByText(/^Từ ngày 01\/07\/2025 đến ngày 18\/07\/2025\./).waitFor();

    // The figures of the field report: 660 received, 551 of them online (83,5 %).
    const received = kpiCard(page, 'Hồ sơ tiếp nhận');
    await expect.poll(() => figureOf(page, 'Hồ sơ tiếp nhận')).toBe('660');
    expect(await received.innerText()).toContain('Trực tuyến 551');
    expect(await figureOf(page, 'Nộp trực tuyến')).toBe('83,5%');
    expect(await kpiCard(page, 'Nộp trực tuyến').innerText()).toContain('551/660 hồ sơ');

    // Decision 766's table: every indicator with its ratio, numerator/denominator and formula, and the
    // same figures as the cards above.
    const score = page.locator('section[aria-labelledby="score-heading"]');
    await score.getByRole('heading', { name: /Quyết định 766/ }).waitFor();
    const rows = await rowsOf(page, 'score-heading');
    const indicators = rows.filter((cells) => cells.length === 4);
    const groups = rows.filter((cells) => cells.length === 3).map((cells) => cells[0]);
    expect(groups).toEqual([
      'Công khai, minh bạch',
      'Tiến độ giải quyết',
      'Dịch vụ công trực tuyến',
      'Thanh toán trực tuyến',
      'Số hóa hồ sơ',
      'Mức độ hài lòng',
    ]);
    expect(indicators.length).toBeGreaterThanOrEqual(6);
    for (const cells of indicators) {
      expect(cells[1], cells[0]).toMatch(/^(\d+(,\d+)?\/\d+|Không đo được \(\d+\))$/);
      expect(cells[2], cells[0]).toMatch(/\(\d+(\.\d{3})*\/\d+(\.\d{3})*\)$/);
      expect(cells[3], cells[0]).toContain('×');
    }
    const online = indicators.find((cells) => cells[0] === 'Hồ sơ nộp trực tuyến');
    expect(online?.[2]).toBe('83,5% (551/660)');
    expect(online?.[3]).toBe('8 × min(1, hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận ÷ 50%)');
    const onTimeCard = await kpiCard(page, 'Giải quyết đúng hạn').innerText();
    const resolved = /(\d+)\/(\d+) hồ sơ đã giải quyết/.exec(onTimeCard);
    const onTime = indicators.find((cells) => cells[0] === 'Hồ sơ giải quyết đúng hạn');
    expect(onTime?.[2]).toBe(
      `${await figureOf(page, 'Giải quyết đúng hạn')} (${resolved?.[1]}/${resolved?.[2]})`,
    );
    const total = (await score.locator('tfoot tr').locator('th, td').allInnerTexts()).map((c) => c.trim());
    expect(total[0]).toBe('Tổng điểm');
    expect(total[1]).toBe(`${await figureOf(page, 'Điểm theo Quyết định 766')}/100`);
    await expectAccessible(page, 'commune dashboard');
    await screenshot(page, J, '1-dashboard-july');

    // The figure opens the dossiers it counts: the same 660, all received in those days.
    await received.getByRole('link', { name: '660' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/stats/dossiers');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      unit: '30502',
      metric: 'received',
      from: '2025-07-01',
      to: '2025-07-18',
    });
    await expect.poll(() => heading.textContent()).toBe('Hồ sơ tiếp nhận: Phường Thới Sơn');
    await page.getByText('660 hồ sơ', { exact: true }).waitFor();
    const listed = page.locator('tbody tr');
    await expect.poll(() => listed.count()).toBe(20);
    for (const row of await listed.all()) {
      const cells = await row.locator('th, td').allInnerTexts();
      expect(cells[0]).toMatch(/^30502-2507(0[1-9]|1[0-8])-\d{4}/);
      expect(cells[4]).toMatch(/(0[1-9]|1[0-8])\/07\/2025$/);
    }
    // 660 dossiers are 33 pages of 20, none twice.
    const firstPage = await listed.locator('th a').allInnerTexts();
    await page.getByRole('button', { name: 'Trang 33', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '33');
    await expect.poll(() => listed.first().locator('th a').innerText()).not.toBe(firstPage[0]);
    const lastPage = await listed.locator('th a').allInnerTexts();
    expect(lastPage).toHaveLength(20);
    for (const code of lastPage) expect(firstPage).not.toContain(code);
    await expectAccessible(page, "the received figure's dossiers");
    await screenshot(page, J, '2-received-dossiers');
    expect(errors).toEqual([]);
  });
});
