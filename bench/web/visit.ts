/**
 * One cold visit of a page in Debian's Chromium (a fresh profile, the cache off), optionally over
 * DevTools' "Slow 3G": when the page became usable, DOMContentLoaded and load, and every response with
 * its bytes and its time relative to the navigation's start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Request } from 'playwright-core';
import { confirmUsable, type UsableWhen, usableWatcher } from './usable.ts';

/** The flags of e2e/support/browser.ts. */
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

/** DevTools' own "Slow 3G" preset (bytes/s and ms; the latency is added to every request). */
export const SLOW_3G = {
  offline: false,
  downloadThroughput: ((500 * 1024) / 8) * 0.8,
  uploadThroughput: ((500 * 1024) / 8) * 0.8,
  latency: 400 * 5,
};

export type Network = 'slow-3g' | 'unthrottled';

export type Resource = {
  url: string;
  kind: 'script' | 'stylesheet' | 'document' | 'fetch' | 'other';
  status: number;
  body: Buffer;
  /** Milliseconds from the navigation's start to the request's start and to its last byte. */
  startMs: number;
  endMs: number;
};

export type Visit = {
  usableMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  resources: Resource[];
  errors: string[];
  /** Requests the server answered with a 4xx (path and status). */
  answered4xx: string[];
};

const VISIT_TIMEOUT_MS = 180_000;

function kindOf(request: Request, contentType: string): Resource['kind'] {
  if (/javascript|ecmascript/.test(contentType) || request.resourceType() === 'script') return 'script';
  if (contentType.includes('text/css') || request.resourceType() === 'stylesheet') return 'stylesheet';
  if (request.resourceType() === 'document') return 'document';
  if (request.resourceType() === 'fetch' || request.resourceType() === 'xhr') return 'fetch';
  return 'other';
}

/** Opens `url` in a fresh Chromium profile and waits until it is usable, then until its network is quiet. */
export async function visitPage(
  url: string,
  options: { network: Network; usableWhen: UsableWhen; viewport: { width: number; height: number } },
): Promise<Visit> {
  const profile = await mkdtemp(path.join(tmpdir(), 'motcua-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  try {
    context.setDefaultTimeout(VISIT_TIMEOUT_MS);
    await context.addInitScript(usableWatcher(options.usableWhen));
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (options.network === 'slow-3g') await cdp.send('Network.emulateNetworkConditions', SLOW_3G);

    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    type Finished = Omit<Resource, 'startMs' | 'endMs'> & { request: Request };
    const finished: Promise<Finished | null>[] = [];
    // Never rejects: a body asked for as the browser closes must not hide why it closed.
    const read = async (request: Request): Promise<Finished | null> => {
      try {
        const response = await request.response();
        if (!response) throw new Error('no response');
        const body = await response.body();
        const kind = kindOf(request, response.headers()['content-type'] ?? '');
        return { url: request.url(), kind, status: response.status(), body, request };
      } catch (e) {
        errors.push(`unread: ${request.url()} (${e instanceof Error ? e.message : e})`);
        return null;
      }
    };
    page.on('requestfinished', (request) => finished.push(read(request)));
    // A 4xx is an answer the page shows (signed out, say); a 5xx is a fault.
    const answered4xx: string[] = [];
    page.on('response', (r) => {
      const status = r.status();
      if (status >= 400)
        (status >= 500 ? errors : answered4xx).push(`${status} ${new URL(r.url()).pathname}`);
    });

    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the page's CSP forbids eval (and it stays on, as citizens get it).
    const isUsable = () => (window as { __benchUsableAt?: number }).__benchUsableAt !== undefined;
    await page.waitForFunction(isUsable, undefined, { polling: 50 }).catch((cause) => {
      const seen = [...errors, ...answered4xx].join('; ') || 'no failed request, no page error';
      throw new Error(`${url} was not usable within ${VISIT_TIMEOUT_MS / 1000} s (${seen})`, { cause });
    });
    await confirmUsable(page, options.usableWhen);
    await page.waitForLoadState('load');
    // Anything fetched after the page was usable is still listed (and told apart by its times).
    await page.waitForLoadState('networkidle').catch(() => errors.push('the network never went quiet'));

    const timing = (await page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { origin: performance.timeOrigin, usable: window.__benchUsableAt,
        dcl: nav.domContentLoadedEventStart, load: nav.loadEventStart };
    })()`)) as { origin: number; usable: number; dcl: number; load: number };
    page.removeAllListeners('requestfinished');
    const answered = (await Promise.all(finished)).filter((r): r is Finished => r !== null);
    const resources = answered.map(({ request, ...r }) => {
      const t = request.timing();
      const startMs = t.startTime - timing.origin;
      return { ...r, startMs, endMs: t.responseEnd >= 0 ? startMs + t.responseEnd : Number.NaN };
    });
    return {
      usableMs: timing.usable,
      domContentLoadedMs: timing.dcl,
      loadMs: timing.load,
      resources: resources.sort((a, b) => a.startMs - b.startMs),
      errors,
      answered4xx,
    };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
