import type { Page } from 'playwright-core';

/** Day-first text (01072025) as the URL writes it (2025-07-01). */
const isoOf = (dayFirst: string) => `${dayFirst.slice(4)}-${dayFirst.slice(2, 4)}-${dayFirst.slice(0, 2)}`;

/**
 * Chooses a period typed by hand in a dashboard's filters (the dates day first, as the counter types
 * them) and waits for it in the URL.
 */
export async function choosePeriod(page: Page, from: string, to: string) {
  const filters = page.getByRole('search', { name: 'Bộ lọc thống kê' });
  const period = filters.getByLabel('Kỳ báo cáo');
  if ((await period.inputValue()) !== 'custom') await period.selectOption('custom');
  await filters.getByLabel('Từ ngày').fill(from);
  await filters.getByLabel('Đến ngày').fill(to);
  await filters.getByRole('button', { name: 'Xem' }).click();
  await page.waitForURL(
    (url) => url.searchParams.get('from') === isoOf(from) && url.searchParams.get('to') === isoOf(to),
  );
}

/** A headline figure's card by its title: its lines are the title, the figure and the detail. */
export function kpiCard(page: Page, title: string) {
  return page.locator('.stats-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** The figure of a card (its second line). */
export async function figureOf(page: Page, title: string) {
  const lines = (await kpiCard(page, title).innerText()).split('\n').filter((l) => l.trim() !== '');
  return lines[1] ?? '';
}

/** The cells of a table's body rows, as the reader sees them. */
export async function rowsOf(page: Page, section: string) {
  const rows = await page.locator(`section[aria-labelledby="${section}"] tbody tr`).all();
  return Promise.all(rows.map((row) => row.locator('th, td').allInnerTexts()));
}

/** A number as the page writes it in Vietnamese (1.234) back to a number. */
export const numberOf = (text: string) => Number(text.trim().replaceAll('.', '').replace(',', '.'));
