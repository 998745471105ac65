import { constants, createPrivateKey, privateEncrypt, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openssl, opensslFiles } from '../../test-support/openssl.ts';
import { pdfsig } from '../../test-support/pdf-tools.ts';
import { sha256 } from './cms.ts';
import {
  certificateToDer,
  createDemoAuthority,
  type IssuedCertificate,
  issueDemoCertificate,
} from './demo-ca.ts';
import { createKeyObjectSigner, createPkcs11Signer, createRemoteSigner } from './key-signer.ts';
import { signPdf } from './pades.ts';
import { verifyPdfSignatures } from './pdf-verifier.ts';
import { buildTimeStampRequest, checkTokenAnswers, createHttpTimeStamper } from './tsa.ts';

const now = new Date();
let dir: string;
let authority: IssuedCertificate;
let officer: IssuedCertificate;
let anchors: X509Certificate[];
let tsa: Server;
let tsaUrl: string;

async function plainPdf() {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Ket qua giai quyet thu tuc hanh chinh', { x: 50, y: 700, size: 14 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** DigestInfo(SHA-256, digest): what a token's CKM_RSA_PKCS or a signHash service signs for RSA. */
function digestInfo(digest: Uint8Array) {
  return Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), Buffer.from(digest)]);
}

/**
 * A real RFC 3161 authority: OpenSSL's `ts -reply` behind a small HTTP server, with its own
 * time-stamping certificate.
 */
