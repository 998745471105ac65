import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  type PDFArray,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { AppError } from '../../../core/errors.ts';

/**
 * Scans become one PDF without holding their pixels: a JPEG goes in as it is (DCTDecode), an opaque
 * non-interlaced PNG goes in as its own compressed IDAT data (FlateDecode, PNG predictors), so memory
 * follows the bytes received, not the pixels. Only a PNG with an alpha channel, interlacing or 16-bit
 * samples is decoded, one at a time and under DECODED_PNG_MAX_PIXELS.
 */
export type ScanLimits = {
  /** Pixels of one image (width × height, from its header). */
  maxPixels: number;
  /** Pixels of all the images of one request together. */
  maxRequestPixels: number;
};

/** A4 at 300 dpi in colour is 2480 × 3508 = 8.7 million pixels; decoding one takes ~70 MB, freed before the next. */
export const DECODED_PNG_MAX_PIXELS = 9_000_000;

type PngHeader = {
  type: 'image/png';
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  palette: Buffer | null;
  transparency: Buffer | null;
  idat: Buffer[];
};
type JpegHeader = { type: 'image/jpeg'; width: number; height: number; components: number; adobe: boolean };
export type ImageHeader = PngHeader | JpegHeader;

const corrupt = (name: string, reason: string) => new AppError('FILE_CORRUPT', { name, reason });
const millions = (pixels: number) => (pixels / 1e6).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

/** Bit depths PNG allows for each colour type (PNG spec, table 11.1). */
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function readPng(name: string, bytes: Buffer): PngHeader {
  const bad = (why: string) => corrupt(name, `PNG hỏng: ${why}`);
  if (bytes.length < 33 || bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw bad('thiếu phần đầu IHDR');
  }
  const header: PngHeader = {
    type: 'image/png',
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes[24] as number,
    colorType: bytes[25] as number,
    interlaced: bytes[28] === 1,
    palette: null,
    transparency: null,
    idat: [],
  };
  const { width, height, bitDepth, colorType } = header;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw bad('kích thước sai');
  if (!PNG_DEPTHS[colorType]?.includes(bitDepth)) throw bad('kiểu màu sai');
  if (bytes[26] !== 0 || bytes[27] !== 0 || (bytes[28] as number) > 1) throw bad('kiểu nén sai');
  let ended = false;
  for (let at = 8; at < bytes.length && !ended; ) {
    if (at + 12 > bytes.length) throw bad('tệp bị cắt');
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw bad('tệp bị cắt');
    const kind = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (zlib.crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) {
      throw bad(`mã kiểm tra phần ${kind} sai`);
    }
    if (kind === 'PLTE') header.palette = data;
    else if (kind === 'tRNS') header.transparency = data;
    else if (kind === 'IDAT') header.idat.push(data);
    else if (kind === 'IEND') ended = true;
    at = end;
  }
  if (!ended || header.idat.length === 0) throw bad('thiếu dữ liệu ảnh');
  if (colorType === 3) {
    const p = header.palette;
    if (!p || p.length === 0 || p.length % 3 !== 0 || p.length > 3 * 2 ** bitDepth) throw bad('bảng màu sai');
  }
  return header;
}

/** Start-of-frame markers PDF's DCTDecode reads: baseline, extended and progressive Huffman. */
const SOF_DCT = [0xc0, 0xc1, 0xc2];
/** Other start-of-frame markers: lossless and arithmetic-coded JPEGs, which viewers do not show. */
const SOF_OTHER = [0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf];

function readJpeg(name: string, bytes: Buffer): JpegHeader {
  const bad = (why: string) => corrupt(name, `JPEG hỏng: ${why}`);
  let frame: JpegHeader | null = null;
  let adobe = false;
  for (let at = 2; ; ) {
    if (at + 4 > bytes.length || bytes[at] !== 0xff) throw bad('cấu trúc phần đầu sai');
    let marker = bytes[at + 1] as number;
    // Fill bytes: any number of 0xFF may precede a marker.
    while (marker === 0xff && at + 2 < bytes.length) marker = bytes[++at + 1] as number;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || marker === 0x00) throw bad('cấu trúc phần đầu sai');
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) throw bad('tệp bị cắt');
    if (marker === 0xda) {
      if (!frame) throw bad('thiếu phần khung ảnh (SOF)');
      return { ...frame, adobe };
    }
    if (marker === 0xee && bytes.toString('latin1', at + 4, at + 9) === 'Adobe') adobe = true;
    if (SOF_OTHER.includes(marker))
      throw corrupt(name, 'kiểu nén JPEG này không được hỗ trợ, hãy lưu lại ảnh');
    if (SOF_DCT.includes(marker)) {
      if (frame) throw bad('có hai phần khung ảnh');
      const components = bytes[at + 9] as number;
      if (length !== 8 + 3 * components || ![1, 3, 4].includes(components)) throw bad('phần khung ảnh sai');
      if (bytes[at + 4] !== 8) throw corrupt(name, 'ảnh JPEG 12 bit không được hỗ trợ, hãy lưu lại ảnh');
      const height = bytes.readUInt16BE(at + 5);
      const width = bytes.readUInt16BE(at + 7);
      if (width === 0 || height === 0) throw bad('kích thước sai');
      frame = { type: 'image/jpeg', width, height, components, adobe: false };
    }
    at += 2 + length;
  }
}

