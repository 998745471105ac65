import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
import { AppError } from '../../../core/errors.ts';
import { countObjectHeaders } from './pdf/pdf-objects.ts';
import { countPages, PdfStructureError } from './pdf/pdf-page-tree.ts';
import type { PdfWork } from './pdf/pdf-work-pool.ts';
import { findActiveNamesInBytes } from './pdf-raw-scan.ts';
import { checkScanHeader } from './scan-images.ts';

export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png';
export type UploadLimits = {
  /** Bytes per request (all its files together). */
  maxBytes: number;
  /** Pages of a PDF, or scanned images per request. */
  maxPages: number;
  /** Pixels of one scanned image, from its header (see scan-images.ts). */
  maxPixels: number;
  /** Pixels of all the scanned images of one request. */
  maxRequestPixels: number;
};
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 200,
  // A 50 MP phone photo is 8160 × 6120 (49.9 million pixels); A4 at 300 dpi in colour is 8.7 million.
  maxPixels: 50_000_000,
  // 28 A4 pages at 300 dpi, or 5 photos of 50 MP; scans are embedded undecoded, so this bounds the
  // inflating work and what the officer's PDF viewer must decode, not the server's memory.
  maxRequestPixels: 250_000_000,
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
 * More object definitions than any paper a commune receives (200 pages of scans take about 1,000): pdf-lib
 * parses every one of them, at roughly 20–30 µs each, before it can say the file is no PDF at all, so
 * the worst file within the cap is checked in well under a second.
 */
export const MAX_PDF_OBJECTS = 25_000;

/** How many objects pdf-lib would parse: headers in the bytes plus what object streams say they hold. */
function countObjects(latin1: string, stopAfter: number) {
  let count = countObjectHeaders(latin1, stopAfter);
  const objectStream = /\/Type\s*\/ObjStm\b/g;
  for (let m = objectStream.exec(latin1); m && count <= stopAfter; m = objectStream.exec(latin1)) {
    const around = latin1.slice(Math.max(0, m.index - 512), m.index + 512);
    count += Number(/\/N\s+(\d{1,9})\b/.exec(around)?.[1] ?? 0);
  }
  return count;
}

/**
 * The heavy part of a PDF's check, run in a worker thread (pdf-work-pool.ts): it must end like a PDF,
 * hold a sane number of objects, parse, have pages within the limit and carry no scripts, attachments,
 * forms with scripts or launch actions. Returns its page count, or throws an AppError naming the file.
 */
export async function checkPdfBytes(name: string, bytes: Uint8Array, limits: UploadLimits): Promise<number> {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!latin1.slice(Math.max(0, latin1.length - 1024)).includes('%%EOF'))
    throw new AppError('FILE_CORRUPT', { name, reason: 'thiếu phần kết thúc %%EOF' });
  const objects = countObjects(latin1, MAX_PDF_OBJECTS);
  if (objects > MAX_PDF_OBJECTS) {
    throw new AppError('FILE_CORRUPT', {
      name,
      reason: `có hơn ${MAX_PDF_OBJECTS.toLocaleString('vi-VN')} đối tượng, cấu trúc bất thường với một văn bản`,
    });
  }
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
  // A file with no catalogue or a looping page tree loads; pdf-lib's own count would then throw a
  // TypeError or overflow the stack.
  let pages: number;
  try {
    pages = countPages(pdf);
  } catch (err) {
    if (err instanceof PdfStructureError) throw new AppError('FILE_CORRUPT', { name, reason: err.message });
    throw err;
  }
  if (pages < 1) throw new AppError('FILE_CORRUPT', { name, reason: 'không có trang nào' });
  if (pages > limits.maxPages)
    throw new AppError('FILE_TOO_MANY_PAGES', { name, pages, limit: limits.maxPages });
  // The parsed objects, then every definition in the raw bytes (a viewer may follow another one).
  const active = [...new Set([...findActiveContent(pdf), ...findActiveNamesInBytes(bytes)])].sort();
  if (active.length > 0) throw new AppError('FILE_HAS_SCRIPT', { name, found: active.join(', ') });
  return pages;
}

/**
 * Accepts PDF, JPEG or PNG by their bytes. A PDF is checked by checkPdfBytes, in a worker thread of
 * `pdfWork` (in this thread without one: scripts and tests of the checks themselves); an image must have
 * a readable header within the pixel limit (it is decoded once, when the scans become a PDF). Anything
 * else is an AppError naming the file and the reason.
 */
export async function checkUpload(
  name: string,
  received: Uint8Array,
  limits: UploadLimits,
  pdfWork?: PdfWork,
): Promise<CheckedFile> {
  // A copy that owns its memory: Node's small Buffers are views into a shared pool, and pdf-lib reads
  // JPEG headers through `.buffer` from offset 0.
  const bytes = new Uint8Array(received);
  if (bytes.length > limits.maxBytes) throw tooLarge(limits);
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('FILE_TYPE_NOT_ALLOWED', { name });
  if (mediaType !== 'application/pdf') {
    checkScanHeader(name, bytes, mediaType, limits);
    return { name, mediaType, bytes, pages: 1 };
  }
  const pages = pdfWork
    ? await pdfWork.checkPdf(name, bytes, limits)
    : await checkPdfBytes(name, bytes, limits);
  return { name, mediaType, bytes, pages };
}
