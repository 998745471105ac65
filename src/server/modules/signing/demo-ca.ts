import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);

/**
 * The demo certificate authority: it issues officers' and organisations' certificates so that a demo
 * install signs results that verify. Its certificates are marked as demo in their names; production
 * imports certificates from a licensed Vietnamese CA instead and does not trust this one.
 */
export type IssuedCertificate = { certificate: forge.pki.Certificate; privateKeyPem: string };

export type SubjectInfo = {
  commonName: string;
  organization: string;
  /** The province, for ST. */
  province?: string;
  /** The officer's position, for T (title). */
  title?: string;
};

/** Vietnamese names need UTF8String (forge writes PrintableString otherwise). */
function subjectAttributes(s: SubjectInfo): forge.pki.CertificateField[] {
  const utf8 = (shortName: string, value: string) => ({
    // forge knows no short name for title (2.5.4.12): it goes by its OID.
    ...(shortName === 'title' ? { type: '2.5.4.12' } : { shortName }),
    value,
    valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
  });
  return [
    { shortName: 'C', value: 'VN' },
    ...(s.province ? [utf8('ST', s.province)] : []),
    utf8('O', s.organization),
    ...(s.title ? [utf8('title', s.title)] : []),
    utf8('CN', s.commonName),
  ];
}

async function newKey() {
  const { privateKey, publicKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKey: forge.pki.publicKeyFromPem(publicKey) };
}

function serialNumber() {
  // Positive: the top bit clear.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, from: Date, years: number) {
  cert.validity.notBefore = new Date(from.getTime() - 60 * 60_000);
  const to = new Date(from);
  to.setUTCFullYear(to.getUTCFullYear() + years);
  cert.validity.notAfter = to;
}

/** A self-signed root for the demo, valid for 20 years. */
export async function createDemoAuthority(name: string, now: Date): Promise<IssuedCertificate> {
  const { privateKeyPem, publicKey } = await newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, now, 20);
  const subject = subjectAttributes({ commonName: name, organization: 'MotCua (demo)' });
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certificate: cert, privateKeyPem };
}

/** A signing certificate for an officer or an organisation (the seal), valid for `years`. */
export async function issueDemoCertificate(
  authority: IssuedCertificate,
  subject: SubjectInfo,
  now: Date,
  years = 3,
): Promise<IssuedCertificate> {
  const { privateKeyPem, publicKey } = await newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, now, years);
  cert.setSubject(subjectAttributes(subject));
  cert.setIssuer(authority.certificate.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: authority.certificate.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(authority.privateKeyPem) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return { certificate: cert, privateKeyPem };
}

export const certificateToDer = (cert: forge.pki.Certificate) =>
  Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');

/**
 * A forge certificate from DER. forge reads UTF8String names back as raw UTF-8 bytes but encodes them
 * again when it writes a name: the names are decoded here so that an issuer name copied from this
 * certificate matches its subject byte for byte.
 */
export function certificateFromDer(der: Uint8Array): forge.pki.Certificate {
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary')));
  for (const name of [cert.subject, cert.issuer]) {
    for (const attr of name.attributes) {
      if ((attr.valueTagClass as unknown) === forge.asn1.Type.UTF8 && typeof attr.value === 'string') {
        attr.value = forge.util.decodeUtf8(attr.value);
      }
    }
  }
  return cert;
}
