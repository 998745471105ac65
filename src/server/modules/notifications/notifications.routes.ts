import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DossierId } from '../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../core/errors.ts';
import { NotificationList } from '../../../core/notifications/notifications.schemas.ts';
import { maskRecipient } from '../../../core/notifications/templates.ts';
import { htmlPage } from '../../html-page.ts';
import { requireStaff } from '../../plugins/auth.ts';
import { errorResponses } from '../../plugins/openapi.ts';
import type { NotificationsService } from './notifications.service.ts';

/** What signs the providers' delivery reports (config: MOTCUA_ZALO_APP_ID + MOTCUA_ZALO_OA_SECRET, MOTCUA_SMS_API_KEY). */
export type CallbackSecrets = {
  zalo: { appId: string; secret: string } | null;
  sms: { key: string } | null;
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function sameHex(a: string, b: string) {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const ZaloReport = z.object({
  event_name: z.string(),
  timestamp: z.union([z.string(), z.number()]),
  message: z.object({ msg_id: z.string().min(1).max(100), tracking_id: z.string().max(100).optional() }),
  delivery_time: z.union([z.string(), z.number()]).optional(),
});
const SmsReport = z.object({
  messageId: z.string().min(1).max(100),
  /** The request id we sent (our tracking id), when the gateway echoes it. */
  requestId: z.string().max(100).optional(),
  status: z.enum(['delivered', 'failed']),
  at: z.iso.datetime({ offset: true }).optional(),
});

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** A signed report's own time must be near ours: an old report cannot be played again. */
const REPORT_MAX_SKEW_MS = 15 * 60_000;
/** Any JSON object: the signature is checked on the raw bytes before the report's shape. */
const SignedBody = z.record(z.string(), z.unknown(), { error: 'Cần một đối tượng JSON' });

function parseReport<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      Object.fromEntries(parsed.error.issues.map((i) => [`body.${i.path.join('.')}`, i.message])),
    );
  }
  return parsed.data;
}

/** Staff's view of a dossier's messages, the development outbox, and the providers' signed delivery reports. */
export const notificationsRoutes: FastifyPluginAsyncZod<{
  notifications: NotificationsService;
  demo: boolean;
  secrets: CallbackSecrets;
  now: () => Date;
}> = async (app, { notifications, demo, secrets, now }) => {
  app.get(
    '/api/dossiers/:id/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary:
          'The messages sent to the applicant about a dossier: channel, template, status, tries, times',
        description: 'Staff who may read the dossier. The recipient is masked.',
        params: z.object({ id: DossierId }),
        response: { 200: NotificationList, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return notifications.listForDossier(requireStaff(request), request.params.id);
    },
  );

  // The development outbox: only in demo mode (its numbers and addresses are the demo's).
  app.get('/dev/messages', { schema: { hide: true } }, async (_request, reply) => {
    if (!demo) throw new AppError('ROUTE_NOT_FOUND');
    const { items, total } = await notifications.listDevMessages(100);
    const rows = items
      .map(
        (m) => `<article style="border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:8px 0">
<p><strong>${m.channel === 'zalo' ? 'Zalo ZNS' : m.channel === 'sms' ? 'SMS' : 'Thư điện tử'}</strong> → ${escapeHtml(maskRecipient(m.recipient))}
· ${escapeHtml(new Date(m.created_at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }))}${m.template ? ` · mẫu ${escapeHtml(m.template)}` : ''}</p>
${m.subject ? `<p><em>${escapeHtml(m.subject)}</em></p>` : ''}<pre style="white-space:pre-wrap;font:inherit">${escapeHtml(m.body)}</pre></article>`,
      )
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        htmlPage(
          'Hộp thư thử nghiệm',
          'Tin nhắn gửi công dân (thử nghiệm)',
          `<p>Khi chưa cấu hình Zalo ZNS, SMS hay SMTP, tin nhắn nằm ở đây thay vì đến công dân. ${total} tin, mới nhất trước.</p>${rows || '<p>Chưa có tin nào.</p>'}`,
        ),
      );
  });

  // Delivery reports come signed over the exact bytes sent: the JSON parser keeps them.
  await app.register(async (plain) => {
    const hooks = plain.withTypeProvider<ZodTypeProvider>();
    hooks.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16_384 },
      (request, body, done) => {
        request.rawBody = String(body);
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          done(new AppError('VALIDATION_FAILED', {}, { body: 'JSON không hợp lệ' }), undefined);
        }
      },
    );

    hooks.post(
      '/api/notifications/callbacks/zalo',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Zalo ZNS delivery report (webhook user_received_message), signed with X-ZEvent-Signature',
          description:
            'The signature is `mac=` + SHA-256 of app id + raw body + timestamp + the OA secret key; a report without a valid signature is refused (401).',
          body: SignedBody,
          response: { 200: z.object({ updated: z.number() }), ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const header = String(request.headers['x-zevent-signature'] ?? '');
        if (!secrets.zalo) throw new AppError('UNAUTHENTICATED');
        const timestamp = String(request.body.timestamp ?? '');
        const mac = createHash('sha256')
          .update(`${secrets.zalo.appId}${request.rawBody ?? ''}${timestamp}${secrets.zalo.secret}`)
          .digest('hex');
        if (!sameHex(header.replace(/^mac=/, ''), mac)) throw new AppError('UNAUTHENTICATED');
        const sentAt = Number(timestamp);
        // A timestamp that is not a number cannot slip past the age check.
        if (!Number.isFinite(sentAt) || Math.abs(sentAt - now().getTime()) > REPORT_MAX_SKEW_MS) {
          throw new AppError('UNAUTHENTICATED');
        }
        // The OA's other events come to the same address: taken, and ignored.
        if (request.body.event_name !== 'user_received_message') return { updated: 0 };
        const body = parseReport(ZaloReport, request.body);
        const at = body.delivery_time ? new Date(Number(body.delivery_time)) : now();
        return notifications.markDelivered('zalo', {
          providerMessageId: body.message.msg_id,
          trackingId: body.message.tracking_id,
          at: Number.isNaN(at.getTime()) ? now() : at,
        });
      },
    );

    hooks.post(
      '/api/notifications/callbacks/sms',
      {
        schema: {
          tags: ['notifications'],
          summary: 'SMS gateway delivery report, signed with X-Signature: sha256=HMAC(api key, raw body)',
          body: SignedBody,
          response: { 200: z.object({ updated: z.number() }), ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const header = String(request.headers['x-signature'] ?? '');
        if (!secrets.sms) throw new AppError('UNAUTHENTICATED');
        const mac = createHmac('sha256', secrets.sms.key)
          .update(request.rawBody ?? '')
          .digest('hex');
        if (!sameHex(header.replace(/^sha256=/, ''), mac)) throw new AppError('UNAUTHENTICATED');
        const body = parseReport(SmsReport, request.body);
        const at = body.at ? new Date(body.at) : now();
        if (Number.isNaN(at.getTime()) || Math.abs(at.getTime() - now().getTime()) > 24 * 3_600_000) {
          throw new AppError('UNAUTHENTICATED');
        }
        if (body.status !== 'delivered') return { updated: 0 };
        return notifications.markDelivered('sms', {
          providerMessageId: body.messageId,
          trackingId: body.requestId,
          at,
        });
      },
    );
  });
};
