import { z } from 'zod';

/** A signing certificate as its holder sees it: never the key, never the PIN. */
export const CredentialView = z.object({
  id: z.number(),
  kind: z.enum(['officer', 'seal']),
  provider: z.string(),
  unitCode: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  lockedUntil: z.string().nullable().describe('after too many wrong PINs, until when it cannot sign'),
});
export type CredentialView = z.infer<typeof CredentialView>;

/** GET /api/signing/credential: the signed-in officer's certificate, or null when they have none. */
export const OwnCredential = z.object({ credential: CredentialView.nullable() });
export type OwnCredential = z.infer<typeof OwnCredential>;

/** A certificate authority this installation trusts. */
export const AuthorityView = z.object({
  id: z.number(),
  name: z.string(),
  subject: z.string(),
  fingerprintSha256: z.string(),
  validTo: z.string(),
  demo: z.boolean(),
});
export type AuthorityView = z.infer<typeof AuthorityView>;

/** GET and POST /api/signing/authorities: every trusted authority. */
export const AuthorityList = z.object({ items: z.array(AuthorityView) });
export type AuthorityList = z.infer<typeof AuthorityList>;
