/**
 * Hostile and heavy inputs for the tests and the bench: shapes that once made the checks slow or held the
 * event loop, built byte for byte.
 */
import { crc32, deflateSync } from 'node:zlib';

const pad = (n: number) => String(n).padStart(10, '0');
/** A signature dictionary whose /Contents is not a CMS (its /ByteRange numbers fixed-width). */
const fakeSignature = (b: number, c: number, d: number) =>
  `1 0 obj\n<< /Type /Sig /ByteRange [0 ${pad(b)} ${pad(c)} ${pad(d)}] /Contents <${'0'.repeat(64)}> >>\nendobj\n`;

/**
 * Two fake signatures with `headers` bare `N 0 obj` headers between them (80,000 of them: 640 KB), or as
 * many copies of `unit`: the first signature covers up to its own end, the second the whole file, so the
 * verifier must compare everything added between them with what came before.
 */
export function fakeSignaturesAroundHeaders(headers = 80_000, unit = '2 0 obj\n'): Buffer {
  const head = '%PDF-1.7\n';
  const filler = unit.repeat(headers);
  const tail = '%%EOF\n';
  const size = fakeSignature(0, 0, 0).length;
  const hole = fakeSignature(0, 0, 0).indexOf('<0');
  const first = { b: head.length + hole, end: head.length + size };
  const secondAt = first.end + filler.length;
  const total = secondAt + size + tail.length;
  const second = { b: secondAt + hole };
  const text =
    head +
    fakeSignature(first.b, first.b + 66, first.end - first.b - 66) +
    filler +
    fakeSignature(second.b, second.b + 66, total - second.b - 66) +
    tail;
  return Buffer.from(text, 'latin1');
}

/** `count` small complete objects and no catalogue: pdf-lib parses them all (about 1 s for 50,000) before it finds out. */
export function manyObjects(count: number): Buffer {
  const parts = ['%PDF-1.7\n'];
  for (let i = 1; i <= count; i++) parts.push(`${i} 0 obj\n<< /Kind /Filler /N ${i} >>\nendobj\n`);
  parts.push('trailer\n<< /Size 1 >>\n%%EOF\n');
  return Buffer.from(parts.join(''), 'latin1');
}

function pngChunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * An RGBA PNG (a scan with an alpha channel): pdf-lib must decode it to embed it, about a second for an
 * A4 page at 300 dpi (2480 × 3508). Small on the wire: its rows repeat a pattern.
 */
export function transparentPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 6; // RGBA
  const stride = 1 + width * 4;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * 4; x++) raw[y * stride + 1 + x] = (x * 7 + y * 13) & 255;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
