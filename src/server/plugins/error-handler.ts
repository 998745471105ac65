import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorCode, type Language, translateError } from '../../core/errors.ts';
import { DatabaseLoadingError } from '../db/connection.ts';
import { storageCause } from '../db/storage-errors.ts';
import type { StorageHealth } from '../db/storage-health.ts';
import { describeError } from './logging.ts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  ROUTE_NOT_FOUND: 404,
  UNIT_NOT_FOUND: 404,
  VILLAGE_NOT_FOUND: 404,
  SCHEDULE_ENTRY_NOT_FOUND: 404,
  PROCEDURE_NOT_FOUND: 404,
  DOSSIER_NOT_FOUND: 404,
  ACTION_NOT_ALLOWED: 409,
  ROLE_NOT_ALLOWED: 403,
  VERSION_CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  MISSING_COMPONENTS: 422,
  SUPPLEMENT_DEADLINE_PASSED: 409,
  CSRF_INVALID: 403,
  ACCOUNT_LOCKED: 423,
  CURRENT_PASSWORD_WRONG: 400,
  COMPONENT_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  JOB_NOT_DEAD: 409,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_TOO_LARGE: 413,
  FILE_CORRUPT: 422,
  FILE_HAS_SCRIPT: 422,
  FILE_TOO_MANY_PAGES: 422,
  FORM_NOT_AVAILABLE: 409,
  RESULT_NOT_FOUND: 404,
  NO_SIGNING_CREDENTIAL: 409,
  SIGNING_PIN_WRONG: 403,
  SIGNING_LOCKED: 423,
  CERTIFICATE_INVALID: 422,
  FILE_MISSING: 400,
  IMAGE_TOO_MANY_PIXELS: 422,
  SCANS_TOO_MANY_PIXELS: 413,
  TOO_MANY_FILES: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CATALOGUE_SCOPE_FORBIDDEN: 403,
  NOT_COMPETENT_UNIT: 403,
  VARIANT_CHANGES_LOCKED: 422,
  IDENTITY_LEVEL_TOO_LOW: 403,
  PROCEDURE_NOT_ONLINE: 422,
  ALREADY_RATED: 409,
  SIGN_IN_FAILED: 401,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TOO_MANY_UNKNOWN_CODES: 429,
  TOO_MANY_LOOKUPS: 429,
  TRACKING_FACT_WRONG: 403,
  TOO_MANY_WRONG_FACTS: 429,
  STORE_CONSENT_REQUIRED: 403,
  CONSENT_NO_PHONE: 422,
  CONSENT_CODE_WRONG: 422,
  CONSENT_CODE_EXPIRED: 410,
  CONSENT_TOO_MANY_TRIES: 429,
  CONSENT_TOO_MANY_REQUESTS: 429,
  CONSENT_REQUEST_NOT_FOUND: 404,
  SMS_GATEWAY_FAILED: 502,
  SMS_GATEWAY_UNAVAILABLE: 503,
  NOT_READY: 503,
  STORAGE_UNAVAILABLE: 503,
  PDF_CHECKS_BUSY: 503,
  PDF_CHECK_ABORTED: 422,
  INTERNAL: 500,
};

const englishLocale = z.locales.en();

/** Vietnamese first: English only when the client prefers it. */
export function pickLanguage(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  if (!header) return 'vi';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number.parseFloat(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('vi')) return 'vi';
    if (tag.startsWith('en')) return 'en';
  }
  return 'vi';
}

type FieldIssue = { path: PropertyKey[]; message: string } & Record<string, unknown>;

/** A part of the request that only the route can validate (its schema depends on another part). */
class RequestPartInvalid extends Error {
  constructor(
    readonly issues: FieldIssue[],
    readonly part: 'body' | 'querystring',
  ) {
    super(`invalid ${part}`);
  }
}

/** Parses with the schema; a failure answers 400 with the fields named, as for the route schemas. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'querystring',
) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RequestPartInvalid(parsed.error.issues as unknown as FieldIssue[], part);
  return parsed.data as z.infer<S>;
}

function fieldMessages(issues: FieldIssue[], prefix: string, language: Language): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix;
    if (fields[key]) continue;
    // Schemas carry Vietnamese messages; English clients get Zod's English wording of the same issue.
    const english = language === 'en' ? englishLocale.localeError(issue as never) : undefined;
    fields[key] = (typeof english === 'string' ? english : english?.message) ?? issue.message;
  }
  return fields;
}

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  language: Language,
  params: Record<string, string | number> = {},
  fields?: Record<string, string>,
  details?: Record<string, unknown>,
) {
  return reply.status(HTTP_STATUS[code]).send({
    error: {
      code,
      message: translateError(code, language, params),
      ...(fields ? { fields } : {}),
      ...(details ? { details } : {}),
    },
  });
}

/** One error body for the whole API: `{ error: { code, message, fields? } }`; a 5xx never shows internals. */
export function registerErrorHandler(app: FastifyInstance, storage?: StorageHealth) {
  app.setErrorHandler((error: FastifyError | AppError | RequestPartInvalid, request, reply) => {
    const language = pickLanguage(request);
    if (error instanceof AppError) {
      return sendError(reply, error.code, language, error.params, error.fields, error.details);
    }
    if (error instanceof RequestPartInvalid) {
      return sendError(
        reply,
        'VALIDATION_FAILED',
        language,
        {},
        fieldMessages(error.issues, error.part, language),
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const prefix = error.validationContext ?? '';
      // The type provider flattens each Zod issue; put it back together for the English wording.
      const issues = error.validation.map(
        (v): FieldIssue => ({
          ...(v.params as Record<string, unknown>),
          code: v.keyword,
          path: v.instancePath.split('/').filter(Boolean),
          message: v.message ?? '',
        }),
      );
      return sendError(reply, 'VALIDATION_FAILED', language, {}, fieldMessages(issues, prefix, language));
    }
    // The last line behind the request-wide text check: text PostgreSQL cannot store or decode.
    const sqlState = (error as { code?: unknown }).code;
    if (sqlState === '22P05' || sqlState === '22021') {
      return sendError(reply, 'VALIDATION_FAILED', language, {}, { body: 'Có ký tự không hợp lệ' });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 'PAYLOAD_TOO_LARGE', language);
    if (status === 429) return sendError(reply, 'RATE_LIMITED', language);
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type and the like: the client's mistake, said plainly.
      return sendError(reply, 'VALIDATION_FAILED', language, {}, { body: error.message });
    }
    if (error instanceof DatabaseLoadingError) {
      // A first start is loading its data in another process: nothing is wrong, it will answer soon.
      return sendError(reply.header('retry-after', '10'), 'NOT_READY', language);
    }
    const storageFailure = storageCause(error);
    if (storageFailure) {
      // A full or read-only disk is the operator's to fix, not a bug: a 503 that says so, and /readyz too.
      storage?.writeFailed(storageFailure);
      request.log.error({ storage: storageFailure }, 'a write failed: the storage is unavailable');
      return sendError(reply, 'STORAGE_UNAVAILABLE', language);
    }
    request.log.error({ err: describeError(error) }, 'unhandled error');
    return sendError(reply, 'INTERNAL', language);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'ROUTE_NOT_FOUND', pickLanguage(request), {
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    }),
  );
}
