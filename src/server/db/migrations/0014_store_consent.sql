-- A citizen's consent for the officers of one dossier to list and reuse the papers of their personal
-- store (kho dữ liệu). A row is a request from the counter; once answered it is the grant. See
-- src/server/modules/documents/consent/store-consent.service.ts for the rules (lifetime, tries).
create table store_consent (
  id integer generated always as identity primary key,
  dossier_id bigint not null references dossier (id),
  -- The dossier's code as the citizen is shown it.
  dossier_code text not null,
  -- The dossier's applicant: the only store the grant opens.
  citizen_id text not null check (citizen_id ~ '^\d{12}$'),
  -- sms: a one-time code sent to the phone VNeID vouches for; portal: approved in the citizen's session.
  channel text not null check (channel in ('sms', 'portal')),
  status text not null
    check (status in ('pending', 'granted', 'failed', 'expired', 'declined', 'replaced')),
  requested_by integer not null references staff_account (id),
  unit_code text not null,
  -- The requesting commune's name as the citizen is shown it.
  unit_name text not null,
  requested_at timestamptz not null,
  -- Until when the request may be answered (the code typed, or the approval given).
  answer_by timestamptz not null,
  -- sms: 'salt$sha256(salt:code)'; the code itself is never stored.
  code_hash text,
  -- The last 3 digits of the number the code went to (what the officer is shown).
  phone_last3 text check (phone_last3 ~ '^\d{3}$'),
  tries smallint not null default 0,
  granted_at timestamptz,
  granted_by_citizen integer references citizen_account (id),
  expires_at timestamptz,
  check ((channel = 'sms') = (code_hash is not null)),
  check ((status = 'granted') = (granted_at is not null and expires_at is not null))
);
create index store_consent_dossier on store_consent (dossier_id, id desc);
create index store_consent_citizen_pending on store_consent (citizen_id) where status = 'pending';
