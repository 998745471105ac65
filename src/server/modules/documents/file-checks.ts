import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
import { AppError } from '../../../core/errors.ts';

export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png';
export type UploadLimits = { maxBytes: number; maxPages: number };
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 20 * 1024 * 1024, maxPages: 200 };

/** The type from the first bytes, whatever the name or the declared type says. */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return null;
}

/** Names whose presence means the PDF can run code or other programs when opened. */
const ACTIVE_KEYS = ['JS', 'JavaScript', 'Launch', 'RichMedia'];

/** Every active-content name found in the PDF's objects (object streams included, as pdf-lib parses them). */
export function findActiveContent(pdf: PDFDocument): string[] {
  const found = new Set<string>();
  const visit = (value: unknown) => {
    if (value instanceof PDFDict) {
      for (const [key, v] of value.entries()) {
        const name = key.decodeText();
        if (ACTIVE_KEYS.includes(name)) found.add(name);
        if (name === 'S' && v instanceof PDFName && ACTIVE_KEYS.includes(v.decodeText()))
          found.add(v.decodeText());
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
 * Accepts PDF, JPEG or PNG by their bytes, within the size and page limits; a PDF must parse, have
 * pages and end like a PDF, and carry no scripts or launch actions; an image must decode far enough
 * to be placed on a page. Anything else is an AppError naming the file and the reason.
 */
export async function checkUpload(
  name: string,
  received: Uint8Array,
  limits: UploadLimits,
): Promise<CheckedFile> {
  // A copy that owns its memory: Node's small Buffers are views into a shared pool, and pdf-lib reads
  // JPEG headers through `.buffer` from offset 0.
  const bytes = new Uint8Array(received);
  if (bytes.length > limits.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', { limitMb: Math.round(limits.maxBytes / 1024 / 1024) });
  }
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('FILE_TYPE_NOT_ALLOWED', { name });
  if (mediaType !== 'application/pdf') {
    try {
      const probe = await PDFDocument.create();
      await (mediaType === 'image/png' ? probe.embedPng(bytes) : probe.embedJpg(bytes));
    } catch {
      throw new AppError('FILE_CORRUPT', { name, reason: 'ảnh không giải mã được' });
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
    if ((err as Error).name === 'EncryptedPDFError') {
      throw new AppError('FILE_CORRUPT', { name, reason: 'tệp có mật khẩu' });
    }
    throw new AppError('FILE_CORRUPT', { name, reason: 'cấu trúc PDF sai' });
  }
  const pages = pdf.getPageCount();
  if (pages < 1) throw new AppError('FILE_CORRUPT', { name, reason: 'không có trang nào' });
  if (pages > limits.maxPages) {
    throw new AppError('FILE_TOO_MANY_PAGES', { name, pages, limit: limits.maxPages });
  }
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
      : pdf.embedJpg(image.bytes));
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
