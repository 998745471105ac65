import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { hasUnstorableCharacter, unstorableField } from '../../plugins/text-input.ts';
import type { Upload } from './documents.service.ts';
import { tooLarge, type UploadLimits } from './file-checks.ts';

/**
 * A multipart form: every part named `file`, read whole while the request as a whole stays within
 * `maxBytes`, and the text fields; files under other names are drained unread.
 */
export async function readForm(
  request: FastifyRequest,
  limits: Pick<UploadLimits, 'maxBytes'>,
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
    uploads.push({ name: part.filename || 'tep-tai-len', bytes: Buffer.concat(chunks) });
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
