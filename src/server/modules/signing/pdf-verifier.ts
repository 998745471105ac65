import { createHash, verify, X509Certificate } from 'node:crypto';
import { DOSSIER_CODE_KEY } from '../documents/pdf/pdf-writer.ts';
import { OIDS } from './cms.ts';
import { child, children, content, DerError, oidOf, raw, readTlv, type Tlv } from './der.ts';

export type CertificateView = {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprintSha256: string;
  /** Chains to a certificate authority this installation trusts. */
  trusted: boolean;
};

export type SignatureView = {
  signer: string;
  certificate: CertificateView | null;
  /** The time-stamp authority's time when there is one, else the time the signer's software wrote. */
  signedAt: string | null;
  timestamped: boolean;
  /** The signed bytes are intact and the signature over them checks out with the certificate. */
  valid: boolean;
  digestMatches: boolean;
  coversWholeDocument: boolean;
  subFilter: string | null;
  /** What is wrong, in Vietnamese, for the page that shows it. */
  problems: string[];
};

export type VerificationReport = {
  valid: boolean;
  modifiedAfterSigning: boolean;
  signatures: SignatureView[];
  dossierCode: string | null;
};

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/** "D:20261129103000+07'00'" → ISO instant. */
function pdfDate(text: string): string | null {
  const m = /D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?/.exec(text);
  if (!m) return null;
  const offset = m[8] ? `${m[8]}${m[9]}:${m[10] ?? '00'}` : 'Z';
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** GeneralizedTime "20261129033000Z" (fractions allowed) → ISO. */
function generalizedTime(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`).toISOString() : null;
}

/** The text of the PDF object around a position (the signature dictionary of a byte range). */
function enclosingObject(latin1: string, at: number) {
  const start = latin1.lastIndexOf(' obj', at);
  const end = latin1.indexOf('endobj', at);
  return latin1.slice(start < 0 ? 0 : start, end < 0 ? latin1.length : end);
}

/** The attributes of a SET (signed or unsigned) by OID, each with its values. */
function attributes(set: Tlv) {
  const map = new Map<string, Tlv[]>();
  for (const attr of children(set)) {
    const [type, values] = children(attr);
    if (type && values) map.set(oidOf(type), children(values));
  }
  return map;
}

type ParsedCms = {
  certificates: Buffer[];
  digestAlgorithm: string;
  signedAttrs: Tlv | null;
  signature: Buffer;
  signatureAlgorithm: string;
  sid: Tlv;
  unsignedAttrs: Tlv | null;
  /** The encapsulated content (a time-stamp token's TSTInfo); null when detached. */
  content: Buffer | null;
};

function parseSignedData(der: Buffer): ParsedCms {
  const contentInfo = readTlv(der);
  if (oidOf(child(contentInfo, 0, 'content type')) !== OIDS.signedData) throw new DerError('not SignedData');
  const signedData = child(child(contentInfo, 1, 'content'), 0, 'SignedData');
  const parts = children(signedData);
  const encap = parts[2] as Tlv;
  const encapParts = children(encap);
  const eContent = encapParts[1] ? content(child(encapParts[1], 0, 'eContent')) : null;
  const certSet = parts.find((p) => p.tag === 0xa0);
  const signerInfos = parts.at(-1) as Tlv;
  const signerInfo = child(signerInfos, 0, 'SignerInfo');
  const si = children(signerInfo);
  let i = 1;
  const sid = si[i++] as Tlv;
  const digestAlgorithm = oidOf(child(si[i++] as Tlv, 0, 'digest algorithm'));
  const signedAttrs = si[i]?.tag === 0xa0 ? (si[i++] as Tlv) : null;
  const signatureAlgorithm = oidOf(child(si[i++] as Tlv, 0, 'signature algorithm'));
  const signature = Buffer.from(content(si[i++] as Tlv));
  const unsignedAttrs = si[i]?.tag === 0xa1 ? (si[i] as Tlv) : null;
  return {
    certificates: certSet ? children(certSet).map((c) => Buffer.from(raw(c))) : [],
    digestAlgorithm,
    signedAttrs,
    signature,
    signatureAlgorithm,
    sid,
    unsignedAttrs,
    content: eContent ? Buffer.from(eContent) : null,
  };
}

/** The certificate the SignerInfo names by issuer and serial number. */
function findSignerCertificate(cms: ParsedCms): X509Certificate | null {
  const [issuer, serial] = children(cms.sid);
  if (!issuer || !serial) return null;
  for (const der of cms.certificates) {
    const tbs = child(readTlv(der), 0, 'tbsCertificate');
    const fields = children(tbs);
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

/** Checks the SignerInfo's signature over its signed attributes and the content digest they carry. */
function checkSignerInfo(cms: ParsedCms, signedContent: Buffer, cert: X509Certificate | null) {
  const problems: string[] = [];
  const hash = HASHES[cms.digestAlgorithm];
  if (!hash)
    return { digestMatches: false, signatureOk: false, problems: ['thuật toán băm không được hỗ trợ'] };
  const digest = createHash(hash).update(signedContent).digest();
  if (!cms.signedAttrs) {
    return { digestMatches: false, signatureOk: false, problems: ['chữ ký không có thuộc tính được ký'] };
  }
  const attrs = attributes(cms.signedAttrs);
  const messageDigest = attrs.get(OIDS.messageDigest)?.[0];
  const digestMatches = messageDigest ? content(messageDigest).equals(digest) : false;
  if (!digestMatches) problems.push('nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp)');
  let signatureOk = false;
  if (!cert) {
    problems.push('không tìm thấy chứng thư số của người ký trong chữ ký');
  } else {
    // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they are stored as.
    const set = Buffer.from(raw(cms.signedAttrs));
    set[0] = 0x31;
    try {
      signatureOk = verify(hash, set, cert.publicKey, cms.signature);
    } catch {
      signatureOk = false;
    }
    if (!signatureOk) problems.push('chữ ký không khớp với chứng thư số');
    const essV2 = attrs.get(OIDS.signingCertificateV2)?.[0];
    if (essV2) {
      const certHash = content(child(child(child(essV2, 0, 'certs'), 0, 'ESSCertIDv2'), 0, 'hash'));
      const expected = createHash('sha256').update(cert.raw).digest();
      // A hash algorithm other than the default SHA-256 would come first; it is not used here.
      if (certHash.length === 32 && !certHash.equals(expected)) {
        signatureOk = false;
        problems.push('thuộc tính chứng thư ký (signing-certificate) không khớp');
      }
    }
  }
  return { digestMatches, signatureOk, problems };
}

/** The time of an RFC 3161 token whose imprint is the hash of `signature`; null when it does not match. */
function timeStampTime(token: Tlv, signature: Buffer): string | null {
  try {
    const cms = parseSignedData(Buffer.from(raw(token)));
    if (!cms.content) return null;
    const tst = children(readTlv(cms.content));
    const imprint = tst[2] as Tlv;
    const hash = HASHES[oidOf(child(child(imprint, 0, 'algorithm'), 0, 'oid'))];
    const hashed = content(child(imprint, 1, 'hashedMessage'));
    if (!hash || !createHash(hash).update(signature).digest().equals(hashed)) return null;
    const tsaCert = findSignerCertificate(cms);
    if (!checkSignerInfo(cms, cms.content, tsaCert).signatureOk) return null;
    return generalizedTime(content(tst[4] as Tlv).toString('latin1'));
  } catch {
    return null;
  }
}

/** Does the certificate chain (through the certificates that came with it) to a trusted authority? */
export function chainsToTrusted(
  cert: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  at: Date,
) {
  let current = cert;
  for (let depth = 0; depth < 6; depth++) {
    if (Date.parse(current.validFrom) > at.getTime() || Date.parse(current.validTo) < at.getTime())
      return false;
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchor) return true;
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return true;
    const issuer = pool.find((p) => p !== current && current.checkIssued(p) && current.verify(p.publicKey));
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

const commonName = (dn: string) => /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn;

function describeCertificate(cert: X509Certificate, trusted: boolean): CertificateView {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprintSha256: cert.fingerprint256,
    trusted,
  };
}

/**
 * Verifies every signature of a PDF: the signed byte ranges against the digest, the signature against
 * the signer's certificate, the certificate against the trusted authorities, and whether anything was
 * added after the last signature. A file with no signature is reported, not thrown.
 */
export function verifyPdfSignatures(pdf: Uint8Array, trustAnchors: X509Certificate[]): VerificationReport {
  const bytes = Buffer.from(pdf);
  const latin1 = bytes.toString('latin1');
  const signatures: SignatureView[] = [];
  let coveredTo = 0;
  for (const match of latin1.matchAll(BYTE_RANGE)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const dictionary = enclosingObject(latin1, match.index);
    const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(dictionary)?.[1] ?? null;
    const view: SignatureView = {
      signer: 'không xác định',
      certificate: null,
      signedAt: pdfDate(dictionary),
      timestamped: false,
      valid: false,
      digestMatches: false,
      coversWholeDocument: false,
      subFilter,
      problems: [],
    };
    signatures.push(view);
    const hole = latin1.slice(b, c);
    if (a !== 0 || b >= c || c + d > bytes.length || !/^<[0-9A-Fa-f]*>$/.test(hole)) {
      view.problems.push('vùng ký (ByteRange) không hợp lệ');
      continue;
    }
    coveredTo = Math.max(coveredTo, c + d);
    view.coversWholeDocument = c + d === bytes.length;
    try {
      const hex = hole.slice(1, -1);
      const der = Buffer.from(hex, 'hex');
      const cms = parseSignedData(der.subarray(0, readTlv(der).end));
      const cert = findSignerCertificate(cms);
      const signed = Buffer.concat([bytes.subarray(0, b), bytes.subarray(c, c + d)]);
      const check = checkSignerInfo(cms, signed, cert);
      view.digestMatches = check.digestMatches;
      view.problems.push(...check.problems);
      const token = cms.unsignedAttrs
        ? attributes(cms.unsignedAttrs).get(OIDS.timeStampToken)?.[0]
        : undefined;
      const stamped = token ? timeStampTime(token, cms.signature) : null;
      if (token && !stamped) view.problems.push('dấu thời gian không hợp lệ');
      view.timestamped = stamped !== null;
      view.signedAt = stamped ?? view.signedAt;
      if (cert) {
        const pool = cms.certificates.map((der) => new X509Certificate(der));
        const at = view.signedAt ? new Date(view.signedAt) : new Date();
        const trusted = chainsToTrusted(cert, pool, trustAnchors, at);
        if (!trusted)
          view.problems.push('chứng thư số không do tổ chức chứng thực được tin cậy cấp, hoặc đã hết hạn');
        view.certificate = describeCertificate(cert, trusted);
        view.signer = commonName(cert.subject);
      }
      view.valid = check.digestMatches && check.signatureOk && (!token || stamped !== null);
    } catch (err) {
      view.problems.push(
        err instanceof DerError ? 'chữ ký bị hỏng, không đọc được' : 'không kiểm tra được chữ ký',
      );
    }
  }
  // Bytes after the last signed revision (other than a trailing line end) were added after signing.
  const appended = coveredTo > 0 && latin1.slice(coveredTo).trim().length > 0;
  const modifiedAfterSigning = appended || signatures.some((s) => !s.digestMatches);
  const codes = [
    ...latin1
      .slice(0, coveredTo || bytes.length)
      .matchAll(new RegExp(`/${DOSSIER_CODE_KEY}\\s*\\(([^)]{1,80})\\)`, 'g')),
  ];
  return {
    valid:
      signatures.length > 0 &&
      !modifiedAfterSigning &&
      signatures.every((s) => s.valid && s.certificate?.trusted === true),
    modifiedAfterSigning,
    signatures,
    dossierCode: codes.at(-1)?.[1] ?? null,
  };
}