/** The image's header, read and checked without decoding a pixel; FILE_CORRUPT naming the file otherwise. */
export function readImageHeader(
  name: string,
  bytes: Uint8Array,
  type: 'image/jpeg' | 'image/png',
): ImageHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return type === 'image/png' ? readPng(name, buffer) : readJpeg(name, buffer);
}

/** The largest image this server will take: the per-image bound, lower for a PNG that must be decoded. */
export function pixelLimitOf(header: ImageHeader, limits: Pick<ScanLimits, 'maxPixels'>) {
  return needsDecoding(header) ? Math.min(limits.maxPixels, DECODED_PNG_MAX_PIXELS) : limits.maxPixels;
}

/** The header, or IMAGE_TOO_MANY_PIXELS (422) when the image is over its bound. */
export function checkScanHeader(
  name: string,
  bytes: Uint8Array,
  type: 'image/jpeg' | 'image/png',
  limits: Pick<ScanLimits, 'maxPixels'>,
): ImageHeader {
  const header = readImageHeader(name, bytes, type);
  const limit = pixelLimitOf(header, limits);
  if (header.width * header.height > limit) {
    throw new AppError('IMAGE_TOO_MANY_PIXELS', {
      name,
      width: header.width,
      height: header.height,
      limitMp: millions(limit),
    });
  }
  return header;
}

/** Counts the pixels of a request's images as they arrive; SCANS_TOO_MANY_PIXELS (413) names the file over. */
export function createPixelBudget(limits: ScanLimits) {
  let total = 0;
  return (name: string, header: Pick<ImageHeader, 'width' | 'height'>) => {
    total += header.width * header.height;
    if (total > limits.maxRequestPixels) {
      throw new AppError('SCANS_TOO_MANY_PIXELS', { name, limitMp: millions(limits.maxRequestPixels) });
    }
  };
}

function needsDecoding(header: ImageHeader) {
  if (header.type === 'image/jpeg') return false;
  return header.interlaced || header.colorType === 4 || header.colorType === 6 || header.bitDepth === 16;
}

/**
 * Inflates the IDAT data as a stream, keeping nothing, to be sure it holds every row with a known
 * filter: a broken scan is refused now rather than stored as a page a viewer cannot show.
 */
async function checkRows(name: string, png: PngHeader) {
  const channels = png.colorType === 2 ? 3 : 1;
  const rowBytes = 1 + Math.ceil((png.width * channels * png.bitDepth) / 8);
  const expected = rowBytes * png.height;
  let seen = 0;
  const inflate = zlib.createInflate();
  const source = Readable.from(png.idat);
  source.pipe(inflate);
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      for (let row = Math.ceil(seen / rowBytes) * rowBytes - seen; row < chunk.length; row += rowBytes) {
        if (seen + row < expected && (chunk[row] as number) > 4) throw new Error('filter');
      }
      seen += chunk.length;
      // Extra data past the last row is ignored by viewers; stop inflating it.
      if (seen >= expected) break;
    }
  } catch {
    throw corrupt(name, 'PNG hỏng: dữ liệu ảnh sai');
  } finally {
    source.destroy();
    inflate.destroy();
  }
  if (seen < expected) throw corrupt(name, 'PNG hỏng: thiếu dữ liệu ảnh');
}

