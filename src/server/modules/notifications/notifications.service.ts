import { type Kysely, sql, type Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { addDaysToLocalDate, toLocalDate } from '../../../core/calendar/vn-time.ts';
import type { DossierEvent } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import {
  dayFirst,
  internationalPhone,
  type MessageFacts,
  maskRecipient,
  type NotificationChannel,
  type NotificationEvent,
  TEMPLATES,
  withoutDiacritics,
} from '../../../core/notifications/templates.ts';
import type { DB } from '../../db/schema.ts';
import { defineJob, type JobContext, type JobFinish } from '../../jobs/job-definition.ts';
import { enqueueJob, enqueueJobsFor } from '../../jobs/job-queue.ts';
import type { CaseEventNotice } from '../../kernel/case-writer.ts';
import { trackingUrl } from '../documents/dossier-record.ts';
import type { DossierRow } from '../dossiers/dossiers.repository.ts';
import { type Providers, ProviderUnavailable, type SendOutcome } from './providers.ts';

/** Tries of one message on one channel before it goes to the dead-letter list. */
export const SEND_ATTEMPTS = 6;

/** The applicant's contacts and choice, as the dossier keeps them. */
type Contact = { phone?: string; email?: string; notify?: boolean };

/** What the dossiers module answers for reminders and for staff's reads (it owns the dossier tables). */
export type NotificationsDossiers = {
  /** The dossier if the officer may read it (404 otherwise). */
  assertReadable(staff: StaffPrincipal, id: number): Promise<{ id: number; code: string }>;
  /** Dossiers with the clock running whose promised date is the given Vietnam day. */
  listDueOn(day: string): Promise<
    {
      id: number;
      code: string;
      procedureVersionId: number;
      dueAt: string;
      version: number;
      receivingUnitCode: string;
      applicant: Contact;
    }[]
  >;
  /** The names a message says: the procedure version's, the centre's (read when it is sent, outside any write). */
  namesOf(procedureVersionId: number, unitCode: string): Promise<{ procedure: string; centre: string }>;
};

/** Which message an event causes, if any. */
function messageOf(e: DossierEvent, after: DossierState): NotificationEvent | null {
  switch (e.type) {
    case 'intake':
      // Counter and postal dossiers are received at once; an online one is told when reception takes it.
      return after.state === 'received' ? 'received' : null;
    case 'receive':
      return 'received';
    case 'request-supplement':
      return 'supplement';
    case 'result-ready':
      return 'result-ready';
    case 'apologize':
      return 'apology';
    case 'return-result':
      return 'returned';
    default:
      return null;
  }
}

const SendPayload = z.object({ notificationId: z.number().int().positive() });

export function createNotificationsService(deps: {
  db: Kysely<DB>;
  now: () => Date;
  publicUrl: string;
  providers: Providers;
  dossiers: NotificationsDossiers;
}) {
  const { db, providers } = deps;
  /** Procedure and centre names change rarely: a send under load reads them from memory. */
  const names = new LRUCache<string, { procedure: string; centre: string }>({ max: 2_000, ttl: 10 * 60_000 });
  async function namesOf(procedureVersionId: number, unitCode: string) {
    const key = `${procedureVersionId}:${unitCode}`;
    const hit = names.get(key);
    if (hit) return hit;
    const found = await deps.dossiers.namesOf(procedureVersionId, unitCode);
    names.set(key, found);
    return found;
  }

  /** The channels a contact is reached on: Zalo (else SMS) for a phone, e-mail for an address. */
  function channelsFor(contact: Contact): { channel: NotificationChannel; recipient: string }[] {
    if (contact.notify === false) return [];
    const out: { channel: NotificationChannel; recipient: string }[] = [];
    if (contact.phone) {
      const phone = internationalPhone(contact.phone);
      if (providers.zalo) out.push({ channel: 'zalo', recipient: phone });
      else if (providers.sms) out.push({ channel: 'sms', recipient: phone });
    }
    if (contact.email && providers.email) out.push({ channel: 'email', recipient: contact.email });
    return out;
  }

  /** Records the messages (the send intent) and their jobs, in the caller's transaction. */
  async function record(
    trx: Transaction<DB>,
    message: {
      dossierId: number;
      unitCode: string;
      event: NotificationEvent;
      facts: Partial<MessageFacts> & { procedureVersionId?: number };
      contact: Contact;
      key: string;
      now: Date;
    },
  ) {
    for (const { channel, recipient } of channelsFor(message.contact)) {
      await insertAndEnqueue(trx, {
        dossier_id: message.dossierId,
        unit_code: message.unitCode,
        event: message.event,
        template_version: TEMPLATES[message.event].version,
        channel,
        recipient,
        facts: JSON.stringify(message.facts),
        tracking_id: `motcua-${message.key}-${channel}`,
        dedupe_key: `${message.key}:${channel}`,
        fallback_of: null,
        created_at: message.now,
      });
    }
  }

  /** The message and its job in one statement (the job needs the message's id). */
  async function insertAndEnqueue(
    trx: Transaction<DB>,
    row: Parameters<ReturnType<Kysely<DB>['insertInto']>['values']>[0] & Record<string, unknown>,
  ) {
    await enqueueJobsFor(
      trx.with('made', (db) =>
        db
          .insertInto('notification')
          .values(row as never)
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .returning('id'),
      ) as unknown as Parameters<typeof enqueueJobsFor>[0],
      sendJob,
      {},
      { idKey: 'notificationId', dedupePrefix: 'notification:', now: row.created_at as Date },
    );
  }

  /** The dossiers' subscriber: each event that the citizen should hear about records its messages. */
  async function onDossierEvent(n: CaseEventNotice<DossierState, DossierEvent, DossierRow>) {
    // Refused, or sent back for papers, before the "received" message went (at the counter, in the
    // intake's own transaction): that message is not sent; the citizen has the paper form in hand.
    if ((n.event.type === 'refuse' || n.event.type === 'request-supplement') && n.before?.version === 1) {
      await n.trx
        .updateTable('notification')
        .set({ status: 'cancelled' })
        .where('dossier_id', '=', n.id)
        .where('event', '=', 'received')
        .where('status', '=', 'pending')
        .execute();
    }
    const event = messageOf(n.event, n.after);
    if (!event) return;
    const s = n.after;
    const data = n.event.data as Record<string, unknown>;
    const missing = new Set((data.missingComponents as string[] | undefined) ?? []);
    const names = (n.row.components as { key: string; name: string }[])
      .filter((c) => missing.has(c.key))
      .map((c) => c.name);
    const facts: Partial<MessageFacts> & { procedureVersionId: number } = {
      procedureVersionId: n.row.procedure_version_id,
      code: n.row.code,
      trackingUrl: trackingUrl(deps.publicUrl, n.row.code),
      date:
        event === 'supplement'
          ? dayFirst(`${String(data.applicantDeadline)}T12:00:00+07:00`)
          : dayFirst(s.dueAt),
      detail:
        event === 'supplement'
          ? [...names, ...((data.reasons as string[] | undefined) ?? [])].join('; ')
          : event === 'returned'
            ? String(
                data.method === 'counter'
                  ? 'tại quầy'
                  : data.method === 'post'
                    ? 'qua bưu chính'
                    : 'bản điện tử',
              )
            : '',
    };
    await record(n.trx, {
      dossierId: n.id,
      unitCode: n.row.receiving_unit_code,
      event,
      facts,
      contact: n.row.applicant as Contact,
      key: `d${n.id}-v${s.version}`,
      now: n.now,
    });
  }

  async function update(on: Kysely<DB> | Transaction<DB>, id: number, set: Record<string, unknown>) {
    await on.updateTable('notification').set(set).where('id', '=', id).execute();
  }

  async function sendOn(
    channel: NotificationChannel,
    event: NotificationEvent,
    facts: MessageFacts,
    recipient: string,
    trackingId: string,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const template = TEMPLATES[event];
    if (channel === 'zalo' && providers.zalo) {
      return providers.zalo.send(
        {
          phone: recipient,
          templateId: providers.znsTemplateIds?.[event] ?? template.zns.templateId,
          templateData: template.zns.params(facts),
          trackingId,
        },
        signal,
      );
    }
    if (channel === 'sms' && providers.sms) {
      return providers.sms.send(
        { to: recipient, text: withoutDiacritics(template.sms(facts)), requestId: trackingId },
        signal,
      );
    }
    if (channel === 'email' && providers.email) {
      const mail = template.email.vi;
      return providers.email.send(
        {
          to: recipient,
          subject: mail.subject(facts),
          text: mail.text(facts),
          messageId: `<${trackingId}@motcua>`,
        },
        signal,
      );
    }
    return { kind: 'rejected', code: 'no provider' };
  }

  /**
   * One try of one message. The intent is the notification row, written with the event; the try is
   * counted by the job's claim, committed before the provider is called. The outcome is written with the
   * job's completion in one commit (JobFinish). A message already sent is not sent again; one whose tries
   * ran out on errors worth retrying ('failed', its job dead) goes again when the administrator retries
   * the job, with the same id. A refusal for good ends its job, so it never comes back here.
   */
  async function deliver(
    payload: { notificationId: number },
    ctx: JobContext,
  ): Promise<JobFinish | undefined> {
    const db = ctx.db;
    const n = await db
      .selectFrom('notification')
      .selectAll()
      .where('id', '=', payload.notificationId)
      .where('status', 'in', ['pending', 'sending', 'failed'])
      .executeTakeFirst();
    if (!n) return;
    // The names are the procedure version's and the centre's (the same for every try, so not stored).
    const stored = n.facts as Partial<MessageFacts> & { procedureVersionId?: number };
    const factsOf = async (): Promise<MessageFacts> => ({
      code: stored.code ?? '',
      procedure: stored.procedure ?? '',
      date: stored.date ?? '',
      centre: stored.centre ?? '',
      trackingUrl: stored.trackingUrl ?? '',
      detail: stored.detail ?? '',
      ...(stored.procedure && stored.centre
        ? {}
        : await namesOf(stored.procedureVersionId ?? 0, n.unit_code)),
    });
    let facts!: MessageFacts;
    // Tries with the provider: one more than recorded, or the job's count when a try was cut (a killed
    // process); the job's count starts again when the administrator retries a dead one.
    const tries = sql<number>`greatest(attempts + 1, ${ctx.attempt}::int)`;
    let outcome: SendOutcome;
    try {
      facts = await factsOf();
      outcome = await sendOn(
        n.channel,
        n.event as NotificationEvent,
        facts,
        n.recipient,
        n.tracking_id,
        ctx.signal,
      );
    } catch (err) {
      const code = err instanceof ProviderUnavailable ? err.code : 'internal';
      // The last try: the provider may have taken it (a lost answer), so no fallback is sent; the job
      // goes to the dead-letter list where the administrator may retry it with the same tracking id.
      await update(db, n.id, {
        status: ctx.attempt >= SEND_ATTEMPTS ? 'failed' : 'sending',
        attempts: tries,
        last_error: code,
      });
      throw err;
    }
    const now = deps.now();
    if (outcome.kind === 'sent') {
      const providerMessageId = outcome.providerMessageId;
      return (trx) =>
        update(trx, n.id, {
          status: 'sent',
          attempts: tries,
          provider_message_id: providerMessageId,
          sent_at: now,
          last_error: null,
        });
    }
    // This channel will not deliver it: Zalo falls back to SMS on the same number, in the same commit.
    const rejected = outcome.code;
    return async (trx) => {
      await update(trx, n.id, { status: 'failed', attempts: tries, last_error: rejected });
      if (n.channel === 'zalo' && providers.sms) {
        await insertAndEnqueue(trx, {
          dossier_id: n.dossier_id,
          unit_code: n.unit_code,
          event: n.event,
          template_version: n.template_version,
          channel: 'sms',
          recipient: n.recipient,
          facts: JSON.stringify(facts),
          tracking_id: `${n.tracking_id}-sms`,
          dedupe_key: `${n.dedupe_key}:fallback`,
          fallback_of: n.id,
          created_at: now,
        });
      }
    };
  }

  const sendJob = defineJob({
    kind: 'notifications.send',
    payload: SendPayload,
    maxAttempts: SEND_ATTEMPTS,
    leaseMs: 30_000,
    run: (payload, ctx) => deliver(payload, ctx),
  });

  /** Every hour: the day before a promised date, its applicant is reminded (once per dossier and date). */
  /** The reminders of one day: the dossiers promised for `day`, each reminded once (per dossier and date). */
  const remindDayJob = defineJob({
    kind: 'notifications.remind-day',
    payload: z.object({ day: z.iso.date() }),
    leaseMs: 10 * 60_000,
    async run({ day }, ctx) {
      const now = ctx.now();
      for (const d of await deps.dossiers.listDueOn(day)) {
        await ctx.db.transaction().execute((trx) =>
          record(trx, {
            dossierId: d.id,
            unitCode: d.receivingUnitCode,
            event: 'reminder',
            facts: {
              procedureVersionId: d.procedureVersionId,
              code: d.code,
              date: dayFirst(d.dueAt),
              trackingUrl: trackingUrl(deps.publicUrl, d.code),
              detail: '',
            },
            contact: d.applicant,
            key: `d${d.id}-reminder-${day}`,
            now,
          }),
        );
      }
    },
  });

  /**
   * Every hour: from 08:00 in Vietnam (not at night), the day's reminders are enqueued once (one job per
   * day, whatever the number of servers and hourly runs; a server down at 08:00 sends them at its next run).
   */
  const reminderJob = defineJob({
    kind: 'notifications.reminders',
    payload: z.object({}),
    every: { ms: 3_600_000, payload: {} },
    async run(_payload, ctx) {
      const now = ctx.now();
      const hour = Number(
        new Intl.DateTimeFormat('en-GB', {
          hour: 'numeric',
          hourCycle: 'h23',
          timeZone: 'Asia/Ho_Chi_Minh',
        }).format(now),
      );
      if (hour < 8 || hour >= 20) return;
      const tomorrow = addDaysToLocalDate(toLocalDate(now), 1);
      await enqueueJob(ctx.db, remindDayJob, { day: tomorrow }, { now, dedupeKey: `reminders:${tomorrow}` });
    },
  });

  return {
    onDossierEvent,
    jobs: [sendJob, reminderJob, remindDayJob],
    sendJob,
    reminderJob,

    /** A dossier's messages as staff see them: channel, template, status, tries, times; the recipient masked. */
    async listForDossier(staff: StaffPrincipal, dossierId: number) {
      await deps.dossiers.assertReadable(staff, dossierId);
      const rows = await db
        .selectFrom('notification')
        .select([
          'id',
          'event',
          'template_version',
          'channel',
          'recipient',
          'status',
          'attempts',
          'last_error',
          'fallback_of',
          'created_at',
          'sent_at',
          'delivered_at',
        ])
        .where('dossier_id', '=', dossierId)
        .orderBy('id')
        .execute();
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          event: r.event as NotificationEvent,
          templateVersion: r.template_version,
          channel: r.channel,
          recipient: maskRecipient(r.recipient),
          status: r.status,
          attempts: r.attempts,
          error: r.last_error,
          fallbackOf: r.fallback_of === null ? null : Number(r.fallback_of),
          createdAt: r.created_at.toISOString(),
          sentAt: r.sent_at?.toISOString() ?? null,
          deliveredAt: r.delivered_at?.toISOString() ?? null,
        })),
        total: rows.length,
      };
    },

    /** The development outbox, newest first (shown at /dev/messages in demo mode). */
    async listDevMessages(limit = 100) {
      const rows = await db
        .selectFrom('dev_message')
        .select(['id', 'channel', 'recipient', 'template', 'subject', 'body', 'created_at'])
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      const total = await db
        .selectFrom('dev_message')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { items: rows, total: Number(total.n) };
    },

    /**
     * A provider's delivery report: the message reached the citizen. Found by the provider's message id
     * or by our tracking id; a report for a message not known (yet) changes nothing and is still taken
     * (a refused report is sent again and again by the provider).
     */
    async markDelivered(
      channel: NotificationChannel,
      report: { providerMessageId: string; trackingId?: string | undefined; at: Date },
    ) {
      const updated = await db
        .updateTable('notification')
        .set({ status: 'delivered', delivered_at: report.at })
        .where('channel', '=', channel)
        .where((eb) =>
          eb.or([
            eb('provider_message_id', '=', report.providerMessageId),
            ...(report.trackingId ? [eb('tracking_id', '=', report.trackingId)] : []),
          ]),
        )
        .where('status', 'in', ['sent', 'sending', 'pending'])
        .returning('id')
        .execute();
      return { updated: updated.length };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
