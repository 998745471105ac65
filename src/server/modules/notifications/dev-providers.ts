import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Providers, SendOutcome } from './providers.ts';

/**
 * The development providers `npm start` uses when no real one is configured: each "sends" by writing the
 * message to the development outbox (/dev/messages), deduplicated by the tracking id as the real
 * providers are. The development Zalo treats a number ending in 0 as not on Zalo (ZNS code -118), so
 * the demo shows the SMS fallback too.
 */
export const DEV_NOT_ON_ZALO = (phone: string) => phone.endsWith('0');

export function createDevProviders(db: Kysely<DB>, now: () => Date): Providers {
  async function keep(
    channel: 'zalo' | 'sms' | 'email',
    recipient: string,
    trackingId: string,
    body: string,
    extra: { template?: string; subject?: string } = {},
  ): Promise<SendOutcome> {
    const row = await db
      .insertInto('dev_message')
      .values({
        channel,
        recipient,
        tracking_id: trackingId,
        template: extra.template ?? null,
        subject: extra.subject ?? null,
        body,
        created_at: now(),
      })
      .onConflict((oc) => oc.column('tracking_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    const id =
      row?.id ??
      (
        await db
          .selectFrom('dev_message')
          .select('id')
          .where('tracking_id', '=', trackingId)
          .executeTakeFirstOrThrow()
      ).id;
    return { kind: 'sent', providerMessageId: `dev-${id}` };
  }
  return {
    kind: 'dev',
    zalo: {
      async send(m) {
        if (DEV_NOT_ON_ZALO(m.phone)) return { kind: 'rejected', code: 'zns -118' };
        const lines = Object.entries(m.templateData).map(([k, v]) => `${k}: ${v}`);
        return keep('zalo', m.phone, m.trackingId, lines.join('\n'), { template: m.templateId });
      },
    },
    sms: { send: (m) => keep('sms', m.to, m.requestId, m.text) },
    email: { send: (m) => keep('email', m.to, m.messageId, m.text, { subject: m.subject }) },
  };
}
