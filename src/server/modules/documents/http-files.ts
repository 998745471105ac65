import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { hasUnstorableCharacter, unstorableField } from '../../plugins/text-input.ts';
import type { Upload } from './documents.service.ts';
import { tooLarge, type UploadLimits } from './file-checks.ts';
import { checkScanHeader, createPixelBudget } from './scan-images.ts';

/**
 * A multipart form: every part named `file`, read whole while the request as a whole stays within
 * `maxBytes`, and the text fields; files under other names are drained unread. With scan limits
 * (`maxPages`, `maxPixels`, `maxRequestPixels`), reading stops at the first file too many and at the
 * first image whose header puts it or the request over its pixel bound.
 */
export async function readForm(
  request: FastifyRequest,
  limits: Pick<UploadLimits, 'maxBytes'> & Partial<UploadLimits>,
): Promise<{ uploads: Upload[]; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      { file: 'Gửi tệp dưới dạng multipart/form-data, trường "file"' },
    );
  }
  const uploads: Upload[] = [];
  const fields: Record<string, string> = {};
  let total = 0;
  const { maxPages, maxPixels, maxRequestPixels } = limits;
  const spend =
    maxPixels !== undefined && maxRequestPixels !== undefined
      ? createPixelBudget({ maxPixels, maxRequestPixels })
      : null;
  for await (const part of request.parts()) {
    // The parts are read here, after the request-wide check: their names and values are checked alike.
    if (hasUnstorableCharacter(part.fieldname)) throw unstorableField('body', 'vi');
    if (part.type === 'field') {
      const value = String(part.value);
      if (hasUnstorableCharacter(value)) throw unstorableField(`body.${part.fieldname}`, 'vi');
      fields[part.fieldname] = value;
      continue;
    }
    if (part.fieldname !== 'file') {
      part.file.resume();
      continue;
    }
    if (part.filename && hasUnstorableCharacter(part.filename)) {
      part.file.resume();
      throw unstorableField('body.file', 'vi');
    }
    const name = part.filename || 'tep-tai-len';
    if (maxPages !== undefined && uploads.length >= maxPages) {
      part.file.resume();
      throw new AppError('TOO_MANY_FILES', { name, limit: maxPages });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        part.file.resume();
        throw tooLarge(limits);
      }
      chunks.push(chunk);
    }
    // A single file over the limit is cut short by the parser rather than refused.
    if (part.file.truncated) throw tooLarge(limits);
    const bytes = Buffer.concat(chunks);
    if (spend && maxPixels !== undefined) {
      const type = imageTypeOf(bytes);
      if (type) spend(name, checkScanHeader(name, bytes, type, { maxPixels }));
    }
    uploads.push({ name, bytes });
  }
  return { uploads, fields };
}

/** The one file a form must carry (the first part named `file`), or FILE_MISSING. */
export function theFile(uploads: Upload[]): Upload {
  const file = uploads[0];
  if (!file || file.bytes.length === 0) throw new AppError('FILE_MISSING');
  return file;
}

/** `inline; filename="ascii"; filename*=UTF-8''…` with the RFC 5987 escapes encodeURIComponent leaves out. */
export function contentDisposition(name: string) {
  const ascii =
    name
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'tep';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The image type by its first bytes (file-checks.ts judges every type when the request is complete). */
function imageTypeOf(bytes: Buffer): 'image/jpeg' | 'image/png' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  return null;
}
