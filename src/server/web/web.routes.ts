import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { prepareIndex } from './home-shell.ts';

/** The built web app, once there: it may arrive after the server listens (npm start builds it then). */
export type WebApp = { dir: string; ready: boolean };

export function createWebApp(dir: string): WebApp {
  return { dir, ready: existsSync(path.join(dir, 'index.html')) };
}

/**
 * The app's own addresses: the portal, tracking, the staff face (the server's pages stay its own).
 * `/track/*` is the app's too, served below with the dossier in its first paint.
 */
export const SPA_PATHS = [
  '/',
  '/procedures',
  '/procedures/*',
  '/track',
  '/staff',
  '/staff/*',
  '/signin',
  '/my',
  '/my/*',
  '/submit/*',
  '/board',
  '/board/*',
] as const;

/**
 * Serves the single-page app: hashed assets cached for a year, index.html never cached. Until the app
 * is built, `/` shows the server's plain page and tracking goes to the script-free one.
 */
export const webRoutes: FastifyPluginAsync<{
  web: WebApp;
  /** The server's own home page; null once it has nothing to say (loading is over). */
  fallbackHome: () => string | null;
  /** A tracked dossier as plain HTML, for /track/<code>'s first paint; null for an unknown code. */
  trackingShell?: (ip: string, code: string) => Promise<string | null>;
  /** Demo data is on: every page carries the banner (built into index.html, compressed with it). */
  demo?: boolean;
}> = async (app, { web, fallbackHome, trackingShell, demo = false }) => {
  // index.html as each address gets it (the front page carries a plain HTML version of itself), with its
  // brotli and gzip forms, made once.
  type Encoded = { plain: Buffer; br: Buffer; gz: Buffer };
  const pages = new Map<'home' | 'app', Encoded>();
  let built: string | null = null;
  const builtIndex = () => {
    built ??= readFileSync(path.join(web.dir, 'index.html'), 'utf8');
    return built;
  };
  const readIndex = (home: boolean): Encoded => {
    const key = home ? 'home' : 'app';
    let page = pages.get(key);
    if (!page) {
      const html = Buffer.from(prepareIndex(builtIndex(), { home, demo }));
      page = { plain: html, br: brotliCompressSync(html), gz: gzipSync(html) };
      pages.set(key, page);
    }
    return page;
  };
  await app.register(fastifyStatic, {
    root: path.join(web.dir, 'assets'),
    prefix: '/assets/',
    // Vite names every asset by its content: it never changes under the same name.
    immutable: true,
    maxAge: '365d',
    wildcard: true,
    // The folder may not exist until the first build finishes.
    allowedPath: () => web.ready,
    // dist/web holds .br and .gz beside each asset (web-build.ts): sent as they are.
    preCompressed: true,
  });

  const serveIndex = (url: string, reply: FastifyReply) => {
    const home = url === '/' || url.startsWith('/?') ? fallbackHome() : null;
    if (!web.ready || home !== null) {
      const track = /^\/track\/([^/?#]+)/.exec(url);
      if (track) return reply.redirect(`/lite/track/${track[1]}`);
      if (url.startsWith('/track')) return reply.redirect('/lite/track');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(home ?? fallbackHome() ?? '');
    }
    const html = readIndex(url === '/' || url.startsWith('/?'));
    const accepts = String(reply.request.headers['accept-encoding'] ?? '');
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-encoding');
    if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(html.br);
    if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(html.gz);
    return reply.send(html.plain);
  };
  for (const url of SPA_PATHS) {
    app.get(url, { schema: { hide: true } }, (request, reply) => serveIndex(request.url, reply));
  }
  // A citizen who scans the receipt's QR on a slow link sees their dossier with the page itself.
  app.get('/track/*', { schema: { hide: true } }, async (request, reply) => {
    const code = decodeURIComponent(request.url.slice('/track/'.length).split(/[?#/]/)[0] ?? '');
    if (!web.ready || !trackingShell || !/^[A-Za-z0-9.]+-\d{6}-\d{4}$/.test(code)) {
      return serveIndex(request.url, reply);
    }
    const fragment = await trackingShell(request.ip, code);
    if (!fragment) return serveIndex(request.url, reply);
    const html = Buffer.from(prepareIndex(builtIndex(), { home: false, tracking: fragment, demo }));
    const accepts = String(request.headers['accept-encoding'] ?? '');
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding');
    if (/\bbr\b/.test(accepts)) {
      const quick = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } };
      return reply.header('content-encoding', 'br').send(brotliCompressSync(html, quick));
    }
    return reply.send(html);
  });
};
