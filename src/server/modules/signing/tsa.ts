import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { algorithm, derOf, integer, OIDS, octets, seq } from './cms.ts';
import { parseSignedData } from './cms-verify.ts';
import { child, children, content, raw, readTlv, type Tlv } from './der.ts';
import type { TimeStamper } from './pades.ts';

const { asn1 } = forge;

/** The TimeStampReq of RFC 3161 for a SHA-256 digest, asking for the TSA's certificate. */
export function buildTimeStampRequest(digest: Uint8Array, nonce: Buffer) {
  const positiveNonce = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.INTEGER,
    false,
    positiveIntegerContent(nonce).toString('binary'),
  );
  const certReq = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, String.fromCharCode(0xff));
  return derOf(seq([integer(1), seq([algorithm(OIDS.sha256), octets(digest)]), positiveNonce, certReq]));
}

/**
 * The DER content of a positive INTEGER with these bytes: no leading zero bytes, then one zero byte
 * only when the top bit is set. OpenSSL refuses any other padding ("illegal padding"), so a nonce
 * that happened to start with a zero byte (1 in 256) made the authority reject the request.
 */
export function positiveIntegerContent(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = Buffer.from(bytes.subarray(start));
  return (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
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
    const nonce = randomBytes(8);
    const request = buildTimeStampRequest(digest, nonce);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the time-stamp authority answered HTTP ${response.status}`);
    const token = readTimeStampResponse(Buffer.from(await response.arrayBuffer()));
    checkTokenAnswers(token, digest, nonce);
    return token;
  };
}

const asNumber = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/**
 * The token must stamp what was asked (its imprint is our digest) and answer this request (our nonce):
 * a faulty or intercepted authority's token would otherwise make a result that later fails to verify.
 */
export function checkTokenAnswers(token: Uint8Array, digest: Uint8Array, nonce: Buffer) {
  const cms = parseSignedData(Buffer.from(token));
  if (!cms.content) throw new Error('the time-stamp token has no TSTInfo');
  const tst = children(readTlv(cms.content));
  const imprint = content(child(tst[2] as Tlv, 1, 'hashedMessage'));
  if (!imprint.equals(Buffer.from(digest))) throw new Error('the time-stamp token stamps another digest');
  // After genTime: accuracy (SEQUENCE), ordering (BOOLEAN), then the nonce, the first INTEGER.
  const echoed = tst.slice(5).find((t) => t.tag === 0x02);
  if (!echoed || asNumber(content(echoed)) !== asNumber(nonce)) {
    throw new Error('the time-stamp token does not answer this request (nonce)');
  }
}
