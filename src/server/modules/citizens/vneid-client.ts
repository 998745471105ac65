import * as oidc from 'openid-client';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';

/** What the identity provider tells us of a citizen who signed in. */
export type CitizenClaims = {
  issuer: string;
  subject: string;
  citizenId: string;
  fullName: string;
  dateOfBirth: string | null;
  level: 1 | 2;
  phone: string | null;
  email: string | null;
  address: string | null;
};

/** What must survive the round trip to the provider (kept in a short-lived httpOnly cookie). */
export type PendingSignIn = { state: string; nonce: string; verifier: string; returnTo: string };

export type VneidOptions = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
};

const Claims = z.object({
  sub: z.string().min(1),
  name: z.string().trim().min(1).max(100),
  citizen_id: z.string().regex(/^\d{12}$/),
  birthdate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullish(),
  identity_level: z.coerce.number().pipe(z.union([z.literal(1), z.literal(2)])),
  phone_number: z.string().max(20).nullish(),
  email: z.string().max(200).nullish(),
  address: z.union([z.string(), z.object({ formatted: z.string().optional() })]).nullish(),
});

/** Only same-site paths: a sign-in never sends the citizen off to another site afterwards. */
export function safeReturnTo(value: unknown) {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/my';
}

/**
 * VNeID sign-in by OpenID Connect, authorization code with PKCE (openid-client). The provider is
 * discovered on first use, so the server starts even while the provider is still coming up.
 */
export function createVneidClient(options: VneidOptions) {
  let config: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    config ??= oidc
      .discovery(new URL(options.issuer), options.clientId, options.clientSecret, undefined, {
        // The development provider runs on plain HTTP on this machine; a real issuer is HTTPS.
        ...(options.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        config = null;
        throw err;
      });
    return config;
  };

  return {
    issuer: options.issuer,

    /** Where to send the browser, and what to remember until it comes back. */
    async start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
      const cfg = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const pending = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier,
        returnTo: safeReturnTo(returnTo),
      };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: options.redirectUri,
        scope: 'openid profile phone address vneid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        // Always ask who is there: on a shared phone the last person's provider session must not sign the
        // next one in.
        prompt: 'login',
      });
      return { url, pending };
    },

    /** The code from the callback URL exchanged and checked (state, nonce, PKCE), then the claims read. */
    async finish(callbackUrl: URL, pending: PendingSignIn): Promise<CitizenClaims> {
      const cfg = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(
          cfg,
          callbackUrl,
          {
            pkceCodeVerifier: pending.verifier,
            expectedState: pending.state,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          },
          // The registered address, not the one this request came by (a proxy may rewrite the host).
          { redirect_uri: options.redirectUri },
        );
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error('no ID token');
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
        claims = { ...idClaims, ...info };
      } catch (err) {
        throw new AppError('SIGN_IN_FAILED', {}, undefined, { reason: (err as Error).message });
      }
      const parsed = Claims.safeParse(claims);
      if (!parsed.success) {
        throw new AppError('SIGN_IN_FAILED', {}, undefined, {
          reason: 'claims',
          issues: parsed.error.issues.length,
        });
      }
      const c = parsed.data;
      const address = typeof c.address === 'string' ? c.address : (c.address?.formatted ?? null);
      return {
        issuer: cfg.serverMetadata().issuer,
        subject: c.sub,
        citizenId: c.citizen_id,
        fullName: c.name,
        dateOfBirth: c.birthdate ?? null,
        level: c.identity_level,
        phone: c.phone_number ?? null,
        email: c.email ?? null,
        address,
      };
    },
  };
}

export type VneidClient = ReturnType<typeof createVneidClient>;
