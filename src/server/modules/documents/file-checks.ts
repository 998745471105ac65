import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
import { AppError } from '../../../core/errors.ts';

export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png';
export type UploadLimits = {
  /** Bytes per request (all its files together). */
  maxBytes: number;
  /** Pages of a PDF, or scanned images per request. */
  maxPages: number;
  /** Pixels of one scanned image: decoding is done in memory, width × height × 4 bytes. */
  maxPixels: number;
};
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 200,
  // A4 at 400 dpi is 15.5 million pixels.
  maxPixels: 25_000_000,
};

export const tooLarge = (limits: Pick<UploadLimits, 'maxBytes'>) =>
  new AppError('FILE_TOO_LARGE', {
    limitMb: (limits.maxBytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 2 }),
  });

/** The type from the first bytes, whatever the name or the declared type says. */
function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return null;
}

/** Width and height from the image's header, without decoding it; null when the header is broken. */
function imageSize(bytes: Uint8Array, type: 'image/jpeg' | 'image/png') {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'image/png') {
    // The IHDR chunk comes first: length, "IHDR", width, height.
    if (bytes.length < 24 || view.getUint32(12) !== 0x49484452) return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  // JPEG: walk the segments to the first start-of-frame (C0–CF but C4, C8, CC).
  for (let at = 2; at + 9 < bytes.length; ) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

/** Keys, action types (/S) and annotation types (/Subtype) that make a PDF run or carry something. */
const ACTIVE_KEYS = ['JS', 'JavaScript', 'EmbeddedFiles', 'EF', 'XFA', 'RichMedia'];
const ACTIVE_ACTIONS = [
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
  'Sound',
  'Movie',
];
const ACTIVE_ANNOTATIONS = ['FileAttachment', 'RichMedia', 'Sound', 'Movie'];

/** Every active-content name found in the PDF's objects (object streams included, as pdf-lib parses them). */
function findActiveContent(pdf: PDFDocument): string[] {
  const found = new Set<string>();
  const visit = (value: unknown) => {
    if (value instanceof PDFDict) {
      for (const [key, v] of value.entries()) {
        const name = key.decodeText();
        if (ACTIVE_KEYS.includes(name)) found.add(name);
        const kind = v instanceof PDFName ? v.decodeText() : null;
        if (kind && name === 'S' && ACTIVE_ACTIONS.includes(kind)) found.add(kind);
        if (kind && name === 'Subtype' && ACTIVE_ANNOTATIONS.includes(kind)) found.add(kind);
        visit(v);
      }
    } else if (value instanceof PDFArray) {
      for (const v of value.asArray()) visit(v);
    } else if (value instanceof PDFStream || value instanceof PDFRawStream) {
      visit(value.dict);
    }
  };
  for (const [, object] of pdf.context.enumerateIndirectObjects()) visit(object);
  return [...found].sort();
}

export type CheckedFile = { name: string; mediaType: MediaType; bytes: Uint8Array; pages: number };

/**
 * Accepts PDF, JPEG or PNG by their bytes. A PDF must end like a PDF, parse, have pages within the
 * limit and carry no scripts, attachments, forms with scripts or launch actions; an image must have a
 * readable header within the pixel limit (it is decoded once, when the scans become a PDF). Anything
 * else is an AppError naming the file and the reason.
 */
export async function checkUpload(
  name: string,
  received: Uint8Array,
  limits: UploadLimits,
): Promise<CheckedFile> {
  // A copy that owns its memory: Node's small Buffers are views into a shared pool, and pdf-lib reads
  // JPEG headers through `.buffer` from offset 0.
  const bytes = new Uint8Array(received);
  if (bytes.length > limits.maxBytes) throw tooLarge(limits);
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('FILE_TYPE_NOT_ALLOWED', { name });
  if (mediaType !== 'application/pdf') {
    const size = imageSize(bytes, mediaType);
    if (!size || size.width === 0 || size.height === 0) {
      throw new AppError('FILE_CORRUPT', { name, reason: 'ảnh không giải mã được' });
    }
    if (size.width * size.height > limits.maxPixels) {
      throw new AppError('FILE_CORRUPT', {
        name,
        reason: `ảnh ${size.width}×${size.height} điểm quá lớn, hãy quét ở độ phân giải 200–300 dpi`,
      });
    }
    return { name, mediaType, bytes, pages: 1 };
  }
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  if (!tail.includes('%%EOF'))
    throw new AppError('FILE_CORRUPT', { name, reason: 'thiếu phần kết thúc %%EOF' });
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
  } catch (err) {
    const reason =
      err instanceof EncryptedPDFError
        ? 'tệp có mật khẩu, hãy lưu lại bản không mật khẩu'
        : 'cấu trúc PDF sai';
    throw new AppError('FILE_CORRUPT', { name, reason });
  }
  const pages = pdf.getPageCount();
  if (pages < 1) throw new AppError('FILE_CORRUPT', { name, reason: 'không có trang nào' });
  if (pages > limits.maxPages)
    throw new AppError('FILE_TOO_MANY_PAGES', { name, pages, limit: limits.maxPages });
  const active = findActiveContent(pdf);
  if (active.length > 0) throw new AppError('FILE_HAS_SCRIPT', { name, found: active.join(', ') });
  return { name, mediaType, bytes, pages };
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 18;

/** Scanned pages (JPEG or PNG) as one A4 PDF, a page per image, each scaled to fit and centred. */
export async function imagesToPdf(images: CheckedFile[], title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('MotCua');
  for (const image of images) {
    const embedded = await (image.mediaType === 'image/png'
      ? pdf.embedPng(image.bytes)
      : pdf.embedJpg(image.bytes)
    ).catch(() => {
      throw new AppError('FILE_CORRUPT', { name: image.name, reason: 'ảnh không giải mã được' });
    });
    const landscape = embedded.width > embedded.height;
    const size = landscape ? { width: A4.height, height: A4.width } : A4;
    const scale = Math.min(
      (size.width - 2 * MARGIN) / embedded.width,
      (size.height - 2 * MARGIN) / embedded.height,
    );
    const w = embedded.width * scale;
    const h = embedded.height * scale;
    const page = pdf.addPage([size.width, size.height]);
    page.drawImage(embedded, { x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h });
  }
  return pdf.save();
}
