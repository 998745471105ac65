import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffApi } from './support/api.ts';
import { type Browser, expectAccessible, openBrowser, screenshot, watchErrors } from './support/browser.ts';
import { choosePeriod, figureOf, kpiCard, rowsOf } from './support/stats.ts';

const J = 'h-board-phone';

type Listed = { total: number; items: { code: string; applicant: string }[] };

/** Today in Vietnam, as YYYY-MM-DD. */
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });

describe('journey (h): the public board of a commune, without signing in, on a phone', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser({ width: 360, height: 740 });
  });
  afterAll(async () => browser?.close());

  it('shows the shares and the 766 score, the overdue dossiers with initials only, in two languages', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${baseUrl}/board`);
    await page
      .getByRole('heading', { name: 'Bảng công khai kết quả giải quyết thủ tục hành chính' })
      .waitFor();
    const unitName = page.getByRole('heading', { level: 2 }).first();
    await expect.poll(() => unitName.textContent()).toBe('Toàn quốc');

    // A commune chosen by its code: the board follows, and the picker says which.
    const picker = page.getByRole('form', { name: 'Chọn đơn vị' });
    const codeBox = picker.getByLabel('Hoặc mã xã, phường (5 chữ số)');
    await codeBox.fill('3050');
    await picker.getByRole('button', { name: 'Xem' }).click();
    await picker.getByText('Mã xã, phường gồm 5 chữ số').waitFor();
    await codeBox.fill('30502');
    await picker.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL((url) => url.pathname === '/board/30502');
    await expect.poll(() => unitName.textContent()).toBe('Phường Thới Sơn');
    await expect.poll(() => codeBox.inputValue()).toBe('30502');
    expect(await page.getByLabel('Tỉnh, thành phố').inputValue()).toBe('91');

    // Everything up to today: the dossiers overdue now, named by their initials only.
    const to = today();
    await choosePeriod(page, '01072025', `${to.slice(8)}${to.slice(5, 7)}${to.slice(0, 4)}`);
    const leader = await staffApi(baseUrl, 'leader.30502');
    const overdue = await leader.get<Listed>(
      `/api/stats/dossiers?unit=30502&metric=overdue&from=2025-07-01&to=${to}&pageSize=50`,
    );
    expect(overdue.total, 'the demo has overdue dossiers in Thới Sơn').toBeGreaterThan(0);
    const overdueHeading = page.getByRole('heading', { name: /^Hồ sơ đang quá hạn/ });
    await expect.poll(() => overdueHeading.textContent()).toBe(`Hồ sơ đang quá hạn (${overdue.total})`);
    const shown = await rowsOf(page, 'overdue-heading');
    // No dossier codes on the public board: a code opens the tracking page.
    const body = (await page.textContent('main')) ?? '';
    for (const d of overdue.items) expect(body).not.toContain(d.code);
    for (const [i, cells] of shown.entries()) {
      const full = overdue.items[i]?.applicant ?? '';
      const initials = full
        .split(/\s+/)
        .map((w) => `${w[0]}.`)
        .join(' ');
      expect(cells[0]).toBe(initials);
      expect(body).not.toContain(full);
    }
    expect(body).not.toMatch(/Nguyễn Văn|Trần Thị|Nguyễn Thị/);
    await screenshot(page, J, '1-overdue-initials');

    // The field report's days: the shares citizens are promised, and the 766 score.
    await choosePeriod(page, '01072025', '18072025');
    await page.getByText(/^Từ ngày 01\/07\/2025 đến ngày 18\/07\/2025\./).waitFor();
    await expect.poll(() => figureOf(page, 'Nộp trực tuyến')).toBe('83,5%');
    expect(await kpiCard(page, 'Nộp trực tuyến').innerText()).toContain('551/660 hồ sơ');
    const rows = await rowsOf(page, 'score-heading');
    const ratio = (name: string) => rows.find((cells) => cells[0] === name)?.[2] ?? '';
    const onTime = await figureOf(page, 'Giải quyết đúng hạn');
    expect(onTime).toMatch(/^\d+(,\d)?%$/);
    expect(ratio('Hồ sơ giải quyết đúng hạn')).toMatch(new RegExp(`^${onTime} \\(\\d+/\\d+\\)$`));
    const satisfied = await figureOf(page, 'Hài lòng');
    expect(satisfied).toMatch(/^\d+(,\d)?%$/);
    expect(ratio('Hài lòng về tiếp nhận và giải quyết')).toMatch(new RegExp(`^${satisfied} \\(`));
    const score = await figureOf(page, 'Điểm theo Quyết định 766');
    expect(score).toMatch(/^\d+(,\d+)?$/);
    const total = await page.locator('section[aria-labelledby="score-heading"] tfoot td').first().innerText();
    expect(total).toBe(`${score}/100`);
    // Nothing on the board opens the staff's dossier lists.
    expect(await page.locator('main a[href*="/staff/"]').count()).toBe(0);
    await expect.poll(() => overdueHeading.textContent()).toBe('Hồ sơ đang quá hạn (0)');
    await page.getByText('Không có hồ sơ nào đang quá hạn.').waitFor();
    await expectAccessible(page, 'public board on a phone');
    await screenshot(page, J, '2-board-july-phone');

    // In English: the page's language and the numbers' format follow.
    await page.getByRole('button', { name: 'Mở menu' }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Ngôn ngữ' }).selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Public board of administrative procedure results' }).waitFor();
    await expect.poll(() => figureOf(page, 'Filed online')).toBe('83.5%');
    expect(await figureOf(page, 'Decision 766 score')).toBe(score.replace(',', '.'));
    await expectAccessible(page, 'public board in English on a phone');
    await screenshot(page, J, '3-board-english-phone');
    expect(errors).toEqual([]);
  });
});
