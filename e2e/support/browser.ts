import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where each journey's screenshots go (CI keeps the folder). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../.tmp/e2e-screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type Browser = { context: BrowserContext; close(): Promise<void>; newPage(): Promise<Page> };

/** Debian's Chromium with a fresh profile; `viewport` 360 wide is a small phone. */
export async function openBrowser(options: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'motcua-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Page errors, script errors and 5xx answers make a journey fail; a 4xx is an answer the page shows
 * (signed out, a wrong PIN) and is judged by what the journey sees.
 */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/status of 4\d\d/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  return errors;
}

export async function screenshot(page: Page, journey: string, name: string) {
  const dir = path.join(SCREENSHOTS, journey);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * axe-core in the page (evaluated through the debugger protocol, so the page's CSP stays on); a serious
 * or critical violation fails the journey with what and where.
 */
export async function expectAccessible(page: Page, where: string) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `${where}: ${JSON.stringify(blocking, null, 1)}`).toEqual([]);
}

/** Signs a demo officer in at /staff (password of every demo account). */
export async function signIn(page: Page, baseUrl: string, username: string) {
  await page.goto(`${baseUrl}/staff`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('MotCua@2025');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByLabel('Tên đăng nhập').waitFor();
}
