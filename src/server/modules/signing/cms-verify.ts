import { createHash, verify, X509Certificate } from 'node:crypto';
import { OIDS } from './cms.ts';
import { child, children, content, DerError, oidOf, raw, readTlv, type Tlv } from './der.ts';

/** Digest algorithms a signature may use; SHA-1 is no longer accepted for signatures. */
const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export type ParsedCms = {
  certificates: Buffer[];
  digestAlgorithm: string;
  signedAttrs: Tlv | null;
  signature: Buffer;
  sid: Tlv;
  unsignedAttrs: Tlv | null;
  /** The encapsulated content (a time-stamp token's TSTInfo); null when detached. */
  content: Buffer | null;
};

/** The attributes of a SET (signed or unsigned) by OID, each with its values. */
export function attributes(set: Tlv) {
  const map = new Map<string, Tlv[]>();
  for (const attr of children(set)) {
    const [type, values] = children(attr);
    if (type && values) map.set(oidOf(type), children(values));
  }
  return map;
}

export function parseSignedData(der: Buffer): ParsedCms {
  const contentInfo = readTlv(der);
  if (oidOf(child(contentInfo, 0, 'content type')) !== OIDS.signedData) throw new DerError('not SignedData');
  const signedData = child(child(contentInfo, 1, 'content'), 0, 'SignedData');
  const parts = children(signedData);
  const encapParts = children(parts[2] as Tlv);
  const eContent = encapParts[1] ? content(child(encapParts[1], 0, 'eContent')) : null;
  const certSet = parts.find((p) => p.tag === 0xa0);
  const signerInfo = child(parts.at(-1) as Tlv, 0, 'SignerInfo');
  const si = children(signerInfo);
  let i = 1;
  const sid = si[i++] as Tlv;
  const digestAlgorithm = oidOf(child(si[i++] as Tlv, 0, 'digest algorithm'));
  const signedAttrs = si[i]?.tag === 0xa0 ? (si[i++] as Tlv) : null;
  i++; // the signature algorithm: the certificate's key decides how to verify
  const signature = Buffer.from(content(si[i++] as Tlv));
  const unsignedAttrs = si[i]?.tag === 0xa1 ? (si[i] as Tlv) : null;
  return {
    certificates: certSet ? children(certSet).map((c) => Buffer.from(raw(c))) : [],
    digestAlgorithm,
    signedAttrs,
    signature,
    sid,
    unsignedAttrs,
    content: eContent ? Buffer.from(eContent) : null,
  };
}

/** The certificate the SignerInfo names by issuer and serial number. */
export function findSignerCertificate(cms: ParsedCms): X509Certificate | null {
  const [issuer, serial] = children(cms.sid);
  if (!issuer || !serial) return null;
  for (const der of cms.certificates) {
    const fields = children(child(readTlv(der), 0, 'tbsCertificate'));
    const at = fields[0]?.tag === 0xa0 ? 1 : 0;
    const certSerial = fields[at];
    const certIssuer = fields[at + 2];
    if (
      certSerial &&
      certIssuer &&
      raw(certSerial).equals(raw(serial)) &&
      raw(certIssuer).equals(raw(issuer))
    ) {
      return new X509Certificate(der);
    }
  }
  return null;
}

/** A hash of bytes given in parts (the two byte ranges), without joining them. */
export function digestOf(algorithm: string, parts: Uint8Array[]) {
  const hash = createHash(algorithm);
  for (const p of parts) hash.update(p);
  return hash.digest();
}

/**
 * Checks the SignerInfo: the content digest against its message-digest, its signature over the signed
 * attributes (their exact bytes, re-tagged as the SET they were signed as) with the certificate, and the
 * ESS signing-certificate(-v2) binding the certificate, which CAdES requires.
 */
