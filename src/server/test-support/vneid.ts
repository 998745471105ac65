import type { FastifyInstance } from 'fastify';
import { createVneidClient, type VneidClient } from '../modules/citizens/vneid-client.ts';
import { startDevProvider } from '../modules/citizens/vneid-dev-provider.ts';

/** The address the tests' app pretends to live at; the browser's hops to it are app.inject calls. */
export const TEST_APP_ORIGIN = 'http://motcua.test';

/** The development VNeID provider on a free port, and a client of it for buildApp({ vneid }). */
export async function startTestVneid(): Promise<{
  client: VneidClient;
  issuer: string;
  close(): Promise<void>;
}> {
  const redirectUri = `${TEST_APP_ORIGIN}/auth/vneid/callback`;
  const provider = await startDevProvider({
    issuer: 'http://127.0.0.1:0',
    port: 0,
    host: '127.0.0.1',
    clientId: 'motcua-test',
    clientSecret: 'motcua-test-secret',
    redirectUris: [redirectUri],
  });
  const client = createVneidClient({
    issuer: provider.issuer,
    clientId: 'motcua-test',
    clientSecret: 'motcua-test-secret',
    redirectUri,
  });
  return { client, issuer: provider.issuer, close: provider.close };
}

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
function keep(jar: Jar, setCookies: string[]) {
  for (const c of setCookies) {
    const [pair = ''] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
}

/**
 * Signs a test citizen in as a browser would: our start page, the provider's pages over HTTP (choosing
 * the citizen), back to our callback. Returns the headers of the signed-in browser, or where it ended.
 */
export async function signInCitizen(app: FastifyInstance, sub: string, options: { tamper?: boolean } = {}) {
  const start = await app.inject({ url: '/auth/vneid/start?returnTo=/my' });
  if (start.statusCode !== 302) throw new Error(`start: ${start.statusCode} ${start.body}`);
  const ours: Jar = new Map();
  keep(ours, ([] as string[]).concat(start.headers['set-cookie'] ?? []));
  const theirs: Jar = new Map();
  let url = String(start.headers.location);
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(TEST_APP_ORIGIN)) break;
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: cookieHeader(theirs) },
    });
    keep(theirs, res.headers.getSetCookie());
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      init = {};
      continue;
    }
    const page = await res.text();
    const uid = /\/interaction\/([^/"]+)\/login/.exec(page)?.[1];
    if (!uid) throw new Error(`no login form at ${url}: ${page.slice(0, 200)}`);
    url = new URL(`/interaction/${uid}/login`, url).href;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `sub=${encodeURIComponent(sub)}`,
    };
  }
  const callback = new URL(url);
  if (options.tamper) callback.searchParams.set('state', 'not-the-state');
  const back = await app.inject({
    url: callback.pathname + callback.search,
    headers: { cookie: cookieHeader(ours), host: new URL(TEST_APP_ORIGIN).host },
  });
  keep(ours, ([] as string[]).concat(back.headers['set-cookie'] ?? []));
  const session = ours.get('motcua_citizen');
  const location = String(back.headers.location ?? '');
  if (!session) return { location, headers: null };
  const me = await app.inject({ url: '/api/citizen/me', headers: { cookie: `motcua_citizen=${session}` } });
  return {
    location,
    headers: { cookie: `motcua_citizen=${session}`, 'x-csrf-token': me.json().csrfToken as string },
  };
}
