import type { FastifyServerOptions } from 'fastify';

/** Query parameters whose values are personal data or free text that may hold it. */
const PERSONAL_QUERY_KEYS = new Set([
  'q',
  'name',
  'fullname',
  'citizenid',
  'idnumber',
  'phone',
  'address',
  'email',
]);

const REDACTED = '[redacted]';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** Masks citizen ID numbers (9 or 12 digits), phone numbers and e-mail addresses wherever they appear. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(EMAIL, REDACTED)
    .replace(/(?<!\d)(?:\+?84|0)\d{9,10}(?!\d)/g, REDACTED)
    .replace(/(?<!\d)\d{12}(?!\d)|(?<!\d)\d{9}(?!\d)/g, REDACTED);
}

/** Every string inside a log line's object masked (a copy: the logged objects stay as they are). */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalNumbers(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  // Pino formats before it serializes: an Error is still whole here.
  if (value instanceof Error) return describeError(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  // Requests, replies and the like go to their serializers as they are.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

// A PostgreSQL error's detail ("Key (phone)=(0912…) already exists"), where (the statement's values),
// hint, query and parameters all carry data; only these name what failed without carrying any.
const DATABASE_ERROR_FIELDS = [
  'code',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
];

/** What an unhandled error may put in the logs: a database error's names only, any other masked. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & Record<string, unknown>;
  const isDatabase = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e;
  if (isDatabase) {
    const out: Record<string, unknown> = { type: 'DatabaseError' };
    for (const field of DATABASE_ERROR_FIELDS) if (e[field] !== undefined) out[field] = e[field];
    return out;
  }
  return {
    type: e.name,
    message: maskPersonalNumbers(e.message),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(e.stack ? { stack: maskPersonalNumbers(e.stack) } : {}),
  };
}

/** A URL fit for the logs: personal query values dropped, ID and phone numbers in the path masked. */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const maskedPath = maskPersonalNumbers(pathPart);
  if (!query) return maskedPath;
  const params = new URLSearchParams(query);
  const out: string[] = [];
  for (const [key, value] of params) {
    const keep = !PERSONAL_QUERY_KEYS.has(key.toLowerCase());
    out.push(
      `${encodeURIComponent(key)}=${keep ? encodeURIComponent(maskPersonalNumbers(value)) : REDACTED}`,
    );
  }
  return `${maskedPath}?${out.join('&')}`;
}

/** Paths into logged objects that hold personal data; pino replaces their values. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pin',
  '*.fullName',
  '*.full_name',
  '*.name',
  '*.citizenId',
  '*.idNumber',
  '*.phone',
  '*.email',
  '*.address',
  '*.applicant',
  '*.*.fullName',
  '*.*.citizenId',
  '*.*.phone',
];

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    // By pattern too, in every line: a message or a field the paths above do not name.
    formatters: { log: (object: Record<string, unknown>) => maskDeep(object) },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskPersonalNumbers(a) : a)),
        );
      },
    },
    serializers: {
      req(request) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
        };
      },
    },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}
