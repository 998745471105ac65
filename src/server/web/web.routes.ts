import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** The built web app, once there: it may arrive after the server listens (npm start builds it then). */
export type WebApp = { dir: string; ready: boolean };

export function createWebApp(dir: string): WebApp {
  return { dir, ready: existsSync(path.join(dir, 'index.html')) };
}

/** The app's own addresses: the portal, tracking, the staff face (the server's pages stay its own). */
export const SPA_PATHS = [
  '/',
  '/procedures',
  '/procedures/*',
  '/track',
  '/track/*',
  '/staff',
  '/staff/*',
  '/signin',
  '/my',
  '/my/*',
  '/submit/*',
] as const;

/**
 * Serves the single-page app: hashed assets cached for a year, index.html never cached. Until the app
 * is built, `/` shows the server's plain page and tracking goes to the script-free one.
 */
export const webRoutes: FastifyPluginAsync<{
  web: WebApp;
  /** The server's own home page; null once it has nothing to say (loading is over). */
  fallbackHome: () => string | null;
}> = async (app, { web, fallbackHome }) => {
  let index: string | null = null;
  const readIndex = () => {
    if (index === null) index = readFileSync(path.join(web.dir, 'index.html'), 'utf8');
    return index;
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
    preCompressed: false,
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
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readIndex());
  };
  for (const url of SPA_PATHS) {
    app.get(url, { schema: { hide: true } }, (request, reply) => serveIndex(request.url, reply));
  }
};
