import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, expectAccessible, openBrowser, screenshot, watchErrors } from './support/browser.ts';
import { signInWithVneid } from './support/citizen.ts';

const J = 'd-level-refused';

describe('journey (d): a level-1 citizen is refused a level-2 procedure, with the reason', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser({ width: 360, height: 740 });
  });
  afterAll(async () => browser?.close());

  it('says why and points to the counter, and shows no form', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${baseUrl}/procedures/1.001193`);
    await page.getByText('Cần tài khoản định danh điện tử mức 2', { exact: false }).first().waitFor();
    await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await page.waitForURL(/\/signin\?returnTo=/);
    await expectAccessible(page, 'sign-in page');
    await screenshot(page, J, '1-sign-in');
    await signInWithVneid(page, /Lê Văn Cường — mức 1/);
    await page.waitForURL(`${baseUrl}/submit/1.001193`);
    const refused = page.getByTestId('eligibility-refused');
    await refused.waitFor();
    const text = (await refused.textContent()) ?? '';
    expect(text).toContain('mức 2');
    expect(text).toContain('mức 1');
    expect(text).toContain('Trung tâm Phục vụ hành chính công');
    expect(await refused.getAttribute('role')).toBe('alert');
    // No form to fill in: nothing can be sent.
    expect(await page.getByRole('button', { name: 'Nộp hồ sơ' }).count()).toBe(0);
    expect(await page.getByLabel('Số điện thoại').count()).toBe(0);
    await expectAccessible(page, 'refusal');
    await screenshot(page, J, '2-refused');
    expect(errors).toEqual([]);
  });
});
