import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { buildSignedAttributes, buildSignedData, derOf, sha256 } from './cms.ts';
import type { KeySigner } from './key-signer.ts';

/** Asks a time-stamping authority (RFC 3161) to stamp a SHA-256 digest; returns the token (DER). */
export type TimeStamper = (digest: Uint8Array) => Promise<Uint8Array>;

export type SignatureRequest = {
  /** Why and where, as the PDF signature dictionary records them (ASCII: see `ascii`). */
  reason: string;
  location: string;
  /** The signer's name in the signature dictionary; the certificate is what counts. */
  name: string;
  /** The signing time written into /M. */
  signingTime: Date;
  timeStamper?: TimeStamper | undefined;
};

/**
 * @signpdf writes the signature dictionary's strings through Buffer.from(…) in UTF-8, which mangles the
 * UTF-16 it made of non-ASCII text: the dictionary gets the folded name, the certificate keeps the
 * Vietnamese one.
 */
export function ascii(text: string) {
  return text
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[()\\]/g, ' ')
    .trim();
}

class CadesSigner extends Signer {
  constructor(
    private readonly key: KeySigner,
    private readonly timeStamper: TimeStamper | undefined,
  ) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const certificate = this.key.certificates[0];
    if (!certificate) throw new Error('the key signer has no certificate');
    const attributes = buildSignedAttributes(sha256(signedBytes), certificate);
    const signature = await this.key.sign(derOf(attributes));
    const timeStampToken = this.timeStamper ? await this.timeStamper(sha256(signature)) : undefined;
    return buildSignedData({
      signedAttributes: attributes,
      signature,
      keyAlgorithm: this.key.keyAlgorithm,
      certificates: this.key.certificates,
      timeStampToken,
    });
  }
}

/**
 * Adds one PAdES signature (ETSI.CAdES.detached, SHA-256) as an incremental update: a PDF already
 * signed keeps its earlier signatures valid, so a result gets the officer's signature, then the seal.
 * The PDF must use a classic cross-reference table (pdf-lib: `useObjectStreams: false`).
 */
export async function signPdf(pdf: Uint8Array, key: KeySigner, request: SignatureRequest): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf),
    reason: ascii(request.reason),
    contactInfo: '',
    name: ascii(request.name),
    location: ascii(request.location),
    signingTime: request.signingTime,
    // Two RSA-4096 certificates and a time-stamp token fit with room to spare.
    signatureLength: request.timeStamper ? 24_576 : 12_288,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'MotCua',
  });
  return new SignPdf().sign(withPlaceholder, new CadesSigner(key, request.timeStamper), request.signingTime);
}
