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

/** Masks citizen ID numbers (9 or 12 digits) and phone numbers wherever they appear in a string. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<!\d)(?:\+?84|0)\d{9,10}(?!\d)/g, REDACTED)
    .replace(/(?<!\d)\d{12}(?!\d)|(?<!\d)\d{9}(?!\d)/g, REDACTED);
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
