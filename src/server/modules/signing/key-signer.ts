import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../../core/errors.ts';
import type { KeyAlgorithm } from './cms.ts';
import { certificateToDer } from './demo-ca.ts';

/**
 * Whatever holds a signing key: a PKCS#12 file opened with the officer's PIN, a USB token (PKCS#11), or
 * a remote signing service. The PAdES code only ever asks it for certificates and a signature.
 */
export type KeySigner = {
  readonly kind: 'pkcs12' | 'pkcs11' | 'remote';
  readonly keyAlgorithm: KeyAlgorithm;
  /** DER certificates: the signer's first, then its chain (as far as it is known). */
  readonly certificates: Uint8Array[];
  /** Signs SHA-256 of `data` (PKCS#1 v1.5 for RSA, DER ECDSA for EC keys). */
  sign(data: Uint8Array): Promise<Uint8Array>;
};

/** What a PKCS#12 file holds, once opened. */
export type OpenedPkcs12 = { privateKey: KeyObject; certificates: Uint8Array[] };

/**
 * Opens a PKCS#12 file with its PIN. A wrong PIN is `null` (the caller counts it); a file that is no
 * PKCS#12, or holds no key and matching certificate, is CERTIFICATE_INVALID.
 */
export function openPkcs12(p12: Uint8Array, pin: string): OpenedPkcs12 | null {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(p12).toString('binary'));
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, pin);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) return null;
    throw new AppError('CERTIFICATE_INVALID', { reason: 'tệp không phải chứng thư số PKCS#12 đọc được' });
  }
  const keyBags = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag as string })[
      forge.pki.oids.pkcs8ShroudedKeyBag as string
    ] ?? []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag as string })[forge.pki.oids.keyBag as string] ?? []),
  ];
  const certBags =
    pfx.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string] ?? [];
  const key = keyBags.find((b) => b.key)?.key;
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => Boolean(c));
  if (!key || certs.length === 0) {
    throw new AppError('CERTIFICATE_INVALID', { reason: 'tệp không chứa khóa bí mật và chứng thư số' });
  }
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(key as forge.pki.rsa.PrivateKey));
  // The signer's certificate is the one whose public key matches the private key.
  const modulus = (key as forge.pki.rsa.PrivateKey).n;
  const own = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.equals(modulus)) ?? certs[0];
  const ordered = [own, ...certs.filter((c) => c !== own)] as forge.pki.Certificate[];
  return { privateKey, certificates: ordered.map(certificateToDer) };
}

/** A signer over a key held in memory (a PKCS#12 opened with its PIN). */
export function createKeyObjectSigner(opened: OpenedPkcs12): KeySigner {
  const keyAlgorithm: KeyAlgorithm = opened.privateKey.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  return {
    kind: 'pkcs12',
    keyAlgorithm,
    certificates: opened.certificates,
    async sign(data) {
      return sign('sha256', data, opened.privateKey);
    },
  };
}

/** A PKCS#12 file as a list of bytes: the key and the chain, encrypted with the PIN (3DES, SHA-1 MAC). */
export function buildPkcs12(input: {
  privateKeyPem: string;
  certificates: forge.pki.Certificate[];
  pin: string;
  friendlyName: string;
}): Buffer {
  const key = forge.pki.privateKeyFromPem(input.privateKeyPem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, input.certificates, input.pin, {
    algorithm: '3des',
    friendlyName: input.friendlyName,
    generateLocalKeyId: true,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * The seam for a USB token (PKCS#11, e.g. a Vietnamese CA's token through its vendor module): an
 * adapter supplies the certificate chain read from the token and a function that has the token sign a
 * SHA-256 digest. Nothing here loads a native module; the adapter does, where a token is plugged in.
 */
export type Pkcs11Session = {
  certificates: Uint8Array[];
  keyAlgorithm: KeyAlgorithm;
  /** CKM_SHA256_RSA_PKCS / CKM_ECDSA_SHA256 over the data, done on the token. */
  signOnToken(data: Uint8Array): Promise<Uint8Array>;
};

export function createPkcs11Signer(session: Pkcs11Session): KeySigner {
  return {
    kind: 'pkcs11',
    keyAlgorithm: session.keyAlgorithm,
    certificates: session.certificates,
    sign: (data) => session.signOnToken(data),
  };
}

/**
 * The seam for a remote signing service (the province's signing server, a CA's cloud signing, Cloud
 * Signature Consortium "signHash"): the service is given the SHA-256 of what is to be signed and
 * returns the signature; the adapter handles the service's own authentication (its OTP or app approval).
 */
export type RemoteSigningService = {
  certificates: Uint8Array[];
  keyAlgorithm: KeyAlgorithm;
  signHash(sha256: Uint8Array): Promise<Uint8Array>;
};

export function createRemoteSigner(
  service: RemoteSigningService,
  hash: (data: Uint8Array) => Buffer,
): KeySigner {
  return {
    kind: 'remote',
    keyAlgorithm: service.keyAlgorithm,
    certificates: service.certificates,
    sign: (data) => service.signHash(hash(data)),
  };
}
