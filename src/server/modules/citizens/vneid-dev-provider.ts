import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** The test citizens of the development identity provider: one per VNeID level. */
export const DEV_CITIZENS = [
  {
    sub: 'dev-citizen-l2-an',
    name: 'Nguyễn Văn An',
    citizen_id: '089085000456',
    birthdate: '1985-06-15',
    phone_number: '0912000456',
    address: 'Số 5, khóm Thới Hòa, phường Thới Sơn, An Giang',
    identity_level: 2,
  },
  {
    sub: 'dev-citizen-l2-binh',
    name: 'Trần Thị Bình',
    citizen_id: '089190000789',
    birthdate: '1990-02-20',
    phone_number: '0913000789',
    address: 'Ấp Mỹ Phú, xã Mỹ Hiệp, Đồng Tháp',
    identity_level: 2,
  },
  {
    sub: 'dev-citizen-l1-cuong',
    name: 'Lê Văn Cường',
    citizen_id: '089078000321',
    birthdate: '1978-11-02',
    phone_number: '0914000321',
    address: 'Số 9, khóm Thới Hòa, phường Thới Sơn, An Giang',
    identity_level: 1,
  },
] as const;

export type DevProviderOptions = {
  /** The issuer URL browsers reach it at, e.g. http://localhost:3001; its port is the one listened on. */
  issuer: string;
  /** 0: any free port (tests). */
  port: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
};

const SCOPE = 'openid profile phone address vneid';
const CLAIMS = ['sub', 'name', 'birthdate', 'phone_number', 'address', 'citizen_id', 'identity_level'];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function chooserPage(uid: string, clientId: string) {
  const buttons = DEV_CITIZENS.map(
    (c) => `<li><form method="post" action="/interaction/${esc(uid)}/login">
<input type="hidden" name="sub" value="${esc(c.sub)}">
<button type="submit">${esc(c.name)} — mức ${c.identity_level}</button></form></li>`,
  ).join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID (môi trường phát triển)</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem;color:#a4161a}button{font-size:1.05rem;padding:.8rem 1rem;margin:.3rem 0;width:100%;text-align:left;cursor:pointer;background:#fff;border:1px solid #868e96;border-radius:.4rem}
ul{list-style:none;padding:0}p{line-height:1.5}</style></head>
<body><h1>VNeID — nhà cung cấp định danh thử nghiệm</h1>
<p>Đây là máy chủ định danh dùng để phát triển và thử nghiệm (không phải VNeID thật). Chọn một công dân thử nghiệm để đăng nhập vào <strong>${esc(clientId)}</strong>.</p>
<ul>${buttons}</ul></body></html>`;
}

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A development OpenID Connect provider standing in for VNeID: authorization code with PKCE, the test
 * citizens above with their personal ID number and identity level as claims. `npm start` runs it when
 * no OIDC_ISSUER is configured; it is never used in production.
 */
export async function startDevProvider(
  options: DevProviderOptions,
): Promise<{ server: Server; issuer: string; close(): Promise<void> }> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const issuerUrl = new URL(options.issuer);
  issuerUrl.port = String(port);
  const issuer = issuerUrl.origin;

  // oidc-provider (some 30 MB) loads with the first sign-in, not with the server.
  let loading: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | null = null;
  const makeHandler = async () => {
    const { default: Provider } = await import('oidc-provider');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'dev-1' };
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uris: options.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk as never] },
      cookies: { keys: [randomBytes(32).toString('base64')] },
      pkce: { required: () => true },
      scopes: ['openid', 'profile', 'phone', 'address', 'vneid'],
      claims: {
        openid: ['sub'],
        profile: ['name', 'birthdate'],
        phone: ['phone_number'],
        address: ['address'],
        vneid: ['citizen_id', 'identity_level'],
      },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
      async findAccount(_ctx, id) {
        const citizen = DEV_CITIZENS.find((c) => c.sub === id);
        if (!citizen) return undefined;
        return {
          accountId: id,
          async claims() {
            return { ...citizen, address: { formatted: citizen.address } };
          },
        };
      },
      // First-party client: the test citizen has already agreed, so no consent screen.
      async loadExistingGrant(ctx) {
        const grantId =
          ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client?.clientId,
          accountId: ctx.oidc.session?.accountId,
        });
        grant.addOIDCScope(SCOPE);
        grant.addOIDCClaims(CLAIMS);
        await grant.save();
        return grant;
      },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 120,
        IdToken: 600,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
      },
    });
    provider.proxy = true;
    const callback = provider.callback();

    return async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', issuer);
      const login = /^\/interaction\/([^/]+)\/login$/.exec(url.pathname);
      try {
        if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(url.pathname)) {
          const details = await provider.interactionDetails(req, res);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(chooserPage(details.uid, String(details.params.client_id ?? '')));
          return;
        }
        if (req.method === 'POST' && login) {
          const form = await readForm(req);
          const sub = form.get('sub') ?? '';
          if (!DEV_CITIZENS.some((c) => c.sub === sub)) {
            res
              .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
              .end('Công dân thử nghiệm không tồn tại');
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: sub } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
      } catch (err) {
        res
          .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`Phiên đăng nhập không hợp lệ: ${(err as Error).message}`);
        return;
      }
      callback(req, res);
    };
  };
  handle = (req, res) => {
    loading ??= makeHandler();
    loading.then(
      (h) => h(req, res),
      () => res.writeHead(503).end(),
    );
  };
  return {
    server,
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
