import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectAccessible,
  openBrowser,
  screenshot,
  signIn,
  watchErrors,
} from './support/browser.ts';
import { choosePeriod, figureOf, kpiCard, numberOf, rowsOf } from './support/stats.ts';

const J = 'g-dashboard-province';

describe('journey (g): a province inspector ranks the communes and drills down to one', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it("goes from An Giang's ranking to Thới Sơn's dashboard, its procedures and its late dossiers", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseUrl, 'inspector.91');
    await page.goto(`${baseUrl}/staff/stats`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Thống kê, đánh giá: Tỉnh An Giang');
    await choosePeriod(page, '01072025', '18072025');
    await page.getByText(/^Từ ngày 01\/07\/2025 đến ngày 18\/07\/2025\./).waitFor();

    // The ranking, best 766 score first: Thới Sơn with its field figures.
    await page.getByRole('heading', { name: 'Xếp hạng các xã, phường' }).waitFor();
    const rowOf = async () =>
      (await rowsOf(page, 'ranking-heading')).find((cells) => cells[1]?.startsWith('Phường Thới Sơn'));
    await expect.poll(async () => (await rowOf())?.[3]).toBe('660');
    const ranked = await rowsOf(page, 'ranking-heading');
    const thoiSon = (await rowOf()) ?? [];
    expect(thoiSon[1]).toBe('Phường Thới Sơn (30502)');
    const score = thoiSon[2] ?? '';
    expect(score).toMatch(/^\d+(,\d+)?$/);
    expect(thoiSon[5]).toBe('83,5%');
    // Ranked by score, high first; the rank is the place.
    const scores = ranked.map((cells) => numberOf(cells[2] ?? '')).filter(Number.isFinite);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(thoiSon[0]).toBe(String(ranked.findIndex((cells) => cells[1] === thoiSon[1]) + 1));
    // The province's figure is its communes' sum.
    const communesReceived = ranked.reduce((sum, cells) => sum + numberOf(cells[3] ?? '0'), 0);
    expect(numberOf(await figureOf(page, 'Hồ sơ tiếp nhận'))).toBe(communesReceived);
    await expectAccessible(page, 'province dashboard with the ranking');
    await screenshot(page, J, '1-province-ranking');

    // Thới Sơn's name opens its dashboard, same period, with the way back up.
    await page
      .locator('section[aria-labelledby="ranking-heading"]')
      .getByRole('link', { name: 'Phường Thới Sơn' })
      .click();
    await page.waitForURL((url) => url.searchParams.get('unit') === '30502');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2025-07-01');
    expect(new URL(page.url()).searchParams.get('to')).toBe('2025-07-18');
    await expect.poll(() => heading.textContent()).toBe('Thống kê, đánh giá: Phường Thới Sơn');
    await page.getByRole('link', { name: 'Về Tỉnh An Giang' }).waitFor();
    await expect.poll(() => figureOf(page, 'Hồ sơ tiếp nhận')).toBe('660');
    expect(await figureOf(page, 'Điểm theo Quyết định 766')).toBe(score);
    expect(await figureOf(page, 'Nộp trực tuyến')).toBe('83,5%');
    await expectAccessible(page, "a commune's dashboard from the province");
    await screenshot(page, J, '2-commune-dashboard');

    // Its procedures add up to the commune's figures.
    await page.getByRole('heading', { name: 'Theo thủ tục' }).scrollIntoViewIfNeeded();
    const procedures = await rowsOf(page, 'procedures-heading');
    expect(procedures.length).toBeGreaterThan(1);
    const sum = (column: number) => procedures.reduce((s, cells) => s + numberOf(cells[column] ?? '0'), 0);
    expect(sum(1)).toBe(660);
    expect(sum(2)).toBe(551);
    const received = procedures.map((cells) => numberOf(cells[1] ?? '0'));
    expect(received).toEqual([...received].sort((a, b) => b - a));

    // The late figure opens the late dossiers, as many as it says.
    const onTimeCard = kpiCard(page, 'Giải quyết đúng hạn');
    const late = /Trễ hạn: (\d+)/.exec(await onTimeCard.innerText())?.[1] ?? '';
    expect(Number(late)).toBeGreaterThan(0);
    await onTimeCard.getByRole('link', { name: `Trễ hạn: ${late}` }).click();
    await page.waitForURL((url) => url.searchParams.get('metric') === 'resolved_late');
    await expect.poll(() => heading.textContent()).toBe('Hồ sơ giải quyết trễ hạn: Phường Thới Sơn');
    await page.getByText(`${late} hồ sơ`, { exact: true }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(Math.min(20, Number(late)));
    for (const row of await rows.all())
      expect(await row.locator('th').innerText()).toMatch(/^30502-\d{6}-\d{4}/);
    await expectAccessible(page, "the commune's late dossiers");
    await screenshot(page, J, '3-late-dossiers');

    // Back to the commune's dashboard, the period kept.
    await page.getByRole('link', { name: 'Về trang thống kê' }).click();
    await expect.poll(() => heading.textContent()).toBe('Thống kê, đánh giá: Phường Thới Sơn');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2025-07-01');
    expect(errors).toEqual([]);
  });
});