async function startOpensslTsa() {
  const pki = opensslFiles(dir);
  const { at } = pki;
  // The authority's certificate is issued by the test CA, as a licensed TSA's would be by its CA.
  writeFileSync(at('ca.pem'), forge.pki.certificateToPem(authority.certificate));
  writeFileSync(at('ca.key'), authority.privateKeyPem);
  await pki.issue(
    'tsa',
    '/C=VN/CN=Test TSA',
    'ca',
    'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n',
  );
  writeFileSync(at('serial'), '01\n');
  writeFileSync(
    at('tsa.cnf'),
    `[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = ${dir}\nserial = $dir/serial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.pem\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\nordering = no\ntsa_name = no\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n`,
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const id = Math.random().toString(16).slice(2);
      writeFileSync(at(`${id}.tsq`), Buffer.concat(chunks));
      try {
        await openssl(
          'ts',
          '-reply',
          '-config',
          at('tsa.cnf'),
          '-queryfile',
          at(`${id}.tsq`),
          '-out',
          at(`${id}.tsr`),
        );
        res
          .writeHead(200, { 'content-type': 'application/timestamp-reply' })
          .end(readFileSync(at(`${id}.tsr`)));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa` };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-pades-'));
  authority = await createDemoAuthority('Test CA', now);
  officer = await issueDemoCertificate(
    authority,
    { commonName: 'Phạm Thị Hoa', organization: 'UBND Xã Mỹ Hiệp' },
    now,
  );
  anchors = [new X509Certificate(certificateToDer(authority.certificate))];
  ({ server: tsa, url: tsaUrl } = await startOpensslTsa());
});
afterAll(() => {
  tsa.close();
  rmSync(dir, { recursive: true, force: true });
});

const certificates = () => [certificateToDer(officer.certificate), certificateToDer(authority.certificate)];
const request = { reason: 'Ky duyet', location: 'My Hiep', name: 'Pham Thi Hoa', signingTime: now };

describe('PAdES signatures through each kind of key holder', () => {
  it('a remote signing service that signs a SHA-256 digest gives a signature pdfsig and our verifier accept', async () => {
    const key = createPrivateKey(officer.privateKeyPem);
    let asked = 0;
    const remote = createRemoteSigner(
      {
        certificates: certificates(),
        keyAlgorithm: 'rsa',
        async signHash(digest) {
          asked++;
          expect(digest).toHaveLength(32);
          return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(digest));
        },
      },
      sha256,
    );
    const signed = await signPdf(await plainPdf(), remote, request);
    expect(asked).toBe(1);
    expect(await pdfsig(signed)).toContain('Signature is Valid');
    const report = verifyPdfSignatures(signed, anchors);
    expect(report).toMatchObject({ valid: true, signatures: [{ signer: 'Phạm Thị Hoa', valid: true }] });
  });

  it('a token session (PKCS#11 seam) signs on the token and the result verifies', async () => {
    const key = createPrivateKey(officer.privateKeyPem);
    const token = createPkcs11Signer({
      certificates: certificates(),
      keyAlgorithm: 'rsa',
      // CKM_SHA256_RSA_PKCS: the token hashes and signs.
      signOnToken: async (data) =>
        privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(sha256(data))),
    });
    const signed = await signPdf(await plainPdf(), token, request);
    expect(await pdfsig(signed)).toContain('Signature is Valid');
    expect(verifyPdfSignatures(signed, anchors).valid).toBe(true);
    expect(verifyPdfSignatures(signed, []).valid).toBe(false);
  });

  it('with a time-stamp authority, the signature carries an RFC 3161 token and its time', async () => {
    const signer = createKeyObjectSigner({
      privateKey: createPrivateKey(officer.privateKeyPem),
      certificates: certificates(),
    });
    const before = Date.now();
    const signed = await signPdf(await plainPdf(), signer, {
      ...request,
      timeStamper: createHttpTimeStamper(tsaUrl),
    });
    const poppler = await pdfsig(signed);
    expect(poppler).toContain('Signature is Valid');
    const report = verifyPdfSignatures(signed, anchors);
    const [signature] = report.signatures;
    expect(signature).toMatchObject({ valid: true, timestamped: true });
    // The authority's own clock (whole seconds), not the /M the signer wrote.
    expect(Math.abs(Date.parse(signature?.signedAt ?? '') - before)).toBeLessThan(10_000);

    // A token whose authority is not trusted proves no time: the signature stands, the stamp does not.
    const otherCa = await createDemoAuthority('Other CA', now);
    const selfStamped = verifyPdfSignatures(signed, [
      new X509Certificate(certificateToDer(otherCa.certificate)),
    ]);
    expect(selfStamped.signatures[0]).toMatchObject({ timestamped: false });
    expect(selfStamped.signatures[0]?.problems.join(' ')).toContain('dấu thời gian');
  });

  it('a time-stamp authority that fails, or answers another request, stops the signing', async () => {
    const signer = createKeyObjectSigner({
      privateKey: createPrivateKey(officer.privateKeyPem),
      certificates: certificates(),
    });
    const closed = createHttpTimeStamper(`${tsaUrl.replace(/\d+\/tsa$/, '1')}/tsa`, 2000);
    await expect(signPdf(await plainPdf(), signer, { ...request, timeStamper: closed })).rejects.toThrow(
      /fetch failed/,
    );
    // A genuine token, but for another digest and another nonce (a replayed or intercepted answer).
    const other = await createHttpTimeStamper(tsaUrl)(Buffer.alloc(32, 7));
    expect(() => checkTokenAnswers(other, Buffer.alloc(32, 8), Buffer.alloc(8, 1))).toThrow(/another digest/);
    expect(() => checkTokenAnswers(other, Buffer.alloc(32, 7), Buffer.alloc(8, 1))).toThrow(/nonce/);
  });

  it('a nonce starting with zero bytes or a high bit is a request the authority accepts (CI met the 1 in 256)', async () => {
    const nonces = ['00112233445566aa', '0000000000000001', '7f11111111111111', '8011111111111111'];
    for (const hex of nonces) {
      const nonce = Buffer.from(hex, 'hex');
      const query = path.join(dir, `nonce-${hex}.tsq`);
      writeFileSync(query, buildTimeStampRequest(Buffer.alloc(32, 7), nonce));
      const { stdout } = await openssl('ts', '-query', '-in', query, '-text');
      expect(stdout).toContain(`Nonce: 0x${hex.replace(/^(00)+/, '').toUpperCase()}`);
    }
  });
});
