/** The one way the web app talks to the server: JSON in and out, one error shape, CSRF and retries. */

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

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
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
        : { body: isForm ? (options.body as FormData) : JSON.stringify(options.body) }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (
      data as { error?: { code?: string; message?: string; fields?: FieldErrors; details?: object } }
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.fields,
      error?.details,
    );
  }
  return data as T;
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
