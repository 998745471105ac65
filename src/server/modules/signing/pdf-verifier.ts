import { X509Certificate } from 'node:crypto';
import { DOSSIER_CODE_KEY } from '../documents/pdf/pdf-writer.ts';
import { OIDS } from './cms.ts';
import {
  attributes,
  chainsToTrusted,
  checkSignerInfo,
  findSignerCertificate,
  parseSignedData,
  trustedTimeStamp,
} from './cms-verify.ts';
import { DerError, readTlv } from './der.ts';
import { dnField } from './dn.ts';

export type CertificateView = {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprintSha256: string;
  /** Chains to a certificate authority this installation trusts, valid at the trusted time. */
  trusted: boolean;
};

export type SignatureView = {
  signer: string;
  /** The signer's organisation (O), when the certificate names one. */
  organization: string | null;
  certificate: CertificateView | null;
  /** The time the signer's software wrote, or a trusted time-stamp authority's when there is one. */
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

export type VerifyOptions = {
  /**
   * When the document was signed, from a source the verifier trusts (the system's own record of a result
   * it issued). Without it, certificates are checked at a trusted time stamp's time, or now.
   */
  trustedTime?: Date;
};

/** More signatures than any result carries: the rest are not examined (each costs a pass over the file). */
export const MAX_SIGNATURES = 8;
/** How far around a /ByteRange its signature dictionary may reach (its /M, /SubFilter). */
const DICTIONARY_WINDOW = 4096;

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/** "D:20261129103000+07'00'" → ISO instant. */
function pdfDate(text: string): string | null {
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?/.exec(
    text,
  );
  if (!m) return null;
  const offset = m[8] ? `${m[8]}${m[9]}:${m[10] ?? '00'}` : 'Z';
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The signature dictionary around a /ByteRange, read within a bounded window (never the whole file). */
function signatureDictionary(latin1: string, at: number, holeEnd: number) {
  const before = latin1.slice(Math.max(0, at - DICTIONARY_WINDOW), at);
  const start = before.lastIndexOf(' obj');
  const after = latin1.slice(at, Math.min(latin1.length, Math.max(at, holeEnd) + DICTIONARY_WINDOW));
  const end = after.indexOf('endobj');
  return `${start < 0 ? before : before.slice(start)}${end < 0 ? after : after.slice(0, end)}`;
}

const OBJECT = /(\d+)\s+(\d+)\s+obj\b([\s\S]*?)endobj/g;
/** A dictionary with what signing may add to it taken out, whitespace folded. */
const withoutSigningParts = (body: string) =>
  body
    .replace(/\/Annots\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/g, '')
    .replace(/\/AcroForm\s*\d+\s+\d+\s+R/g, '')
    .replace(/\s+/g, '');

/**
 * Did an incremental update (the bytes from `from` to `to`) only add a signature: its dictionary, its
 * widget, the form that lists it, and the page and catalogue rewritten with nothing else changed?
 * Anything else (new content, a changed page, an object stream) is a change after signing.
 */
function onlyAddsSignature(latin1: string, from: number, to: number) {
  const update = latin1.slice(from, to);
  if (/\/Type\s*\/(ObjStm|XRef)\b/.test(update)) return false;
  for (const m of update.matchAll(OBJECT)) {
    const body = m[3] as string;
    if (/\/Type\s*\/Sig\b/.test(body) || /\/Type\s*\/AcroForm\b/.test(body)) continue;
    if (/\/Subtype\s*\/Widget\b/.test(body) && /\/FT\s*\/Sig\b/.test(body)) continue;
    const earlier = [
      ...latin1
        .slice(0, from)
        .matchAll(new RegExp(`(?:^|\\s)${m[1]}\\s+${m[2]}\\s+obj\\b([\\s\\S]*?)endobj`, 'g')),
    ].at(-1);
    if (!earlier || withoutSigningParts(earlier[1] as string) !== withoutSigningParts(body)) return false;
  }
  return true;
}

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

/** One signature: the byte range, the CMS, the certificate's trust at the trusted time. */
function verifySignature(
  bytes: Buffer,
  latin1: string,
  match: RegExpMatchArray,
  anchors: X509Certificate[],
  options: VerifyOptions,
): { view: SignatureView; end: number | null } {
  const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
  const dictionary = signatureDictionary(latin1, match.index ?? 0, c);
  const view: SignatureView = {
    signer: 'không xác định',
    organization: null,
    certificate: null,
    signedAt: pdfDate(dictionary),
    timestamped: false,
    valid: false,
    digestMatches: false,
    coversWholeDocument: false,
    subFilter: /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(dictionary)?.[1] ?? null,
    problems: [],
  };
  if (a !== 0 || b >= c || c + d > bytes.length || !/^<[0-9A-Fa-f]*>$/.test(latin1.slice(b, c))) {
    view.problems.push('vùng ký (ByteRange) không hợp lệ');
    return { view, end: null };
  }
  view.coversWholeDocument = c + d === bytes.length;
  try {
    const der = Buffer.from(latin1.slice(b + 1, c - 1), 'hex');
    const cms = parseSignedData(der.subarray(0, readTlv(der).end));
    const cert = findSignerCertificate(cms);
    const check = checkSignerInfo(cms, [bytes.subarray(0, b), bytes.subarray(c, c + d)], cert);
    view.digestMatches = check.digestMatches;
    view.problems.push(...check.problems);
    const token = cms.unsignedAttrs ? attributes(cms.unsignedAttrs).get(OIDS.timeStampToken)?.[0] : undefined;
    const stamped = token ? trustedTimeStamp(token, cms.signature, anchors) : null;
    if (token && !stamped)
      view.problems.push('dấu thời gian không hợp lệ hoặc không do tổ chức được tin cậy cấp');
    view.timestamped = stamped !== null;
    if (stamped) view.signedAt = stamped.toISOString();
    if (cert) {
      const pool = cms.certificates.map((x) => new X509Certificate(x));
      // The signer writes /M itself: only the system's record or a trusted time stamp moves the check
      // away from now.
      const at = options.trustedTime ?? stamped ?? new Date();
      const trusted = chainsToTrusted(cert, pool, anchors, at);
      if (!trusted) {
        view.problems.push(
          'chứng thư số không do tổ chức chứng thực được tin cậy cấp, hoặc không còn hiệu lực',
        );
      }
      view.certificate = describeCertificate(cert, trusted);
      view.signer = dnField(cert.subject, 'CN') ?? cert.subject;
      view.organization = dnField(cert.subject, 'O');
    }
    view.valid = check.digestMatches && check.signatureOk;
  } catch (err) {
    view.problems.push(
      err instanceof DerError ? 'chữ ký bị hỏng, không đọc được' : 'không kiểm tra được chữ ký',
    );
  }
  return { view, end: c + d };
}

/**
 * Verifies every signature of a PDF (up to MAX_SIGNATURES): the signed byte ranges against the digest,
 * the signature against the signer's certificate, the certificate against the trusted authorities, and
 * what was added after the first signature: only further signatures may follow it. A file with no
 * signature is reported, not thrown.
 */
export function verifyPdfSignatures(
  pdf: Uint8Array,
  anchors: X509Certificate[],
  options: VerifyOptions = {},
): VerificationReport {
  const bytes = Buffer.from(pdf);
  const latin1 = bytes.toString('latin1');
  const matches = [...latin1.matchAll(BYTE_RANGE)];
  const signatures: SignatureView[] = [];
  const ends: number[] = [];
  for (const match of matches.slice(0, MAX_SIGNATURES)) {
    const { view, end } = verifySignature(bytes, latin1, match, anchors, options);
    signatures.push(view);
    if (end !== null) ends.push(end);
  }
  const tooMany = matches.length > MAX_SIGNATURES;
  // Each signed revision ends where a later one begins; what follows the first may only add signatures,
  // and nothing but a line end may follow the last.
  const revisions = [...new Set(ends)].sort((x, y) => x - y);
  const last = revisions.at(-1) ?? 0;
  const laterChanges = revisions.some(
    (end, i) => i > 0 && !onlyAddsSignature(latin1, revisions[i - 1] as number, end),
  );
  const appended = last > 0 && latin1.slice(last).trim().length > 0;
  const modifiedAfterSigning =
    tooMany || appended || laterChanges || signatures.some((s) => !s.digestMatches);
  const codes = [
    ...latin1
      .slice(0, last || bytes.length)
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
