import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { derOf, OIDS, seq } from './cms.ts';
import { child, children, content, raw, readTlv } from './der.ts';
import type { TimeStamper } from './pades.ts';

const { asn1 } = forge;

/** The TimeStampReq of RFC 3161 for a SHA-256 digest, asking for the TSA's certificate. */
export function buildTimeStampRequest(digest: Uint8Array, nonce: Buffer) {
  return derOf(
    seq([
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
      seq([
        seq([
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OIDS.sha256).getBytes()),
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
        ]),
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.OCTETSTRING,
          false,
          Buffer.from(digest).toString('binary'),
        ),
      ]),
      // A positive nonce: a leading zero byte keeps the top bit clear.
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.INTEGER,
        false,
        Buffer.concat([Buffer.from([0]), nonce]).toString('binary'),
      ),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, String.fromCharCode(0xff)),
    ]),
  );
}

/** The token of a TimeStampResp, or an error with the TSA's status (0 granted, 1 with modifications). */
export function readTimeStampResponse(der: Buffer): Buffer {
  const response = readTlv(der);
  const status = child(child(response, 0, 'status'), 0, 'PKIStatus');
  const code = content(status).readUIntBE(0, content(status).length || 1);
  const token = children(response)[1];
  if (code > 1 || !token) throw new Error(`the time-stamp authority refused the request (status ${code})`);
  return Buffer.from(raw(token));
}

/**
 * A time stamper on an RFC 3161 authority over HTTP (MOTCUA_TSA_URL). A failure stops the signing:
 * an officer told "signed" must get the timestamp that was configured.
 */
export function createHttpTimeStamper(url: string, timeoutMs = 10_000): TimeStamper {
  return async (digest) => {
    const request = buildTimeStampRequest(digest, randomBytes(8));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the time-stamp authority answered HTTP ${response.status}`);
    return readTimeStampResponse(Buffer.from(await response.arrayBuffer()));
  };
}
