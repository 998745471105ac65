/** The one way the web app talks to the server: JSON in and out, one error shape, CSRF and retries. */
import { z } from 'zod';
import { ErrorBody } from '../../core/errors.ts';

export type FieldErrors = Record<string, string>;

/** An answer the server gave with an error body, or no answer at all (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, fields?: FieldErrors, details?: object) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.details = (details as Record<string, unknown>) ?? {};
  }

  /** The request never got an answer (offline, dropped link, timeout): safe to offer a retry. */
  get isNetwork() {
    return this.status === 0;
  }
}

let csrfToken = '';

/** The session's CSRF token, sent with every write (set at sign-in and by /api/auth/me). */
export function setCsrfToken(token: string) {
  csrfToken = token;
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** The same key on a retried write never creates a second dossier. */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

function currentLanguage() {
  return document.documentElement.lang || 'vi';
}

/** A fresh idempotency key: one per intended write, reused by its retries. */
export function newIdempotencyKey() {
  return crypto.randomUUID();
}

/**
 * A JSON answer read with the route's own response schema (the one the server serializes with), so the
 * web's types are the server's: a change on one side that the other does not follow shows here, named.
 */
export async function api<S extends z.ZodType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const data = await request(path, options);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // The path without its query: a search or a tracking query may hold a name or an ID's digits.
    console.error(
      `The answer of ${path.split('?')[0]} does not match its schema`,
      z.treeifyError(parsed.error),
    );
    // A write may have been done all the same: the notice says to reload and see, never to send again.
    throw new ApiError(502, 'BAD_ANSWER', 'bad answer', undefined, {
      write: (options.method ?? 'GET') !== 'GET',
    });
  }
  return parsed.data;
}

/** A write whose answer has no body (204), or whose body the caller does not read. */
export async function send(path: string, options: RequestOptions = {}): Promise<void> {
  await request(path, options);
}

async function request(path: string, options: RequestOptions): Promise<unknown> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLanguage(),
  };
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.body === undefined
        ? {}
        : { body: options.body instanceof FormData ? options.body : JSON.stringify(options.body) }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (response.status === 204) return undefined;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    // A proxy's or a gateway's page is no error body of ours: the status alone speaks then.
    const error = ErrorBody.safeParse(data).data?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.fields,
      error?.details,
    );
  }
  return data;
}

/** A query string from the set values only. */
export function toQuery(params: Record<string, string | number | undefined | null>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
