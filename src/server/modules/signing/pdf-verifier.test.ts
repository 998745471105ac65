import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfsig } from '../../test-support/pdf-tools.ts';
import { buildSignedData, derOf, sha256 } from './cms.ts';
import {
  certificateToDer,
  createDemoAuthority,
  type IssuedCertificate,
  issueDemoCertificate,
} from './demo-ca.ts';
import { createKeyObjectSigner, type KeySigner } from './key-signer.ts';
import { signPdf } from './pades.ts';
import { MAX_SIGNATURES, verifyPdfSignatures } from './pdf-verifier.ts';

const now = new Date();
let root: IssuedCertificate;
let anchors: X509Certificate[];

const signerOf = (c: IssuedCertificate, chain: IssuedCertificate[] = [root]): KeySigner =>
  createKeyObjectSigner({
    privateKey: createPrivateKey(c.privateKeyPem),
    certificates: [c, ...chain].map((x) => certificateToDer(x.certificate)),
  });
const request = (at = now) => ({ reason: 'Ky', location: 'Thoi Son', name: 'Can bo', signingTime: at });

async function plainPdf(text = 'KET QUA: DONG Y') {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 700, size: 14 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Appends an incremental update holding `objects` (number → dictionary text) with its own xref table. */
function appendUpdate(pdf: Buffer, objects: Record<number, string>) {
  const text = pdf.toString('latin1');
  const root = [...text.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)].at(-1)?.[1];
  const size = Number([...text.matchAll(/\/Size\s+(\d+)/g)].at(-1)?.[1]);
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].at(-1)?.[1]);
  let body = '\n';
  const offsets: [number, number][] = [];
  for (const [num, dict] of Object.entries(objects)) {
    offsets.push([Number(num), pdf.length + Buffer.byteLength(body, 'latin1')]);
    body += `${num} 0 obj\n${dict}\nendobj\n`;
  }
  const xrefAt = pdf.length + Buffer.byteLength(body, 'latin1');
  body += 'xref\n0 1\n0000000000 65535 f \n';
  for (const [num, offset] of offsets) body += `${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
  const newSize = Math.max(size, ...offsets.map(([n]) => n + 1));
  body += `trailer\n<< /Size ${newSize} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(body, 'latin1')]);
}

beforeAll(async () => {
  root = await createDemoAuthority('Root CA thử', now);
  anchors = [new X509Certificate(certificateToDer(root.certificate))];
});

