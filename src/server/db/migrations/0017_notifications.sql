-- Messages to citizens about their dossiers (src/server/modules/notifications/): one row per message
-- and channel, written in the transaction of the event that causes it, before any provider is called.
-- The row's tracking id is what the provider deduplicates on (ZNS tracking_id, the SMS gateway's
-- request id, the e-mail's Message-ID): a retried send never reaches the citizen twice.
create table notification (
  id bigint generated always as identity primary key,
  dossier_id bigint not null references dossier (id),
  -- The audit chain and the staff who may read it: the dossier's receiving commune.
  unit_code text not null,
  -- The template (src/core/notifications/templates.ts) and the version it was written with.
  event text not null check (event in ('received', 'supplement', 'result-ready', 'apology', 'returned', 'reminder')),
  template_version smallint not null,
  channel text not null check (channel in ('zalo', 'sms', 'email')),
  -- 84xxxxxxxxx or an e-mail address; shown masked to staff, never logged.
  recipient text not null,
  locale text not null default 'vi' check (locale in ('vi', 'en', 'fr')),
  -- The facts the message says (code, procedure, date, centre, link): no ID number, no address.
  facts jsonb not null,
  -- pending: not yet sent; sending: a try is under way or was cut; sent: the provider accepted it;
  -- delivered: the provider's signed callback said it reached the citizen; failed: this channel cannot
  -- deliver it (a fallback may carry it); cancelled: nothing left to send it on.
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
  attempts smallint not null default 0,
  tracking_id text not null unique,
  provider_message_id text,
  -- The provider's answer of the last failed try (codes, never the text or the number).
  last_error text,
  -- The Zalo message this SMS replaces when ZNS could not deliver.
  fallback_of bigint references notification (id),
  -- One message per event and channel: the event's dossier version (or the reminder's day).
  dedupe_key text not null unique,
  created_at timestamptz not null,
  sent_at timestamptz,
  delivered_at timestamptz
);

create index notification_dossier on notification (dossier_id, id);
create index notification_provider_message on notification (channel, provider_message_id)
  where provider_message_id is not null;

-- What the development providers "sent" (npm start without MOTCUA_ZALO_ZNS_URL, MOTCUA_SMS_URL or
-- MOTCUA_SMTP_URL): the demo shows it at /dev/messages so a newcomer sees what citizens would get.
create table dev_message (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('zalo', 'sms', 'email')),
  recipient text not null,
  -- The provider's deduplication id: the development providers honour it as the real ones do.
  tracking_id text not null unique,
  template text,
  subject text,
  body text not null,
  created_at timestamptz not null
);
