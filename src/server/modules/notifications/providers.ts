import nodemailer from 'nodemailer';
import type { NotificationEvent } from '../../../core/notifications/templates.ts';

/**
 * The three ways a message leaves for a citizen, each behind a small interface with the provider's own
 * deduplication id: a retried send (after a timeout, a lost answer, a killed process) never reaches the
 * citizen twice. Providers answer in three ways: sent; rejected for good on this channel (a number that
 * is not on Zalo, no quota: a fallback may carry the message); or a failure worth retrying, thrown as
 * ProviderUnavailable. No number, address or text ever goes into an error.
 */
export type SendOutcome =
  | { kind: 'sent'; providerMessageId: string | null }
  | { kind: 'rejected'; code: string };

export class ProviderUnavailable extends Error {
  constructor(readonly code: string) {
    super(`provider unavailable: ${code}`);
    this.name = 'ProviderUnavailable';
  }
}

export type ZnsMessage = {
  /** 84xxxxxxxxx */
  phone: string;
  templateId: string;
  templateData: Record<string, string>;
  trackingId: string;
};
export type SmsMessage = { to: string; text: string; requestId: string };
export type MailMessage = { to: string; subject: string; text: string; messageId: string };

export type Providers = {
  /** 'http' when a real provider is configured, 'dev' for the development outbox. */
  kind: 'http' | 'dev';
  /** The ids Zalo gave the OA's approved templates, by message (the templates' own ids otherwise). */
  znsTemplateIds?: Partial<Record<NotificationEvent, string>>;
  zalo: { send(m: ZnsMessage, signal?: AbortSignal): Promise<SendOutcome> } | null;
  sms: { send(m: SmsMessage, signal?: AbortSignal): Promise<SendOutcome> } | null;
  email: { send(m: MailMessage, signal?: AbortSignal): Promise<SendOutcome> } | null;
};

/*
 * ZNS error codes (zalo.cloud/zns/guidelines/handle-error-code): -108 phone number invalid, -114 user
 * inactive or refusing ZNS, -115 out of quota, -118 no Zalo account, -119 account cannot receive ZNS,
 * -124 access token invalid, -100 unknown error. -100 and -124 are tried again; every other code means
 * ZNS will not deliver this message as sent, so it falls back to SMS.
 */
/**
 * Worth trying again: an unknown error, and the OA's access token refused (an operator renews it; the
 * message must not fall back to SMS for a configuration problem, nor be lost: it waits on the dead-letter
 * list once its tries are spent).
 */
const ZNS_RETRY = new Set([-100, -124]);

async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; json: unknown }> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.any(signals),
      redirect: 'error',
    });
  } catch (err) {
    throw new ProviderUnavailable((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection');
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

/** Zalo ZNS over its template API: `POST …/message/template` with the OA's access token. */
export function createZnsClient(options: { url: string; accessToken: string; timeoutMs?: number }) {
  return {
    async send(m: ZnsMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const { status, json } = await postJson(
        options.url,
        { access_token: options.accessToken },
        {
          phone: m.phone,
          template_id: m.templateId,
          template_data: m.templateData,
          tracking_id: m.trackingId,
        },
        options.timeoutMs ?? 10_000,
        signal,
      );
      if (status >= 500 || status === 429) throw new ProviderUnavailable(`http ${status}`);
      const answer = json as { error?: number; data?: { msg_id?: string } } | null;
      if (status !== 200 || typeof answer?.error !== 'number')
        throw new ProviderUnavailable(`http ${status}`);
      if (answer.error === 0) return { kind: 'sent', providerMessageId: answer.data?.msg_id ?? null };
      if (ZNS_RETRY.has(answer.error)) throw new ProviderUnavailable(`zns ${answer.error}`);
      return { kind: 'rejected', code: `zns ${answer.error}` };
    },
  };
}

/**
 * An SMS brandname gateway over HTTP: `POST url` with `{ to, text, sender?, requestId }` and a bearer API
 * key. 2xx is sent (`messageId` when the gateway gives one); 409 means the gateway has this request id
 * already, so it was sent before; another 4xx is rejected; 5xx, 429 and no answer are retried.
 */
export function createHttpSmsClient(options: {
  url: string;
  apiKey: string;
  sender?: string | undefined;
  timeoutMs?: number;
}) {
  return {
    async send(m: SmsMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const { status, json } = await postJson(
        options.url,
        { authorization: `Bearer ${options.apiKey}` },
        {
          to: m.to,
          text: m.text,
          requestId: m.requestId,
          ...(options.sender ? { sender: options.sender } : {}),
        },
        options.timeoutMs ?? 5_000,
        signal,
      );
      if (status >= 200 && status < 300) {
        const id = (json as { messageId?: unknown } | null)?.messageId;
        return { kind: 'sent', providerMessageId: typeof id === 'string' ? id : null };
      }
      if (status === 409) return { kind: 'sent', providerMessageId: null };
      if (status >= 500 || status === 429) throw new ProviderUnavailable(`http ${status}`);
      return { kind: 'rejected', code: `http ${status}` };
    },
  };
}

/** E-mail over SMTP (nodemailer): the Message-ID is the notification's, so a resent copy is the same mail. */
export function createSmtpClient(options: { url: string; from: string; timeoutMs?: number }) {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(options.url, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as never);
  return {
    async send(m: MailMessage): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: m.messageId,
        });
        return { kind: 'sent', providerMessageId: info.messageId ?? m.messageId };
      } catch (err) {
        const e = err as { responseCode?: number; code?: string };
        // 5xx from the server: this address will not take it; anything else (4xx, no connection) is retried.
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
          return { kind: 'rejected', code: `smtp ${e.responseCode}` };
        }
        throw new ProviderUnavailable(e.responseCode ? `smtp ${e.responseCode}` : (e.code ?? 'smtp'));
      }
    },
    close: () => transport.close(),
  };
}
