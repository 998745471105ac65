import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT, type Headers, intakeBody, postIntake } from '../../test-support/dossier-helpers.ts';
import { multipart, type Part } from '../../test-support/multipart.ts';
import { createTestContext, type TestContext } from '../../test-support/test-app.ts';

const run = promisify(execFile);

function chunk(kind: string, data: Buffer) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(kind, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A one-colour PNG; `channels` 1 (grey), 3 (RGB) or 4 (RGBA), 8-bit, filter "none" on every row. */
function png(width: number, height: number, pixel: number[]): Buffer {
  const colorType = { 1: 0, 3: 2, 4: 6 }[pixel.length] as number;
  const row = Buffer.alloc(1 + width * pixel.length);
  for (let x = 0; x < width; x++) row.set(pixel, 1 + x * pixel.length);
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 grey baseline JPEG (SOF0 at offset 158: height at 163, width at 165). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
  'base64',
);
const SOF = JPEG.indexOf(Buffer.from([0xff, 0xc0]));

let ctx: TestContext;
let reception: Headers;
let bigScan: Buffer;

beforeAll(async () => {
  // The default limits: 50 MP per image, 250 MP per request, 200 files, 20 MB.
  ctx = await createTestContext();
  reception = await ctx.login('reception.30502');
  bigScan = png(5000, 5000, [200, 30, 60]);
}, 120_000);
afterAll(() => ctx.close());

async function upload(parts: Part[]) {
  const res = await postIntake(ctx.app, reception, intakeBody({ applicant: APPLICANT }));
  expect(res.statusCode, res.body).toBe(201);
  const { payload, contentType } = multipart(parts);
  return ctx.app.inject({
    method: 'POST',
    url: `/api/dossiers/${res.json().id}/components/giay_de_nghi/documents`,
    headers: { ...reception, 'content-type': contentType },
    payload,
  });
}

/** The request's answer and how far RSS and array buffers rose above their level before it, at the peak. */
async function measured(parts: Part[]) {
  const start = process.memoryUsage();
  let peak = { rss: 0, arrayBuffers: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    peak = {
      rss: Math.max(peak.rss, now.rss - start.rss),
      arrayBuffers: Math.max(peak.arrayBuffers, now.arrayBuffers - start.arrayBuffers),
    };
  };
  const timer = setInterval(sample, 2);
  try {
    const res = await upload(parts);
    sample();
    return { res, riseMb: { rss: peak.rss / 2 ** 20, arrayBuffers: peak.arrayBuffers / 2 ** 20 } };
  } finally {
    clearInterval(timer);
  }
}

async function fileOf(id: number) {
  const file = await ctx.app.inject({ url: `/api/documents/${id}/file`, headers: reception });
  expect(file.statusCode).toBe(200);
  return file.rawPayload;
}

/** pdfinfo's page count and the RGB of the centre of page `page` as pdftoppm renders it at `dpi`. */
async function poppler(pdf: Buffer, page: number, dpi: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-scans-'));
  try {
    const file = path.join(dir, 'scan.pdf');
    writeFileSync(file, pdf);
    const info = await run('pdfinfo', [file]);
    const render = await run('pdftoppm', [
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      file,
      path.join(dir, 'p'),
    ]);
    expect(render.stderr).toBe('');
    const out = readFileSync(
      path.join(dir, (await run('ls', [dir])).stdout.split('\n').find((f) => f.endsWith('.ppm')) as string),
    );
    // P6 <width> <height> 255 then RGB bytes.
    const [, w, h] = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(out.toString('latin1', 0, 40)) as RegExpExecArray;
    const headerLength = out.length - Number(w) * Number(h) * 3;
    const at = headerLength + (Math.floor(Number(h) / 2) * Number(w) + Math.floor(Number(w) / 2)) * 3;
    return { pages: Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]), centre: [...out.subarray(at, at + 3)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scans cannot exhaust memory', () => {
  it('refuses twelve 5000×5000 PNGs (300 MP) by their headers, naming the file over, with little memory', async () => {
    expect(bigScan.length).toBeLessThan(150 * 1024);
    const parts = Array.from({ length: 12 }, (_, i) => ({
      name: `trang-${i + 1}.png`,
      type: 'image/png',
      bytes: bigScan,
    }));
    const { res, riseMb } = await measured(parts);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('SCANS_TOO_MANY_PIXELS');
    expect(res.json().error.message).toContain('"trang-11.png"');
    expect(res.json().error.message).toContain('250 triệu điểm ảnh');
    expect(riseMb.arrayBuffers).toBeLessThan(32);
    expect(riseMb.rss).toBeLessThan(64);
  }, 120_000);

  it('takes ten of them (250 MP, at the bound) as one PDF without decoding them: memory follows the bytes', async () => {
    const parts = Array.from({ length: 10 }, (_, i) => ({
      name: `trang-${i + 1}.png`,
      type: 'image/png',
      bytes: bigScan,
    }));
    const { res, riseMb } = await measured(parts);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mediaType: 'application/pdf', pages: 10 });
    // Decoding them as before took ~1 GiB (100 MB RGBA per image, held until the PDF was saved).
    expect(riseMb.rss).toBeLessThan(150);
    const pdf = await fileOf(res.json().id);
    expect(pdf.length).toBeLessThan(10 * bigScan.length + 20_000);
    const read = await poppler(pdf, 10, 10);
    expect(read.pages).toBe(10);
    // Downsampled by poppler: within a step or two of the colour sent.
    expect(read.centre.map((v, i) => Math.abs(v - ([200, 30, 60][i] as number)) <= 2)).toEqual([
      true,
      true,
      true,
    ]);
  }, 120_000);

  it('makes one page per image of many small scans of every kind, as poppler reads them', async () => {
    const kinds: Part[] = [
      { name: 'xam.jpg', type: 'image/jpeg', bytes: JPEG },
      { name: 'mau.png', type: 'image/png', bytes: png(300, 420, [10, 120, 240]) },
      { name: 'xam.png', type: 'image/png', bytes: png(300, 420, [90]) },
      { name: 'trong-suot.png', type: 'image/png', bytes: png(420, 300, [0, 0, 0, 0]) },
    ];
    const parts = Array.from({ length: 40 }, (_, i) => ({
      ...(kinds[i % 4] as Part),
      name: `trang-${i + 1}`,
    }));
    const res = await upload(parts as Part[]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mediaType: 'application/pdf', pages: 40 });
    const pdf = await fileOf(res.json().id);
    expect(await poppler(pdf, 2, 20)).toEqual({ pages: 40, centre: [10, 120, 240] });
    expect((await poppler(pdf, 3, 20)).centre).toEqual([90, 90, 90]);
    // A transparent pixel is the page's white.
    expect((await poppler(pdf, 4, 20)).centre).toEqual([255, 255, 255]);
  }, 120_000);

  it('refuses a JPEG whose header lies, and a PNG over the per-image bound, naming the file (422, not 500)', async () => {
    const huge = Buffer.from(JPEG);
    huge.writeUInt16BE(60000, SOF + 5);
    huge.writeUInt16BE(60000, SOF + 7);
    const cut = Buffer.from(JPEG);
    cut.writeUInt16BE(0xfff0, SOF + 2);
    const noFrame = Buffer.concat([
      JPEG.subarray(0, SOF),
      JPEG.subarray(JPEG.indexOf(Buffer.from([0xff, 0xda]))),
    ]);
    const progressive12 = Buffer.from(JPEG);
    progressive12[SOF + 1] = 0xc2;
    progressive12[SOF + 4] = 12;
    const cases: [Buffer, number, string, string][] = [
      [huge, 422, 'IMAGE_TOO_MANY_PIXELS', '60000×60000'],
      [cut, 422, 'FILE_CORRUPT', 'tệp bị cắt'],
      [noFrame, 422, 'FILE_CORRUPT', 'thiếu phần khung ảnh'],
      [progressive12, 422, 'FILE_CORRUPT', '12 bit'],
      [JPEG.subarray(0, SOF + 6), 422, 'FILE_CORRUPT', 'JPEG hỏng'],
    ];
    for (const [bytes, status, code, detail] of cases) {
      const res = await upload([{ name: 'anh-chup.jpg', type: 'image/jpeg', bytes }]);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toContain('"anh-chup.jpg"');
      expect(res.json().error.message).toContain(detail);
    }
    const wide = png(10000, 5001, [255]);
    const res = await upload([{ name: 'qua-lon.png', type: 'image/png', bytes: wide }]);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
    expect(res.json().error.message).toContain('"qua-lon.png" có 10000×5001 điểm ảnh');
  }, 120_000);

  it('stops reading at the first file over 200 (413)', async () => {
    const one = png(8, 8, [1, 2, 3]);
    const parts = Array.from({ length: 260 }, (_, i) => ({
      name: `t-${i + 1}.png`,
      type: 'image/png',
      bytes: one,
    }));
    const res = await upload(parts);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('TOO_MANY_FILES');
    expect(res.json().error.message).toContain('"t-201.png"');
  }, 60_000);
});
