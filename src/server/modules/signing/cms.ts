import { createHash } from 'node:crypto';
import forge from 'node-forge';

/**
 * CMS SignedData for PAdES (ETSI.CAdES.detached): SHA-256, the signed attributes content-type,
 * message-digest and ESS signing-certificate-v2 (RFC 5035), no signing-time attribute (PAdES puts the
 * time in the signature dictionary's /M), and an optional RFC 3161 time-stamp token as an unsigned
 * attribute. Built with node-forge's ASN.1 only: forge's PKCS#7 writer cannot carry the
 * signing-certificate attribute, and the private-key operation belongs to the KeySigner (a file, a USB
 * token or a remote service).
 */
const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

export type Asn1 = forge.asn1.Asn1;

const bin = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary');
export const derOf = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
export const parseDer = (bytes: Uint8Array) => asn1.fromDer(bin(bytes));

export const seq = (items: Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, items);
export const oid = (value: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(value).getBytes());
export const octets = (bytes: Uint8Array) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, bin(bytes));
export const integer = (n: number) =>
  asn1.create(C.UNIVERSAL, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const tagged = (tag: number, items: Asn1[]) => asn1.create(C.CONTEXT_SPECIFIC, tag, true, items);

/** DER's SET OF: the members in the order of their encodings. */
function setOf(items: Asn1[]) {
  const sorted = items
    .map((item) => ({ item, der: derOf(item) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((x) => x.item);
  return asn1.create(C.UNIVERSAL, T.SET, true, sorted);
}

export const algorithm = (id: string, nullParameters = true) =>
  seq(nullParameters ? [oid(id), asn1.create(C.UNIVERSAL, T.NULL, false, '')] : [oid(id)]);
const attribute = (type: string, values: Asn1[]) => seq([oid(type), setOf(values)]);

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** The issuer name and serial number of a certificate, as ASN.1 nodes, whatever its key type. */
export function issuerAndSerial(certificateDer: Uint8Array) {
  const tbs = (parseDer(certificateDer).value as Asn1[])[0] as Asn1;
  const fields = tbs.value as Asn1[];
  // The version is an explicit [0] tag, present on every v3 certificate.
  const at = (fields[0] as Asn1).tagClass === C.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: fields[at] as Asn1, issuer: fields[at + 2] as Asn1 };
}

/** The attributes the signature covers; their DER as a SET is what the key signs. */
export function buildSignedAttributes(contentDigest: Uint8Array, certificateDer: Uint8Array) {
  const { serial, issuer } = issuerAndSerial(certificateDer);
  // ESSCertIDv2 with the default hash algorithm (SHA-256) left out, as DER requires.
  const essCertId = seq([octets(sha256(certificateDer)), seq([seq([tagged(4, [issuer])]), serial])]);
  return setOf([
    attribute(OIDS.contentType, [oid(OIDS.data)]),
    attribute(OIDS.messageDigest, [octets(contentDigest)]),
    attribute(OIDS.signingCertificateV2, [seq([seq([essCertId])])]),
  ]);
}

export type KeyAlgorithm = 'rsa' | 'ec';

/**
 * The SignedData around a signature already made over `signedAttributes` (a SET). The signer's
 * certificate comes first in `certificates`, then its chain.
 */
export function buildSignedData(input: {
  signedAttributes: Asn1;
  signature: Uint8Array;
  keyAlgorithm: KeyAlgorithm;
  certificates: Uint8Array[];
  timeStampToken?: Uint8Array | undefined;
}) {
  const signerCertificate = input.certificates[0];
  if (!signerCertificate) throw new Error('a signature needs the signer certificate');
  const { serial, issuer } = issuerAndSerial(signerCertificate);
  // In the SignerInfo the signed attributes are an implicit [0]: the same content under another tag.
  const signedAttrs = tagged(0, input.signedAttributes.value as Asn1[]);
  const signerInfo: Asn1[] = [
    integer(1),
    seq([issuer, serial]),
    algorithm(OIDS.sha256),
    signedAttrs,
    input.keyAlgorithm === 'rsa' ? algorithm(OIDS.sha256WithRsa) : algorithm(OIDS.ecdsaWithSha256, false),
    octets(input.signature),
  ];
  if (input.timeStampToken) {
    signerInfo.push(tagged(1, [attribute(OIDS.timeStampToken, [parseDer(input.timeStampToken)])]));
  }
  const signedData = seq([
    integer(1),
    setOf([algorithm(OIDS.sha256)]),
    seq([oid(OIDS.data)]),
    tagged(
      0,
      input.certificates.map((der) => parseDer(der)),
    ),
    setOf([seq(signerInfo)]),
  ]);
  return derOf(seq([oid(OIDS.signedData), tagged(0, [signedData])]));
}
