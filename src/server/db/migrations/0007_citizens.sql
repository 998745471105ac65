-- Citizens who sign in with VNeID (OpenID Connect): their account, sessions, drafts and ratings.
create table citizen_account (
  id serial primary key,
  -- The identity provider's subject: stable per person and provider.
  issuer text not null,
  subject text not null,
  citizen_id text not null check (citizen_id ~ '^\d{12}$'),
  full_name text not null,
  date_of_birth date,
  -- The identity's assurance level (VNeID level 1 or 2), as of the last sign-in.
  level smallint not null check (level in (1, 2)),
  phone text,
  email text,
  address text,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz not null default now(),
  unique (issuer, subject)
);
create index citizen_account_citizen_id on citizen_account (citizen_id);

create table citizen_session (
  token_hash text primary key,
  citizen_account_id integer not null references citizen_account (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index citizen_session_account on citizen_session (citizen_account_id);

-- What a citizen has typed and uploaded for a procedure, until they submit it.
create table citizen_draft (
  citizen_account_id integer not null references citizen_account (id),
  procedure_code text not null,
  data jsonb not null default '{}'::jsonb,
  -- componentKey → { sha256, name, mediaType, sizeBytes, pages }: files already stored, not yet documents.
  files jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now(),
  primary key (citizen_account_id, procedure_code)
);

-- One rating per dossier, by its applicant.
create table dossier_rating (
  dossier_id bigint primary key references dossier (id),
  citizen_account_id integer references citizen_account (id),
  rating text not null check (rating in ('very_satisfied', 'satisfied', 'not_satisfied')),
  comment text,
  created_at timestamptz not null default now()
);

-- A dossier a citizen submitted online, and the events they caused, have no officer behind them.
alter table dossier alter column created_by drop not null;
alter table dossier add column created_by_citizen integer references citizen_account (id);
alter table dossier add constraint dossier_created_by_someone
  check (created_by is not null or created_by_citizen is not null);
alter table dossier_event alter column actor_id drop not null;
alter table dossier_event add column actor_citizen_id integer references citizen_account (id);
alter table dossier_event add constraint dossier_event_actor_someone
  check ((actor_id is null) <> (actor_citizen_id is null));
-- An online dossier filed for a citizen who was present (a volunteer or an officer helped): who, and the
-- citizen's consent.
alter table dossier add column assisted jsonb;

-- Documents a citizen uploaded themselves.
alter table document add column created_by_citizen integer references citizen_account (id);
