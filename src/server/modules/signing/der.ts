/**
 * A small DER reader for verification: it keeps every element's exact bytes, which a signature check
 * needs (re-encoding parsed ASN.1 can change a sender's bytes and break a good signature).
 */
export type Tlv = {
  /** The identifier octet: class, constructed bit and tag number (low-tag-number form). */
  tag: number;
  /** Where the element starts and where its content starts and ends, in `bytes`. */
  start: number;
  contentStart: number;
  end: number;
  bytes: Buffer;
};

export class DerError extends Error {
  override name = 'DerError';
}

/** The element at `offset`. */
export function readTlv(bytes: Buffer, offset = 0): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('truncated element');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used here');
  let length = bytes[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > bytes.length) throw new DerError('element runs past the end');
  return { tag, start: offset, contentStart, end, bytes };
}

/** The elements inside a constructed element. */
export function children(node: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = node.contentStart; at < node.end; ) {
    const child = readTlv(node.bytes, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

export const raw = (node: Tlv) => node.bytes.subarray(node.start, node.end);
export const content = (node: Tlv) => node.bytes.subarray(node.contentStart, node.end);

/** The child at `index`, or a DerError naming what was expected. */
export function child(node: Tlv, index: number, what: string): Tlv {
  const found = children(node)[index];
  if (!found) throw new DerError(`missing ${what}`);
  return found;
}

/** Dotted OID of an OBJECT IDENTIFIER element. */
export function oidOf(node: Tlv): string {
  if (node.tag !== 0x06) throw new DerError('expected an OID');
  const b = content(node);
  const parts: number[] = [];
  let value = 0;
  for (const byte of b) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}
