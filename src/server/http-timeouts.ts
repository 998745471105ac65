/** How long a client may take; Fastify and Node set none (or 60 s for headers) by default. */
export type HttpTimeouts = {
  /** The request line and headers: a few KB, a second even on 2G. */
  headersMs: number;
  /** The whole request, body included: a slow upload must fit, a trickle that never ends must not. */
  requestMs: number;
  /** No byte either way on an open connection. */
  idleMs: number;
  /** A kept-alive connection waiting for its next request. */
  keepAliveMs: number;
};

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 30_000,
  // A 20 MB scan at 23 KB/s (about 190 kbit/s, a weak 3G link) takes 15 minutes.
  requestMs: 15 * 60_000,
  idleMs: 120_000,
  // Above the 60 s of the usual reverse proxies, so the proxy, not us, closes a reused connection.
  keepAliveMs: 72_000,
};

/** The Fastify options that carry them; Node checks the headers and request deadlines on this interval. */
export function httpTimeoutOptions(t: HttpTimeouts) {
  return {
    connectionTimeout: t.idleMs,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      headersTimeout: Math.min(t.headersMs, t.requestMs),
      // Node's default of 30 s would let a deadline of 2 s run 30 s late.
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(t.headersMs / 4))),
    },
  };
}
