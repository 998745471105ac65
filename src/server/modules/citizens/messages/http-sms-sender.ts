import { AppError } from '../../../../core/errors.ts';
import type { OneTimeCodeSender } from './one-time-code-sender.ts';

export type HttpSmsOptions = {
  /** The gateway's endpoint (MOTCUA_SMS_URL): it takes one JSON message per POST. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` (MOTCUA_SMS_TOKEN). */
  token: string;
  /** How long to wait for the gateway's answer; default 5 s. */
  timeoutMs?: number;
  /** The sender name the gateway shows (brandname), if it wants one. */
  sender?: string;
};

/**
 * An SMS gateway over HTTP: `POST url` with `{ to, text, sender? }` as JSON and a bearer token; any 2xx
 * is taken as accepted. A 4xx/5xx answer is SMS_GATEWAY_FAILED (502), no answer in time or no connection
 * SMS_GATEWAY_UNAVAILABLE (503). The number and the text never reach a log or an error detail.
 */
export function createHttpSmsSender(options: HttpSmsOptions): OneTimeCodeSender {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    kind: 'http',
    async send(message) {
      let status: number;
      try {
        const res = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify({
            to: message.to,
            text: message.text,
            ...(options.sender ? { sender: options.sender } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        status = res.status;
        // Drain the body so the connection is released; its content is the gateway's, not ours to keep.
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
        throw new AppError('SMS_GATEWAY_UNAVAILABLE', {}, undefined, { reason });
      }
      if (status < 200 || status >= 300) {
        throw new AppError('SMS_GATEWAY_FAILED', {}, undefined, { gatewayStatus: status });
      }
      return { shownCode: null };
    },
  };
}
