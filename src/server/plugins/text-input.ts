import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type Language } from '../../core/errors.ts';

// PostgreSQL refuses U+0000 in text and jsonb (22P05), and a lone surrogate cannot be encoded in UTF-8
// (22021): either would reach the database as a 500. One check at the door refuses both for every route.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = String.fromCharCode(0);

const MESSAGE: Record<Language, string> = {
  vi: 'Có ký tự không hợp lệ (ký tự NUL hoặc ký tự Unicode không đầy đủ)',
  en: 'Contains an invalid character (a NUL byte or an incomplete Unicode character)',
};

/** True when the text holds a character PostgreSQL cannot store. */
export function hasUnstorableCharacter(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return text.includes(NUL) || LONE_SURROGATE.test(text);
}

/** A field name fit to echo back: the offending characters shown as U+FFFD. */
const printable = (key: string) => key.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');

/** The path of the first string (value or object key) PostgreSQL cannot store, or null. */
function findUnstorable(value: unknown, path: string[], depth = 0): string[] | null {
  if (typeof value === 'string') return hasUnstorableCharacter(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = [...path, printable(key)];
    if (hasUnstorableCharacter(key)) return at;
    const found = findUnstorable(inner, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** VALIDATION_FAILED naming the field, in the client's language. */
export function unstorableField(field: string, language: Language): AppError {
  return new AppError('VALIDATION_FAILED', {}, { [field]: MESSAGE[language] });
}

/** Refuses, before any route's own validation, a request whose params, query, body or headers hold one. */
export function registerTextInputCheck(app: FastifyInstance, pickLanguage: (r: FastifyRequest) => Language) {
  app.addHook('preValidation', async (request) => {
    const parts = {
      params: request.params,
      querystring: request.query,
      body: request.body,
      headers: request.headers,
    };
    const found = findUnstorable(parts, []);
    if (found) throw unstorableField(found.join('.'), pickLanguage(request));
  });
}