describe('the verifier against forged and changed files', () => {
  it('a change added after the officer signed, then signed by someone else with a trusted certificate, is a change', async () => {
    const officer = await issueDemoCertificate(root, { commonName: 'Cán bộ A', organization: 'UBND' }, now);
    const stranger = await issueDemoCertificate(
      root,
      { commonName: 'Người khác', organization: 'Công ty X' },
      now,
    );
    const signed = await signPdf(await plainPdf(), signerOf(officer), request());
    expect(verifyPdfSignatures(signed, anchors)).toMatchObject({ valid: true, modifiedAfterSigning: false });

    // The page now shows other content: a new content stream and the page pointing at it.
    const text = signed.toString('latin1');
    const page = /(\d+) 0 obj\s*<<(?:(?!endobj)[\s\S])*?\/Type \/Page\b/.exec(text);
    const pageNumber = Number(page?.[1]);
    const pageBody =
      [...text.matchAll(new RegExp(`\\n${pageNumber} 0 obj([\\s\\S]*?)endobj`, 'g'))].at(-1)?.[1] ?? '';
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)/;
    expect(pageBody).toMatch(contents);
    const forged = 'BT /F1 14 Tf 50 700 Td (KET QUA: TU CHOI) Tj ET';
    const changed = appendUpdate(Buffer.from(signed), {
      90: `<< /Length ${forged.length} >>\nstream\n${forged}\nendstream`,
      [pageNumber]: pageBody.replace(contents, '/Contents 90 0 R'),
    });
    const resigned = await signPdf(changed, signerOf(stranger), request());
    const poppler = await pdfsig(resigned);
    expect(poppler.match(/Signature is Valid/g)).toHaveLength(2);
    const report = verifyPdfSignatures(resigned, anchors);
    expect(report.signatures.every((s) => s.valid && s.certificate?.trusted)).toBe(true);
    expect(report).toMatchObject({ valid: false, modifiedAfterSigning: true });

    // The same second signature without the change is fine: signatures may follow signatures.
    const cosigned = await signPdf(signed, signerOf(stranger), request());
    expect(verifyPdfSignatures(cosigned, anchors)).toMatchObject({
      valid: true,
      modifiedAfterSigning: false,
    });
  });

  it('a certificate issued by an end-entity certificate is not trusted, even under a trusted root', async () => {
    const citizen = await issueDemoCertificate(
      root,
      { commonName: 'Công dân', organization: 'Cá nhân' },
      now,
    );
    // The citizen's certificate (CA:FALSE) "issues" one in the name of the commune.
    const fake = await issueDemoCertificate(
      citizen,
      { commonName: 'Ủy ban nhân dân Phường Thới Sơn', organization: 'UBND' },
      now,
    );
    const signed = await signPdf(await plainPdf(), signerOf(fake, [citizen, root]), request());
    const report = verifyPdfSignatures(signed, anchors);
    expect(report.signatures[0]).toMatchObject({ valid: true, certificate: { trusted: false } });
    expect(report.valid).toBe(false);
  });

  it("checks certificates now, not at the time the signer wrote, unless the system's own record says when", async () => {
    const longAgo = new Date(now.getTime() - 5 * 365 * 86_400_000);
    const oldRoot = await createDemoAuthority('Root CA cũ', longAgo);
    const expired = await issueDemoCertificate(
      oldRoot,
      { commonName: 'Cán bộ cũ', organization: 'UBND' },
      longAgo,
      1,
    );
    const oldAnchors = [new X509Certificate(certificateToDer(oldRoot.certificate))];
    // Signed today, claiming (in /M) a day when the certificate was valid.
    const signed = await signPdf(
      await plainPdf(),
      signerOf(expired, [oldRoot]),
      request(new Date(longAgo.getTime() + 86_400_000)),
    );
    expect(verifyPdfSignatures(signed, oldAnchors).signatures[0]?.certificate?.trusted).toBe(false);
    const recorded = verifyPdfSignatures(signed, oldAnchors, {
      trustedTime: new Date(longAgo.getTime() + 86_400_000),
    });
    expect(recorded).toMatchObject({ valid: true });
  });

  it('a signature without the signing-certificate attribute is not valid', async () => {
    const officer = await issueDemoCertificate(root, { commonName: 'Cán bộ B', organization: 'UBND' }, now);
    const key = createPrivateKey(officer.privateKeyPem);
    const certs = [certificateToDer(officer.certificate), certificateToDer(root.certificate)];
    const { asn1 } = forge;
    const attr = (oid: string, value: forge.asn1.Asn1) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [value]),
      ]);
    // A signer that leaves ESS signing-certificate-v2 out: content type and digest only.
    const bare: KeySigner = {
      kind: 'remote',
      keyAlgorithm: 'rsa',
      certificates: certs,
      sign: async (data) => createKeyObjectSigner({ privateKey: key, certificates: certs }).sign(data),
    };
    const { Signer } = await import('@signpdf/utils');
    const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
    const { SignPdf } = await import('@signpdf/signpdf');
    class NoEss extends Signer {
      override async sign(bytes: Buffer) {
        const attrs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
          attr(
            '1.2.840.113549.1.9.3',
            asn1.create(
              asn1.Class.UNIVERSAL,
              asn1.Type.OID,
              false,
              asn1.oidToDer('1.2.840.113549.1.7.1').getBytes(),
            ),
          ),
          attr(
            '1.2.840.113549.1.9.4',
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, sha256(bytes).toString('binary')),
          ),
        ]);
        return buildSignedData({
          signedAttributes: attrs,
          signature: await bare.sign(derOf(attrs)),
          keyAlgorithm: 'rsa',
          certificates: certs,
        });
      }
    }
    const placed = plainAddPlaceholder({
      pdfBuffer: await plainPdf(),
      reason: 'x',
      contactInfo: '',
      name: 'x',
      location: 'x',
      subFilter: 'ETSI.CAdES.detached',
    });
    const signed = await new SignPdf().sign(placed, new NoEss());
    const report = verifyPdfSignatures(signed, anchors);
    expect(report.signatures[0]).toMatchObject({ digestMatches: true, valid: false });
    expect(report.signatures[0]?.problems.join(' ')).toContain('signing-certificate');
  });

  it(`examines at most ${MAX_SIGNATURES} signatures, so a file full of byte ranges costs little and is refused`, async () => {
    const filler = Buffer.from('/ByteRange[0 0 0 0]'.repeat(50_000));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), filler, Buffer.from('\n%%EOF\n')]);
    const report = verifyPdfSignatures(pdf, anchors);
    expect(report.signatures).toHaveLength(MAX_SIGNATURES);
    expect(report).toMatchObject({ valid: false, modifiedAfterSigning: true });
    expect(report.signatures[0]?.problems).toContain('vùng ký (ByteRange) không hợp lệ');
  });
});