/** An opaque PNG as a PDF image whose data is the PNG's own compressed rows. */
async function embedPngAsIs(pdf: PDFDocument, name: string, png: PngHeader): Promise<PDFRef> {
  await checkRows(name, png);
  const ctx = pdf.context;
  const colors = png.colorType === 2 ? 3 : 1;
  let colorSpace: PDFName | PDFArray = PDFName.of(colors === 3 ? 'DeviceRGB' : 'DeviceGray');
  let mask: number[] | null = null;
  if (png.colorType === 3) {
    // Transparent palette entries are painted over white, as the page is.
    const palette = Buffer.from(png.palette as Buffer);
    const alpha = png.transparency ?? Buffer.alloc(0);
    for (let i = 0; i < alpha.length && 3 * i < palette.length; i++) {
      const a = alpha[i] as number;
      for (let c = 0; c < 3; c++) {
        const v = palette[3 * i + c] as number;
        palette[3 * i + c] = Math.round((v * a + 255 * (255 - a)) / 255);
      }
    }
    colorSpace = ctx.obj([
      PDFName.of('Indexed'),
      PDFName.of('DeviceRGB'),
      PDFNumber.of(palette.length / 3 - 1),
      PDFHexString.of(palette.toString('hex')),
    ]);
  } else if (png.transparency && png.transparency.length >= 2 * colors) {
    // One colour key is transparent: a colour-key mask, as PDF has them.
    mask = [];
    for (let c = 0; c < colors; c++) {
      const v = png.transparency.readUInt16BE(2 * c);
      mask.push(v, v);
    }
  }
  const dict = ctx.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: png.width,
    Height: png.height,
    BitsPerComponent: png.bitDepth,
    ColorSpace: colorSpace,
    Filter: 'FlateDecode',
    DecodeParms: { Predictor: 15, Colors: colors, BitsPerComponent: png.bitDepth, Columns: png.width },
    ...(mask ? { Mask: mask } : {}),
  });
  return ctx.register(PDFRawStream.of(dict, Buffer.concat(png.idat)));
}

/** A JPEG as a PDF image holding the very bytes received (DCTDecode decodes them in the viewer). */
function embedJpegAsIs(pdf: PDFDocument, jpeg: JpegHeader, bytes: Uint8Array): PDFRef {
  const space = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' }[jpeg.components] as string;
  const dict = pdf.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: jpeg.width,
    Height: jpeg.height,
    BitsPerComponent: 8,
    ColorSpace: space,
    Filter: 'DCTDecode',
    // Adobe's CMYK JPEGs store inverted values.
    ...(jpeg.components === 4 && jpeg.adobe ? { Decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {}),
  });
  return pdf.context.register(PDFRawStream.of(dict, bytes));
}

/** A PNG pdf-lib must decode (alpha, interlace, 16 bit): embedded at once so its pixels go before the next. */
async function embedDecodedPng(pdf: PDFDocument, name: string, bytes: Uint8Array): Promise<PDFRef> {
  try {
    const image = await pdf.embedPng(bytes);
    await image.embed();
    return image.ref;
  } catch {
    throw corrupt(name, 'ảnh không giải mã được');
  }
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 18;

export type ScanFile = { name: string; mediaType: 'image/jpeg' | 'image/png'; bytes: Uint8Array };

/** Scanned pages as one A4 PDF, a page per image, each scaled to fit and centred, one image at a time. */
export async function scansToPdf(images: ScanFile[], title: string, limits: ScanLimits): Promise<Uint8Array> {
  const headers = images.map((image) => checkScanHeader(image.name, image.bytes, image.mediaType, limits));
  const spend = createPixelBudget(limits);
  for (const [i, image] of images.entries()) spend(image.name, headers[i] as ImageHeader);
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('MotCua');
  for (const [i, image] of images.entries()) {
    const header = headers[i] as ImageHeader;
    let ref: PDFRef;
    if (header.type === 'image/jpeg') ref = embedJpegAsIs(pdf, header, image.bytes);
    else if (needsDecoding(header)) ref = await embedDecodedPng(pdf, image.name, image.bytes);
    else ref = await embedPngAsIs(pdf, image.name, header);
    const { width, height } = header;
    const landscape = width > height;
    const size = landscape ? { width: A4.height, height: A4.width } : A4;
    const scale = Math.min((size.width - 2 * MARGIN) / width, (size.height - 2 * MARGIN) / height);
    const w = width * scale;
    const h = height * scale;
    const page = pdf.addPage([size.width, size.height]);
    const xObject = page.node.newXObject('Scan', ref);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(w, 0, 0, h, (size.width - w) / 2, (size.height - h) / 2),
      drawObject(xObject),
      popGraphicsState(),
    );
  }
  return pdf.save();
}
