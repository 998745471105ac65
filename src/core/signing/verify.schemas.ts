import { z } from 'zod';

/** A signer's certificate as a verification reads it. */
export const CertificateView = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprintSha256: z.string(),
  trusted: z.boolean().describe('chains to an authority this installation trusts, valid at the trusted time'),
});
export type CertificateView = z.infer<typeof CertificateView>;

export const SignatureCheck = z.object({
  signer: z.string(),
  certificate: CertificateView.nullable(),
  signedAt: z.string().nullable(),
  timestamped: z.boolean(),
  valid: z.boolean(),
  digestMatches: z.boolean(),
  coversWholeDocument: z.boolean(),
  subFilter: z.string().nullable(),
  problems: z.array(z.string()).describe('what is wrong, in Vietnamese'),
});
export type SignatureCheck = z.infer<typeof SignatureCheck>;

/** POST /api/verify: what a signed PDF's signatures say, and whether this installation issued it. */
export const VerifyReport = z.object({
  valid: z.boolean().describe('every signature intact, by a trusted certificate, and nothing added since'),
  modifiedAfterSigning: z.boolean(),
  signatures: z.array(SignatureCheck),
  dossierCode: z.string().nullable(),
  issuedHere: z.boolean().describe('these exact bytes are a result this installation issued'),
  sha256: z.string(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
