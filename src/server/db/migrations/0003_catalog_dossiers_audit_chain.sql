-- Identity: lock-out after repeated wrong passwords, password changes, CSRF token per session.
alter table staff_account add column failed_logins integer not null default 0;
alter table staff_account add column locked_until timestamptz;
alter table staff_account add column password_changed_at timestamptz;
alter table staff_session add column csrf_token text not null default '';

-- The procedure catalogue: every version kept; a dossier points at the version it was received under.
create table procedure_version (
  id serial primary key,
  code text not null,
  version integer not null,
  status text not null check (status in ('draft', 'published', 'retired')),
  name text not null,
  name_folded text not null,
  field text not null,
  online_level text not null,
  definition jsonb not null,
  created_by integer references staff_account (id),
  created_at timestamptz not null default now(),
  published_by integer references staff_account (id),
  published_at timestamptz,
  unique (code, version)
);
create unique index procedure_version_one_published on procedure_version (code) where status = 'published';
create index procedure_version_name_trgm on procedure_version using gin (name_folded gin_trgm_ops);

-- Dossiers: the events are the truth; the dossier row is their projection for lists and search.
create table dossier (
  id bigserial primary key,
  code text not null unique,
  procedure_version_id integer not null references procedure_version (id),
  procedure_code text not null,
  channel text not null check (channel in ('counter', 'online', 'postal')),
  support_unit_code text not null,
  receiving_unit_code text not null,
  competent_unit_code text not null,
  province_code text not null,
  rule_version text not null,
  applicant_citizen_id text not null,
  applicant_name text not null,
  applicant_name_folded text not null,
  applicant jsonb not null,
  components jsonb not null,
  fees jsonb not null,
  state text not null,
  status_code smallint not null check (status_code between 1 and 10),
  step_key text,
  holder_role text,
  holder_account_id integer,
  submitted_at timestamptz not null,
  received_at timestamptz,
  statutory_due_at timestamptz,
  due_at timestamptz,
  step_due_at timestamptz,
  closed_at timestamptz,
  snapshot jsonb not null,
  version integer not null,
  created_by integer not null references staff_account (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dossier_receiving on dossier (receiving_unit_code, due_at);
create index dossier_competent on dossier (competent_unit_code, due_at);
create index dossier_support on dossier (support_unit_code);
create index dossier_province on dossier (province_code, status_code);
create index dossier_citizen on dossier (applicant_citizen_id);
create index dossier_holder on dossier (holder_account_id) where closed_at is null;
create index dossier_name_trgm on dossier using gin (applicant_name_folded gin_trgm_ops);

create table dossier_event (
  dossier_id bigint not null references dossier (id),
  seq integer not null,
  type text not null,
  at timestamptz not null,
  actor_id integer not null references staff_account (id),
  actor_role text not null,
  data jsonb not null,
  primary key (dossier_id, seq)
);

-- Gap-free daily sequences: the row is locked by the intake transaction and rolls back with it.
create table dossier_code_counter (
  unit_code text not null,
  day date not null,
  last_seq integer not null,
  primary key (unit_code, day)
);

-- A retried request with the same key gets the first answer back.
create table idempotency_key (
  scope text not null,
  key text not null,
  route text not null,
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (scope, key)
);

-- The audit log becomes a set of hash chains (one per unit); the head row makes deleting the last entry visible.
alter table audit_log add column chain text;
alter table audit_log add column seq bigint;
alter table audit_log add column prev_hash text;
alter table audit_log add column hash text;
alter table audit_log add column ip text;
alter table audit_log add column user_agent text;
create unique index audit_log_chain_seq on audit_log (chain, seq);
create table audit_chain_head (
  chain text primary key,
  seq bigint not null,
  hash text not null
);

-- Append-only: events and audit entries are never changed in place.
create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger dossier_event_append_only before update or delete on dossier_event
  for each row execute function refuse_change();
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function refuse_change();
