-- Official holiday schedules: the government's (province_code null) and a province's own additions.
create table holiday_schedule_entry (
  id serial primary key,
  province_code text,
  date date not null,
  kind text not null check (kind in ('day_off', 'working_day')),
  holiday text not null,
  note text not null default '',
  created_by integer,
  created_at timestamptz not null default now()
);
create unique index holiday_schedule_unique on holiday_schedule_entry (coalesce(province_code, 'VN'), date);
create index holiday_schedule_date on holiday_schedule_entry (date);

-- Office hours of a unit when they differ from the default (07:00–11:30, 13:30–17:00).
create table unit_office_hours (
  unit_code text primary key,
  office_hours jsonb not null,
  same_day_cutoff text not null default '15:00',
  updated_by integer,
  updated_at timestamptz not null default now()
);

create table staff_account (
  id serial primary key,
  username text not null unique,
  password_hash text not null,
  full_name text not null,
  role text not null,
  -- A commune code for commune roles, a province code for province roles, 'VN' for the ministry.
  unit_code text not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table staff_session (
  token_hash text primary key,
  account_id integer not null references staff_account (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index staff_session_account on staff_session (account_id);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_id integer references staff_account (id),
  action text not null,
  entity text not null,
  entity_id text not null,
  unit_code text,
  details jsonb not null default '{}'::jsonb,
  request_id text
);
create index audit_log_entity on audit_log (entity, entity_id);