export function checkSignerInfo(cms: ParsedCms, signedContent: Uint8Array[], cert: X509Certificate | null) {
  const problems: string[] = [];
  const hash = HASHES[cms.digestAlgorithm];
  if (!hash) {
    return {
      digestMatches: false,
      signatureOk: false,
      problems: ['thuật toán băm không được chấp nhận (cần SHA-256 trở lên)'],
    };
  }
  if (!cms.signedAttrs) {
    return { digestMatches: false, signatureOk: false, problems: ['chữ ký không có thuộc tính được ký'] };
  }
  const attrs = attributes(cms.signedAttrs);
  const messageDigest = attrs.get(OIDS.messageDigest)?.[0];
  const digestMatches = messageDigest ? content(messageDigest).equals(digestOf(hash, signedContent)) : false;
  if (!digestMatches) problems.push('nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp)');
  if (!cert) {
    problems.push('không tìm thấy chứng thư số của người ký trong chữ ký');
    return { digestMatches, signatureOk: false, problems };
  }
  const set = Buffer.from(raw(cms.signedAttrs));
  set[0] = 0x31;
  let signatureOk = false;
  try {
    signatureOk = verify(hash, set, cert.publicKey, cms.signature);
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) problems.push('chữ ký không khớp với chứng thư số');
  if (!essBindsCertificate(attrs, cert)) {
    signatureOk = false;
    problems.push('chữ ký không gắn với chứng thư số (thiếu hoặc sai thuộc tính signing-certificate)');
  }
  return { digestMatches, signatureOk, problems };
}

/** ESS signing-certificate-v2 (or v1, SHA-1) names the signer's certificate by its hash. */
function essBindsCertificate(attrs: Map<string, Tlv[]>, cert: X509Certificate) {
  const v2 = attrs.get(OIDS.signingCertificateV2)?.[0];
  const v1 = attrs.get(OIDS.signingCertificate)?.[0];
  try {
    if (v2) {
      const id = child(child(v2, 0, 'certs'), 0, 'ESSCertIDv2');
      const first = child(id, 0, 'hash or algorithm');
      // The hash algorithm is left out when it is the default, SHA-256.
      const [algorithm, hashed] =
        first.tag === 0x30
          ? [HASHES[oidOf(child(first, 0, 'oid'))], child(id, 1, 'hash')]
          : ['sha256', first];
      return (
        Boolean(algorithm) &&
        content(hashed).equals(
          createHash(algorithm as string)
            .update(cert.raw)
            .digest(),
        )
      );
    }
    if (v1) {
      const hashed = child(child(child(v1, 0, 'certs'), 0, 'ESSCertID'), 0, 'hash');
      return content(hashed).equals(createHash('sha1').update(cert.raw).digest());
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Does the certificate chain (through the certificates that came with it) to a trusted authority, every
 * issuer on the way being a CA, and every certificate valid at `at`?
 */
export function chainsToTrusted(
  cert: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  at: Date,
) {
  const validAt = (c: X509Certificate) =>
    Date.parse(c.validFrom) <= at.getTime() && at.getTime() <= Date.parse(c.validTo);
  const issues = (issuer: X509Certificate, subject: X509Certificate) =>
    issuer.ca && validAt(issuer) && subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  let current = cert;
  for (let depth = 0; depth < 6; depth++) {
    if (!validAt(current)) return false;
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256 && current.ca)) return true;
    if (anchors.some((a) => issues(a, current))) return true;
    const issuer = pool.find((p) => p.fingerprint256 !== current.fingerprint256 && issues(p, current));
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

/**
 * The time of an RFC 3161 token over `signature`, when the token is intact, its imprint is the
 * signature's hash and its authority's certificate chains to a trusted CA; otherwise null (the token
 * then proves nothing and the signer's own clock is not believed either).
 */
export function trustedTimeStamp(token: Tlv, signature: Buffer, anchors: X509Certificate[]): Date | null {
  try {
    const cms = parseSignedData(Buffer.from(raw(token)));
    if (!cms.content) return null;
    const tst = children(readTlv(cms.content));
    const imprint = tst[2] as Tlv;
    const hash = HASHES[oidOf(child(child(imprint, 0, 'algorithm'), 0, 'oid'))];
    if (
      !hash ||
      !createHash(hash)
        .update(signature)
        .digest()
        .equals(content(child(imprint, 1, 'hash')))
    )
      return null;
    const tsa = findSignerCertificate(cms);
    if (!tsa || !checkSignerInfo(cms, [cms.content], tsa).signatureOk) return null;
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(
      content(tst[4] as Tlv).toString('latin1'),
    );
    if (!m) return null;
    const time = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
    const pool = cms.certificates.map((der) => new X509Certificate(der));
    return chainsToTrusted(tsa, pool, anchors, time) ? time : null;
  } catch {
    return null;
  }
}
