import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createStartupState } from '../startup-state.ts';
import { openTestDatabase, TEST_SEAL_PASSPHRASE, type TestDatabase } from '../test-support/test-database.ts';
import { createWebApp, type WebApp } from './web.routes.ts';

const INDEX =
  '<!doctype html><html lang="vi"><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

describe('serving the web app', () => {
  let database: TestDatabase;
  let dir: string;
  let web: WebApp;
  let app: FastifyInstance;
  const startup = createStartupState(true);

  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
    dir = await mkdtemp(path.join(tmpdir(), 'motcua-web-'));
    await mkdir(path.join(dir, 'assets'));
    web = createWebApp(dir);
    expect(web.ready).toBe(false);
    app = await buildApp({
      database,
      fileStore: database.files,
      sealPassphrase: TEST_SEAL_PASSPHRASE,
      startup,
      web,
      demo: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('before the build: the plain home page, and tracking goes to the script-free page', async () => {
    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('/lite/track');
    const track = await app.inject({ url: '/track/30502-261123-0001' });
    expect(track.statusCode).toBe(302);
    expect(track.headers.location).toBe('/lite/track/30502-261123-0001');
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(404);
  });

  it('once built: every app address gets index.html uncached, assets are cached for a year', async () => {
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    web.ready = true;
    const home = await app.inject({ url: '/' });
    expect(home.headers['cache-control']).toBe('no-cache');
    // The front page works before the scripts arrive: the same forms, in plain HTML.
    expect(home.body).toContain('<form method="get" action="/procedures"');
    expect(home.body).toContain('<form method="get" action="/lite/track"');
    expect(home.body).toContain('<script type="module" src="/assets/index-abc123.js"></script>');
    for (const url of [
      '/procedures',
      '/procedures/1.001193',
      '/track',
      '/track/30502-261123-0001',
      '/staff',
      '/staff/dossiers/12',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
    }
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The API and the server's own pages keep their addresses.
    expect((await app.inject({ url: '/api/nothing-here' })).json().error.code).toBe('ROUTE_NOT_FOUND');
    expect((await app.inject({ url: '/lite/track' })).body).toContain(
      '<form method="get" action="/lite/track">',
    );
    expect((await app.inject({ url: '/verify' })).statusCode).toBe(200);
  });

  it('sends the precompressed brotli files to a browser that takes them', async () => {
    const js = 'console.log("MotCua");'.repeat(200);
    await writeFile(path.join(dir, 'assets', 'big-abc123.js'), js);
    await writeFile(path.join(dir, 'assets', 'big-abc123.js.br'), brotliCompressSync(js));
    const asset = await app.inject({
      url: '/assets/big-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(asset.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(asset.rawPayload).toString()).toBe(js);
    const plain = await app.inject({ url: '/assets/big-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
  });

  it('while the first start loads data, the root shows progress even with the app built', async () => {
    startup.ready = false;
    startup.stage = 'web';
    startup.progress = 0.99;
    try {
      const home = await app.inject({ url: '/' });
      expect(home.body).toContain('Đang dựng giao diện web (building the web app): 99%');
    } finally {
      startup.ready = true;
    }
  });
});

describe('the demo banner', () => {
  let database: TestDatabase;
  let dir: string;
  const apps: Record<'on' | 'off', FastifyInstance> = {} as never;

  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
    dir = await mkdtemp(path.join(tmpdir(), 'motcua-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    for (const [mode, demo] of [
      ['on', true],
      ['off', false],
    ] as const) {
      const web = createWebApp(dir);
      web.ready = true;
      apps[mode] = await buildApp({
        database,
        fileStore: database.files,
        sealPassphrase: TEST_SEAL_PASSPHRASE,
        startup: createStartupState(true),
        web,
        demo,
      });
    }
  });
  afterAll(async () => {
    await apps.on.close();
    await apps.off.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const PAGES = [
    '/',
    '/procedures',
    '/staff/dossiers/12',
    '/lite/track',
    '/verify',
    '/track/30502-261123-0001',
  ];
  const banners = (html: string) => html.split('id="demo-banner"').length - 1;

  it('is the first thing on every page while demo data is on, compressed or not, once', async () => {
    for (const url of PAGES) {
      for (const encoding of ['', 'br', 'gzip']) {
        const res = await apps.on.inject({ url, headers: { 'accept-encoding': encoding } });
        expect(res.statusCode, url).toBe(200);
        const html =
          res.headers['content-encoding'] === 'br'
            ? brotliDecompressSync(res.rawPayload).toString()
            : res.headers['content-encoding'] === 'gzip'
              ? gunzipSync(res.rawPayload).toString()
              : res.body;
        expect(banners(html), `${url} ${encoding}`).toBe(1);
        expect(html, url).toMatch(/<body[^>]*><div id="demo-banner" role="note"/);
        expect(html, url).toContain('Bản trình diễn: dữ liệu và tài khoản là giả, mật khẩu công khai.');
      }
    }
    expect((await apps.on.inject({ url: '/api/public/site' })).json()).toEqual({ demo: true });
  });

  it('is nowhere on a production installation', async () => {
    for (const url of PAGES) {
      const res = await apps.off.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(banners(res.body), url).toBe(0);
    }
    expect((await apps.off.inject({ url: '/api/public/site' })).json()).toEqual({ demo: false });
  });
});
