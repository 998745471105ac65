import { X509Certificate } from 'node:crypto';
import { indexObjects, type ObjectDefinition, type ObjectIndex } from '../documents/pdf/pdf-objects.ts';
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
  /** The time a check without either happens at (the app's clock). */
  now?: Date;
};

/** More signatures than any result carries: the rest are not examined (each costs a pass over the file). */
export const MAX_SIGNATURES = 8;
/** How far around a /ByteRange its signature dictionary may reach (its /M, /SubFilter). */
const DICTIONARY_WINDOW = 4096;

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/g;

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

/**
 * A dictionary with what signing may add to it taken out (/Annots and /AcroForm entries), whitespace
 * folded. Written as a forward scan: a regex with `[^\]]*` would rescan the body for each /Annots.
 */
function withoutSigningParts(body: string) {
  const key = /\/(Annots|AcroForm)/g;
  let out = '';
  let at = 0;
  for (let m = key.exec(body); m; m = key.exec(body)) {
    out += body.slice(at, m.index);
    let i = m.index + m[0].length;
    while (/\s/.test(body[i] ?? '')) i++;
    if (body[i] === '[') {
      const close = body.indexOf(']', i);
      i = close < 0 ? body.length : close + 1;
    } else {
      const ref = /^\d{1,10}\s+\d{1,5}\s+R/.exec(body.slice(i, i + 32));
      i += ref ? ref[0].length : 0;
    }
    at = i;
    key.lastIndex = i;
  }
  return (out + body.slice(at)).replace(/\s+/g, '');
}

/**
 * An object number and generation as one Map key: the number itself for generation 0 (a small integer,
 * cheap to hash: a million text keys cost the verifier half a second), else text.
 */
const objectKey = ({ num, gen }: ObjectDefinition): number | string =>
  gen === 0 && num < 0x3fffffff ? num : `${num} ${gen}`;

/**
 * Every complete definition that ends by `until` of each object number and generation, in file order:
 * what a later revision's objects are compared with (so what those revisions add is not indexed).
 */
function definitionsByObject(index: ObjectIndex, until: number) {
  const byObject = new Map<number | string, ObjectDefinition[]>();
  for (const def of index.definitions) {
    if (def.end > until) break;
    const key = objectKey(def);
    const list = byObject.get(key);
    if (list) list.push(def);
    else byObject.set(key, [def]);
  }
  return byObject;
}

/** The index of the first position at or after `at` in a rising list: a binary search. */
function firstAtOrAfter(list: number[], at: number) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last definition that ends by `at` (definitions do not overlap, so ends rise): a binary search. */
function latestEndingBy(list: ObjectDefinition[], at: number) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as ObjectDefinition).end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

/**
 * Did an incremental update (the bytes from `from` to `to`) only add a signature: its dictionary, its
 * widget, the form that lists it, and the page and catalogue rewritten with nothing else changed?
 * Anything else (new content, a changed page, an object stream, a header without endobj) is a change
 * after signing. Each object is compared with its latest earlier definition, found in the index built
 * once for the whole file: no object costs a pass over the file.
 */
function onlyAddsSignature(
  latin1: string,
  from: number,
  to: number,
  index: ObjectIndex,
  byObject: Map<number | string, ObjectDefinition[]>,
) {
  if (/\/Type\s*\/(ObjStm|XRef)\b/.test(latin1.slice(from, to))) return false;
  // A header without endobj in the update is a change whatever it holds.
  const bare = index.unterminatedStarts[firstAtOrAfter(index.unterminatedStarts, from)];
  if (bare !== undefined && bare < to) return false;
  for (const def of index.definitions) {
    if (def.start < from || def.start >= to) continue;
    if (def.end > to) return false;
    const body = latin1.slice(def.bodyStart, def.end);
    if (/\/Type\s*\/Sig\b/.test(body) || /\/Type\s*\/AcroForm\b/.test(body)) continue;
    if (/\/Subtype\s*\/Widget\b/.test(body) && /\/FT\s*\/Sig\b/.test(body)) continue;
    const earlier = latestEndingBy(byObject.get(objectKey(def)) ?? [], from);
    if (
      !earlier ||
      withoutSigningParts(latin1.slice(earlier.bodyStart, earlier.end)) !== withoutSigningParts(body)
    )
      return false;
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
      const at = options.trustedTime ?? stamped ?? options.now ?? new Date();
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
  /** The file's object index, when the caller already built it. */
  given?: ObjectIndex,
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
  // The index only matters when a signed revision follows another: built then, once.
  let laterChanges = false;
  if (revisions.length > 1) {
    const index = given ?? indexObjects(latin1);
    const byObject = definitionsByObject(index, revisions.at(-2) as number);
    laterChanges = revisions.some(
      (end, i) => i > 0 && !onlyAddsSignature(latin1, revisions[i - 1] as number, end, index, byObject),
    );
  }
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
